"""The what-if figures: the same cut-offs as `pauses`, waits and first response from call logs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from calllogs import make_calls, write_calls

from tuner import evidence, whatif
from tuner.audio.defaults import AUDIO_SUFFIXES
from tuner.calls import percentile
from tuner.evidence.calllogs import read_payload
from tuner.model import SpeechTiming
from tuner.sources import expand

RECORDINGS = Path(__file__).parent.parent / "audio" / "fixtures" / "calls"


def recordings() -> list[Path]:
    """The committed recordings, listed as `pauses` lists a folder."""
    return [Path(f) for f in expand([str(RECORDINGS)], AUDIO_SUFFIXES)[0]]


NORMAL = SpeechTiming(end_of_speech_timeout=500, turn_detection_timeout=250, barge_min_words=2)


def at(**values: object) -> SpeechTiming:
    return NORMAL.model_copy(update=values)


@pytest.fixture(scope="module")
def recorded() -> tuple[whatif.Evidence, object]:
    """The committed recordings through the editor's loader and through `pauses`' own analysis."""
    pytest.importorskip("numpy")
    from tuner.audio.analysis import Summary, analyse_file

    files = recordings()
    summary = Summary([analyse_file(str(f)) for f in files], "silero")
    return evidence.load([str(RECORDINGS)]), summary


def test_cutoffs_are_the_pauses_commands_own_count_at_every_timeout(
    recorded: tuple[whatif.Evidence, object],
) -> None:
    from tuner.audio.analysis import cut_off_share

    ev, summary = recorded
    view = ev.view()
    assert sorted(view.pauses) == sorted(summary.pauses)  # type: ignore[attr-defined]
    for timeout in range(250, 3001, 50):
        fig = whatif.figures(view, at(end_of_speech_timeout=timeout), NORMAL)
        assert fig.cutoffs is not None
        assert fig.cutoffs.count == summary.cutoffs(timeout)  # type: ignore[attr-defined]
        share = cut_off_share(summary.pauses, timeout)  # type: ignore[attr-defined]
        assert fig.cutoffs.count == round(share * len(view.pauses))


def test_caller_turns_of_recordings_are_their_turn_ends_plus_the_last_turn(
    recorded: tuple[whatif.Evidence, object],
) -> None:
    ev, summary = recorded
    files = summary.files  # type: ignore[attr-defined]
    assert sum(ev.turns_by_step.values()) == sum(f.turn_ends + 1 for f in files)
    fig = whatif.figures(ev.view(), NORMAL, NORMAL)
    assert fig.cutoffs is not None and fig.cutoffs.per == "caller turns"
    assert fig.cutoffs.per_100 == pytest.approx(
        100 * summary.cutoffs(500) / sum(f.turn_ends + 1 for f in files)  # type: ignore[attr-defined]
    )


def test_recordings_analysed_in_a_child_process_give_the_same_evidence(
    recorded: tuple[whatif.Evidence, object],
) -> None:
    ev, _ = recorded
    seen: list[tuple[int, int, str]] = []
    child = evidence.load([str(RECORDINGS)], jobs=1, progress=lambda *a: seen.append(a))
    assert child.pause_ms == ev.pause_ms and child.turns_by_step == ev.turns_by_step
    assert [done for done, _, _ in seen] == [1, 2, 3] and seen[-1][1] == 3


def test_a_cancelled_load_stops_between_recordings_and_kills_its_child() -> None:
    import time

    asked: list[float] = []

    def cancelled() -> bool:
        asked.append(time.monotonic())
        return len(asked) > 2  # after the child has started

    start = time.monotonic()
    ev = evidence.load([str(RECORDINGS)], jobs=1, cancelled=cancelled)
    assert ev.recordings < 3
    assert time.monotonic() - start < 30


def test_a_saved_pauses_json_gives_the_same_pauses_as_the_recordings(
    recorded: tuple[whatif.Evidence, object], tmp_path: Path
) -> None:
    ev, _ = recorded
    done = subprocess.run(
        [sys.executable, "-m", "tuner", "pauses", str(RECORDINGS), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    saved = tmp_path / "pauses.json"
    saved.write_text(done.stdout)
    again = evidence.load([str(saved)])
    assert again.notes == []
    assert sorted(again.pause_ms) == sorted(ev.pause_ms)
    assert again.recordings == ev.recordings
    assert again.turns_by_step == ev.turns_by_step  # cut-offs per 100 turns, as in-process


def test_moving_eos_from_500_to_1500_lowers_cutoffs_and_adds_a_second_per_reply() -> None:
    calls, truth = make_calls(40)
    ev = whatif.Evidence()
    for payload in calls:
        read_payload(payload, ev)
    view = ev.view()
    low = whatif.figures(view, at(end_of_speech_timeout=500), NORMAL)
    high = whatif.figures(view, at(end_of_speech_timeout=1500), NORMAL)
    assert low.cutoffs and high.cutoffs
    assert high.cutoffs.count < low.cutoffs.count
    assert high.cutoffs.count == sum(1 for g in truth.split_gaps if g > 1500)
    assert high.added_wait_ms == 1000 and low.added_wait_ms == 0
    assert high.first and low.first
    assert high.first.p50 == low.first.p50 + 1000


def test_first_response_is_the_wait_plus_the_next_replys_audio_latency() -> None:
    calls, truth = make_calls(30, seed=3)
    ev = whatif.Evidence()
    for payload in calls:
        read_payload(payload, ev)
    first = sorted(w + r for w, r in zip(truth.waits, truth.replies_after, strict=True) if r)
    fig = whatif.figures(ev.view(), NORMAL, NORMAL)
    assert fig.first is not None
    assert (fig.first.p50, fig.first.p90) == (percentile(first, 50), percentile(first, 90))
    assert fig.first.count == len(first)
    # 250 ms shorter: every wait moves by -250, none below zero.
    fig = whatif.figures(ev.view(), at(end_of_speech_timeout=250), NORMAL)
    assert fig.first is not None and fig.first.p50 == percentile(first, 50) - 250


def test_a_shift_past_the_shortest_wait_clamps_it_at_zero() -> None:
    ev = whatif.Evidence(
        first_ms=[1100.0, 950.0], first_wait_ms=[100.0, 900.0], first_step=["", ""]
    )
    view = ev.view()
    fig = whatif.first_response(view, -300)
    assert fig is not None
    # 100-300 -> 0, +1000 = 1000; 900-300 = 600, +50 = 650
    assert (fig.p50, fig.p90) == (650, 1000)


def test_barge_ins_at_more_words_are_the_logged_ones_with_that_many_words() -> None:
    calls, truth = make_calls(40, seed=5)
    ev = whatif.Evidence()
    for payload in calls:
        read_payload(payload, ev)
    for words in (1, 2, 3, 4):
        fig = whatif.figures(ev.view(), at(barge_min_words=words), NORMAL)
        assert fig.barges == sum(1 for w in truth.barge_words if w >= words)
    assert fig.replies == truth.replies


def test_attention_timeouts_that_fired_sooner_than_the_value_are_counted_apart() -> None:
    ev = whatif.Evidence(attention_ms=[10000.0, 20000.0, 20000.0], attention_step=["", "", ""])
    ev.calls = 3
    fig = whatif.figures(ev.view(), at(attention_timeout=15000), NORMAL)
    assert (fig.attention, fig.attention_maybe) == (2, 1)
    fig = whatif.figures(ev.view(), at(attention_timeout=0), NORMAL)
    assert (fig.attention, fig.attention_maybe) == (0, 0)


def test_one_steps_view_holds_only_that_steps_turns_and_pauses() -> None:
    calls, truth = make_calls(40, seed=9)
    ev = whatif.Evidence()
    for payload in calls:
        read_payload(payload, ev)
    assert ev.steps()[0] in {"default/greeting", "default/collect_dob", "default/wrap_up"}
    view = ev.view("default/collect_dob")
    assert sorted(view.pauses) == sorted(truth.split_gaps)
    assert view.waits == sorted(
        w for w, s in zip(truth.waits, truth.steps, strict=True) if s == "default/collect_dob"
    )
    assert ev.view("default/greeting").pauses == []


def test_turn_detection_adds_its_own_marker_and_cutoffs() -> None:
    ev = whatif.Evidence(pause_ms=[300.0, 700.0, 1200.0], pause_step=["", "", ""])
    ev.turns_by_step[""] = 10
    fig = whatif.figures(ev.view(), at(enable_turn_detection=True), NORMAL)
    assert fig.detect_cutoffs is not None and fig.detect_cutoffs.count == 3
    fig = whatif.figures(ev.view(), at(enable_turn_detection=False), NORMAL)
    assert fig.detect_cutoffs is None
    assert fig.cutoffs is not None and fig.cutoffs.per_100 == 20.0


def test_the_loader_reads_call_log_folders_as_calls_does(tmp_path: Path) -> None:
    truth = write_calls(tmp_path / "logs", 20)
    ev = evidence.load(calls=[str(tmp_path / "logs")])
    assert ev.notes == []
    assert ev.calls == 20
    assert sorted(ev.wait_ms) == sorted(truth.waits)  # type: ignore[type-var]


def test_unreadable_inputs_become_notes_never_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00not a wave file at all")
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"call_log": [{"role": "user"')
    no_fields = tmp_path / "sample.json"
    no_fields.write_text(json.dumps({"call_log": [{"role": "user", "content": "hi"}]}))
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"calls": 3, "assistant_turns": 9}))
    ev = evidence.load(
        [str(empty), str(broken), str(tmp_path / "nothere.wav")],
        [str(truncated), str(no_fields), str(report)],
    )
    text = "\n".join(ev.notes)
    assert f"{empty}: no .wav, .flac, .ogg, .oga or .mp3 files in this folder" in text
    assert f"{broken}:" in text
    assert "nothere.wav: no such file or folder" in text
    assert f"{truncated}: truncated JSON" in text
    assert "no endpointing wait (speaking_to_final_event or eos_to_push_latency)" in text
    assert "holds percentiles, not each turn" in text


def test_a_swml_variable_gets_no_made_up_figure() -> None:
    ev = whatif.Evidence(
        pause_ms=[300.0, 900.0], pause_step=["", ""], wait_ms=[800.0], turn_step=[""],
        first_ms=[1700.0], first_wait_ms=[800.0], first_step=[""],
    )  # fmt: skip
    fig = whatif.figures(ev.view(), at(end_of_speech_timeout="${eos}"), NORMAL)
    assert fig.cutoffs is None and fig.added_wait_ms is None and fig.first is None
    assert fig.opened_cutoffs is not None and fig.opened_cutoffs.count == 1
