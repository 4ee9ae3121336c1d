"""`speech-tuner pauses` on real generated speech, with the real voice detectors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tuner import presets
from tuner.audio.defaults import VAD_MARGIN_MS
from tuner.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
MONO = FIXTURES / "speech-8k-mulaw-mono.wav"
TOLERANCE_MS = 150  # per pause; the benchmarks hold the mean error to <= 80 ms


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["pauses", *args, "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def assert_close(measured: list[int], truth: list[int]) -> None:
    assert len(measured) == len(truth), (measured, truth)
    for m, t in zip(measured, truth, strict=True):
        assert abs(m - t) <= TOLERANCE_MS, (measured, truth)


def truth_of(wav: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(wav.with_suffix(".json").read_text())
    return data


def test_mono_mulaw_pauses_match_the_inserted_silences(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run_json(capsys, str(MONO))
    assert code == 0
    (f,) = data["files"]
    assert f["channels"] == 1 and f["caller_channel"] == 0
    assert abs(f["duration_s"] - truth_of(MONO)["duration_s"]) < 0.01
    assert_close(f["pauses_ms"], truth_of(MONO)["pauses_ms"])


def test_mono_silences_longer_than_the_bound_are_turn_ends(
    capsys: pytest.CaptureFixture[str],
) -> None:
    truth = truth_of(MONO)["pauses_ms"]
    bound = sorted(truth)[1] - TOLERANCE_MS - 10  # below the two longer pauses
    code, data, _ = run_json(capsys, str(MONO), "--max-pause", str(bound))
    assert code == 0
    assert len(data["files"][0]["pauses_ms"]) == sum(1 for p in truth if p < bound)


def test_mono_text_report_says_turn_ends_cannot_be_told_from_pauses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["pauses", str(MONO)]) == 0
    out = capsys.readouterr().out
    assert "turn ends cannot be told from pauses" in out
    assert "cannot show a pause longer than the end_of_speech_timeout" in out
    assert "recommended end_of_speech_timeout:" in out


def test_stereo_pauses_exclude_the_turn_ends_where_the_agent_spoke(
    capsys: pytest.CaptureFixture[str], generated: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    wav, truth = generated["stereo16"]
    assert truth["turn_ends_ms"], "the generated call has agent turns"
    for vad in ("silero", "webrtc"):
        code, data, _ = run_json(capsys, str(wav), "--vad", vad)
        assert code == 0
        (f,) = data["files"]
        assert (f["channels"], f["caller_channel"]) == (2, 0)
        assert_close(f["pauses_ms"], truth["pauses_ms"])


def test_caller_channel_one_analyses_the_other_speaker(
    capsys: pytest.CaptureFixture[str], generated: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    wav, truth = generated["stereo16"]
    _, data, _ = run_json(capsys, str(wav), "--caller-channel", "1")
    (f,) = data["files"]
    assert f["caller_channel"] == 1
    # The agent answers in one sentence per turn: none of the caller's pauses are its pauses.
    assert len(f["pauses_ms"]) < len(truth["pauses_ms"])


def test_noisy_mulaw_stereo_misses_no_long_pause(
    capsys: pytest.CaptureFixture[str], generated: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    wav, truth = generated["stereo8noisy"]
    code, data, _ = run_json(capsys, str(wav))
    assert code == 0
    assert_close(data["files"][0]["pauses_ms"], truth["pauses_ms"])


def test_noisy_recordings_are_named_with_what_noise_does_to_their_pauses(
    capsys: pytest.CaptureFixture[str], generated: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    # A call with speech-band noise 10 dB under the speech next to a clean one: only the noisy
    # one is named, in the text report and in the JSON, with how far its speech stands out.
    noisy, clean = generated["stereo8noisy"][0], generated["mono8"][0]
    code, data, _ = run_json(capsys, str(noisy), str(clean))
    assert code == 0
    assert data["noisy_files"] == [str(noisy)]
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path[str(noisy)]["noisy"] and by_path[str(noisy)]["speech_above_floor_db"] < 16
    assert not by_path[str(clean)]["noisy"] and by_path[str(clean)]["speech_above_floor_db"] > 30
    assert main(["pauses", str(noisy), str(clean)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "noisy: in 1 of 2 recording(s)" in out and re.search(rf"{noisy.name} 1\d dB", out)
    assert "the recommendation leans high" in out and clean.name not in out.split("noisy:")[1]
    main(["pauses", str(clean)])
    assert "noisy:" not in capsys.readouterr().out


def test_json_has_the_documented_shape_and_consistent_numbers(
    capsys: pytest.CaptureFixture[str], generated: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    wav = generated["mono8"][0]
    code, data, _ = run_json(capsys, str(wav), str(MONO), "--preset", "elderly")
    assert code == 0
    assert set(data) == {
        "files",
        "measured_pauses",
        "pauses",
        "timeouts",
        "presets",
        "noisy_files",
        "evidence",
        "recommended",
        "errors",
    }
    # every measured pause, where it is, so it can be checked by ear; the same as pauses_ms
    listed = data["measured_pauses"]
    assert [p["duration_ms"] for p in listed] == [p for f in data["files"] for p in f["pauses_ms"]]
    for p in listed:
        assert set(p) == {"file", "start_ms", "end_ms", "duration_ms", "detector"}
        assert p["end_ms"] - p["start_ms"] == p["duration_ms"] and p["detector"] == "silero"
        assert p["file"] in {f["path"] for f in data["files"]}
    assert data["evidence"]["pauses"] == len(listed) < data["evidence"]["min_pauses"]
    assert data["evidence"]["missing"] and "more within-turn pauses" in data["evidence"]["missing"]
    keys = {"path", "duration_s", "channels", "caller_channel", "pauses_ms", "turn_ends"}
    assert all(set(f) == keys | {"speech_above_floor_db", "noisy"} for f in data["files"])
    assert data["noisy_files"] == [] and not any(f["noisy"] for f in data["files"])
    pauses = [p for f in data["files"] for p in f["pauses_ms"]]
    assert data["pauses"]["count"] == len(pauses)
    assert data["pauses"]["max"] == max(pauses)
    assert data["pauses"]["p50"] <= data["pauses"]["p90"] <= data["pauses"]["p95"]
    timeouts = [row["end_of_speech_timeout"] for row in data["timeouts"]]
    assert timeouts == list(range(250, 2001, 50))
    for row in data["timeouts"]:
        assert row["cutoffs"] == sum(1 for p in pauses if p > row["end_of_speech_timeout"])
        assert set(row) == {"end_of_speech_timeout", "cutoffs", "cutoffs_per_min"}
    assert data["presets"]["quick"] == {
        "end_of_speech_timeout": 300,
        "cutoffs": sum(1 for p in pauses if p > 300),
    }
    assert {"normal", "elderly"} <= set(data["presets"])
    rec = data["recommended"]
    assert set(rec) == {"end_of_speech_timeout", "reason", "interval_ms", "enough_evidence"}
    lo, hi = rec["interval_ms"]
    assert lo <= rec["end_of_speech_timeout"] <= hi and rec["enough_evidence"] is False
    assert rec["end_of_speech_timeout"] >= max(pauses) - 400  # a real, data-driven value
    assert str(VAD_MARGIN_MS["silero"]) in rec["reason"]
    assert data["errors"] == []


def test_recommendation_is_the_smallest_timeout_under_the_target_plus_the_margin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, data, _ = run_json(capsys, str(MONO), "--target", "0")
    longest = max(data["files"][0]["pauses_ms"])
    smallest = next(t for t in range(250, 10001, 50) if t >= longest)
    expected = -(-(smallest + VAD_MARGIN_MS["silero"]) // 50) * 50
    assert data["recommended"]["end_of_speech_timeout"] == expected


def test_a_folder_with_broken_files_reports_them_and_still_measures_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(MONO, folder / "good.wav")
    (folder / "empty.wav").write_bytes(b"")
    (folder / "cut.wav").write_bytes(MONO.read_bytes()[:5000])
    code, data, err = run_json(capsys, str(folder))
    assert code == 1
    assert [Path(f["path"]).name for f in data["files"]] == ["good.wav"]
    reasons = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert set(reasons) == {"empty.wav", "cut.wav"}
    assert "empty" in reasons["empty.wav"] and "truncated" in reasons["cut.wav"]
    assert f"{folder / 'cut.wav'}: truncated" in err
    assert "Traceback" not in err


def test_the_command_exits_1_without_a_traceback_on_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "huge.wav"
    bad.write_bytes(
        b"RIFF\xff\xff\xff\xffWAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x80\x3e\0\0\x02\0\x10\0"
        b"data\xff\xff\xff\xff" + b"\0" * 64
    )
    proc = subprocess.run(
        [sys.executable, "-m", "tuner", "pauses", str(bad), str(tmp_path / "missing.wav")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert f"{bad}: truncated: the data chunk claims 4294967295 bytes" in proc.stderr
    assert "missing.wav: no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_jobs_give_the_same_result_as_one_process(
    capsys: pytest.CaptureFixture[str], generated: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    paths = [str(generated[k][0]) for k in ("stereo16", "mono8")] + [str(MONO)]
    _, one, _ = run_json(capsys, *paths)
    _, two, _ = run_json(capsys, *paths, "--jobs", "2")
    assert one == two


def test_write_preset_saves_the_recommendation_extending_the_given_preset(
    capsys: pytest.CaptureFixture[str], user_presets: Path
) -> None:
    code = main(
        ["pauses", str(MONO), "--preset", "elderly", "--write-preset", "our-callers", "--force"]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "wrote" in captured.err
    saved = presets.load("our-callers")
    assert saved.source == "user"
    assert saved.extends == "elderly"
    value = saved.params.effective("end_of_speech_timeout")
    assert f"recommended end_of_speech_timeout: {value} ms" in captured.out
    assert saved.params.effective("barge_min_words") == 3  # inherited from elderly
    assert (user_presets / "our-callers.toml").is_file()


def test_write_preset_without_preset_extends_normal(
    capsys: pytest.CaptureFixture[str], user_presets: Path
) -> None:
    assert main(["pauses", str(MONO), "--write-preset", "mine", "--format", "json", "--force"]) == 0
    data = json.loads(capsys.readouterr().out)
    saved = presets.load("mine")
    assert saved.extends == "normal"
    assert (
        saved.params.effective("end_of_speech_timeout")
        == (data["recommended"]["end_of_speech_timeout"])
    )


def test_write_preset_rejects_a_bad_name_before_any_work(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["pauses", str(MONO), "--write-preset", "Bad Name"]) == 1
    assert "not a valid preset name" in capsys.readouterr().err


def test_a_missing_detector_is_a_clear_error_with_the_install_command() -> None:
    code = (
        "import sys; sys.modules['webrtcvad'] = None\n"
        "from tuner.cli import main\n"
        f"sys.exit(main(['pauses', {str(MONO)!r}, '--vad', 'webrtc']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "webrtcvad-wheels" in proc.stderr
    assert "pip install 'speech-tuner[audio]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_shows_examples() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tuner", "pauses", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert "speech-tuner pauses recordings/ --write-preset our-callers" in proc.stdout


def test_progress_bar_is_drawn_on_a_terminal_and_not_into_a_pipe() -> None:
    import os
    import pty

    files = [str(MONO), str(MONO)]
    master, slave = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "tuner", "pauses", *files, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0
    assert "2/2 recordings" in seen.decode()  # rich's progress display, on the terminal
    assert b"recordings" not in proc.stdout  # the JSON on stdout stays clean
    piped = subprocess.run(
        [sys.executable, "-m", "tuner", "pauses", *files], capture_output=True, text=True
    )
    assert "2/2" not in piped.stderr


def test_write_preset_refuses_thin_evidence_without_force(
    capsys: pytest.CaptureFixture[str], user_presets: Path
) -> None:
    # 3 pauses in 0.2 minutes of speech: the report is shown, marked provisional, and not saved.
    assert main(["pauses", str(MONO), "--write-preset", "thin"]) == 1
    captured = capsys.readouterr()
    assert "(provisional: not enough evidence)" in captured.out
    assert "90 % interval: " in captured.out
    assert "narrower than the truth below the minimum" in captured.out
    assert "--write-preset: not saved: too little evidence" in captured.err
    assert "27 more within-turn pauses (3 of 30)" in captured.err
    assert not (user_presets / "thin.toml").exists()


def test_no_readable_recording_prints_the_errors_and_no_report(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tuner", "pauses", str(tmp_path / "nothere.wav")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""  # no table of zeros
    assert "nothere.wav: no such file or folder" in proc.stderr
    assert "no recording could be read" in proc.stderr


def test_webrtc_is_offered_only_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, err = run_json(capsys, str(MONO), "--vad", "webrtc")
    assert code == 0 and data["measured_pauses"][0]["detector"] == "webrtc"
    assert "warning: --vad webrtc: WebRTC drops whole words" in err
    _, _, err = run_json(capsys, str(MONO))
    assert "warning" not in err


def test_a_recording_without_speech_is_not_called_noisy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A line left open with nobody talking: faint hiss only. Its "speech over noise" has no
    # meaning, so it is neither noisy nor given a figure.
    import numpy as np
    import soundfile as sf

    hiss = np.random.default_rng(3).normal(0.0, 0.003, 8000 * 4).astype(np.float32)
    wav = tmp_path / "open-line.wav"
    sf.write(wav, hiss, 8000, subtype="ULAW")
    code, data, _ = run_json(capsys, str(wav))
    assert code == 0
    assert data["files"][0]["speech_above_floor_db"] is None
    assert data["files"][0]["noisy"] is False and data["noisy_files"] == []
