"""Call-log analysis: synthetic post_conversation payloads with known figures, via the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tuner import presets
from tuner.calls import analyse_payload, percentile
from tuner.cli import main
from tuner.params import SPECS

SAMPLE = Path(__file__).parent / "data" / "post_conversation_sample.json"


def assistant(
    content: str = "Sure, I can help.", *, nested: bool = False, **metrics: Any
) -> dict[str, Any]:
    """An assistant entry; metrics on the entry (call_log style) or in `metadata` (raw style)."""
    entry: dict[str, Any] = {"role": "assistant", "content": content, "timestamp": 0}
    if nested:
        entry["metadata"] = metrics
    else:
        entry.update(metrics)
    return entry


def user(content: str = "hello") -> dict[str, Any]:
    return {"role": "user", "content": content, "timestamp": 0}


def tool_call() -> dict[str, Any]:
    return {
        "role": "assistant",
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "lookup"}}],
    }


def tool(name: str = "lookup", **metrics: Any) -> dict[str, Any]:
    return {"role": "tool", "function_name": name, "content": "ok", **metrics}


def attention(timeout_ms: int = 10000) -> dict[str, Any]:
    return {
        "role": "system-log",
        "action": "attention_timeout",
        "content": "attention timeout",
        "metadata": {"timeout_ms": timeout_ms},
    }


def session_end(reason: str = "normal", by: str = "caller") -> dict[str, Any]:
    return {
        "role": "system-log",
        "action": "session_end",
        "metadata": {"reason": reason, "ended_by": by},
    }


def payload(entries: list[dict[str, Any]], key: str = "call_log") -> dict[str, Any]:
    return {"action": "post_conversation", "call_id": "test", key: entries}


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["calls", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_latencies_on_the_entry_and_in_metadata_are_both_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flat = payload(
        [
            user(),
            assistant(
                acoustic_latency=800, latency=100, audio_latency=500, eos_to_push_latency=200
            ),
            user(),
            assistant(acoustic_latency=1200, latency=300, audio_latency=700),
        ]
    )
    nested = payload(
        [
            user(),
            assistant(nested=True, acoustic_latency=2400, latency=200, eos_to_push_latency=900),
            user(),
            # 0 and absent mean "not measured": never counted as 0
            assistant(nested=True, acoustic_latency=0, latency=0),
        ],
        key="raw_call_log",
    )
    write(tmp_path / "a.json", flat)
    write(tmp_path / "b.json", nested)
    code, doc = run_json(capsys, str(tmp_path))
    assert code == 0
    assert doc["calls"] == 2
    assert doc["assistant_turns"] == 4
    assert doc["acoustic_latency_ms"] == {
        "count": 3, "p50": 1200, "p90": 2400, "p95": 2400, "max": 2400
    }  # fmt: skip
    assert doc["llm_latency_ms"]["count"] == 3
    assert doc["llm_latency_ms"]["p50"] == 200
    assert doc["eos_to_push_latency_ms"] == {
        "count": 2, "p50": 200, "p90": 900, "p95": 900, "max": 900
    }  # fmt: skip
    assert doc["audio_latency_ms"]["count"] == 2
    assert doc["grades"]["first_response"] == "acceptable"  # p50 1200
    assert doc["errors"] == []


def test_tool_call_only_entries_are_not_turns_and_tool_latencies_are_pooled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [
        user(),
        tool_call(),
        tool(function_latency=600, execution_latency=650),
        assistant(acoustic_latency=2600),
        user(),
        tool_call(),
        tool(metadata={"function_latency": 1400}),
        assistant(acoustic_latency=3200),
        user(),
        assistant(acoustic_latency=700),
    ]
    write(tmp_path / "call.json", payload(entries))
    code, doc = run_json(capsys, str(tmp_path / "call.json"))
    assert code == 0
    assert doc["assistant_turns"] == 3
    assert doc["function_latency_ms"]["count"] == 2
    assert doc["function_latency_ms"]["max"] == 1400
    assert doc["function_latency_ms"]["p50"] == 600
    assert doc["grades"]["function"] == "acceptable"
    # the turns after a tool call: 2600 and 3200 -> p50 2600
    assert doc["grades"]["function_turn"] == "acceptable"
    assert doc["function_turn_latency_ms"]["count"] == 2


def test_barges_count_over_spoken_turns_with_elapsed_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [
        assistant("Hello there.", barged=True, barge_elapsed_ms=400),
        tool_call(),
        assistant("Let me explain.", nested=True, barged=True, barge_elapsed_ms=900),
        assistant("One more thing."),
        assistant("Bye.", barged=False),
    ]
    write(tmp_path / "barges.json", payload(entries))
    _, doc = run_json(capsys, str(tmp_path / "barges.json"))
    assert doc["assistant_turns"] == 4
    assert doc["barged_turns"] == 2
    assert doc["barge_rate"] == pytest.approx(0.5)
    assert doc["barge_elapsed_ms"]["count"] == 2
    assert doc["barge_elapsed_ms"]["max"] == 900


def test_attention_timeouts_and_call_endings_come_from_system_log_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "1.json", payload([assistant(), attention(), attention(), session_end()]))
    write(
        tmp_path / "2.json",
        payload([assistant(), attention(), session_end("hard_timeout", "system")]),
    )
    write(
        tmp_path / "3.json",
        payload(
            [
                assistant(),
                {"role": "system", "content": "The conversation has been ended by the user."},
            ]
        ),
    )
    _, doc = run_json(capsys, str(tmp_path))
    assert doc["attention_timeouts"] == 3
    assert doc["ended"] == {
        "normal by caller": 1, "hard_timeout by system": 1, "hangup by caller": 1
    }  # fmt: skip


def test_json_lines_files_hold_one_payload_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps(payload([assistant(acoustic_latency=ms)])) for ms in (500, 900, 1300)]
    (tmp_path / "day.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    code, doc = run_json(capsys, str(tmp_path / "day.jsonl"))
    assert code == 0
    assert doc["calls"] == 3
    assert doc["acoustic_latency_ms"]["p50"] == 900


def test_broken_payloads_are_reported_and_the_good_ones_still_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = payload(
        [user(), assistant(acoustic_latency=1500), user(), assistant(acoustic_latency=500)]
    )
    write(tmp_path / "good.json", good)
    whole = json.dumps(good)
    (tmp_path / "truncated.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    (tmp_path / "notjson.json").write_text("<html>oops</html>", encoding="utf-8")
    write(tmp_path / "list.json", [good])
    # a payload broken halfway adds none of its figures, not even those before the fault
    write(
        tmp_path / "wrongtype.json",
        payload(
            [assistant(acoustic_latency=9999, barged=True), assistant(acoustic_latency="fast")]
        ),
    )
    write(tmp_path / "notalist.json", {"call_log": "nope"})
    (tmp_path / "mixed.jsonl").write_text(
        json.dumps(payload([assistant(acoustic_latency=700)])) + "\n{broken\n", encoding="utf-8"
    )
    code = main(["calls", str(tmp_path), "--format", "json"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 1
    assert doc["calls"] == 2
    assert doc["acoustic_latency_ms"]["count"] == 3
    assert doc["acoustic_latency_ms"]["max"] == 1500
    assert doc["barged_turns"] == 0 and doc["assistant_turns"] == 3
    failed = {Path(e["path"].split(":")[0]).name: e["message"] for e in doc["errors"]}
    assert set(failed) == {"truncated.json", "notjson.json", "list.json", "wrongtype.json",
                           "notalist.json", "mixed.jsonl"}  # fmt: skip
    assert "truncated" in failed["truncated.json"]
    assert "acoustic_latency" in failed["wrongtype.json"]
    assert any(e["path"].endswith("mixed.jsonl:2") for e in doc["errors"])
    assert "list.json" in captured.err  # also told on stderr, one line each


def test_percentiles_use_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 50) == 5
    assert percentile(values, 90) == 9
    assert percentile(values, 95) == 10
    assert percentile([7.0], 95) == 7


def test_the_signalwire_sample_payload_is_read() -> None:
    call = analyse_payload(json.loads(SAMPLE.read_text()), str(SAMPLE))
    assert call.assistant_turns == 3  # the tool-call-only assistant entry is not a turn
    assert call.metrics["audio_latency"] == [900, 1000, 800]
    assert call.tools["function_latency"] == [600]
    assert call.ended == "hangup by caller"


def _slow_silence_calls(tmp_path: Path) -> None:
    for n in range(4):
        write(
            tmp_path / f"slow{n}.json",
            payload(
                [
                    user(),
                    assistant(acoustic_latency=1800, eos_to_push_latency=1000, audio_latency=750),
                    user(),
                    assistant(acoustic_latency=1700, eos_to_push_latency=900, audio_latency=750),
                ]
            ),
        )


def test_a_wait_dominated_latency_recommends_a_shorter_end_of_speech_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _slow_silence_calls(tmp_path)
    _, doc = run_json(capsys, str(tmp_path), "--preset", "elderly")
    recs = {r["param"]: r for r in doc["recommendations"]}
    assert doc["grades"]["first_response"] == "acceptable"
    eos = recs["end_of_speech_timeout"]
    assert eos["current"] == 800
    assert 300 <= eos["proposed"] < 800
    assert "1700 ms" in eos["reason"] or "1800 ms" in eos["reason"]
    assert "end-of-speech" in eos["reason"]


def test_turn_detection_is_recommended_when_it_is_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], user_presets: Path
) -> None:
    _slow_silence_calls(tmp_path)
    user_presets.mkdir(parents=True)
    (user_presets / "nodetect.toml").write_text(
        '[preset]\nextends = "normal"\n[params]\nenable_turn_detection = false\n'
    )
    _, doc = run_json(capsys, str(tmp_path), "--preset", "nodetect")
    recs = {r["param"]: r for r in doc["recommendations"]}
    assert recs["enable_turn_detection"]["current"] is False
    assert recs["enable_turn_detection"]["proposed"] is True


def test_early_barges_raise_barge_min_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = []
    for n in range(10):
        entries += [user(), assistant(f"Answer {n}.", barged=n < 4, barge_elapsed_ms=600)]
    write(tmp_path / "b.json", payload(entries))
    _, doc = run_json(capsys, str(tmp_path), "--preset", "quick")
    rec = {r["param"]: r for r in doc["recommendations"]}["barge_min_words"]
    assert rec["current"] == 1
    assert rec["proposed"] == 3  # 40% barged: two more words
    assert "4 of 10" in rec["reason"] and "600 ms" in rec["reason"]


def test_late_barges_do_not_raise_barge_min_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = []
    for n in range(10):
        entries += [user(), assistant(f"Answer {n}.", barged=n < 4, barge_elapsed_ms=6000)]
    write(tmp_path / "b.json", payload(entries))
    _, doc = run_json(capsys, str(tmp_path))
    assert "barge_min_words" not in {r["param"] for r in doc["recommendations"]}


def test_many_attention_timeouts_lengthen_attention_timeout_within_bounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.json", payload([assistant(), attention(10000), user()]))
    _, doc = run_json(capsys, str(tmp_path))
    rec = {r["param"]: r for r in doc["recommendations"]}["attention_timeout"]
    assert rec["current"] == 10000
    assert rec["proposed"] == 15000
    assert "3 times in 3 calls" in rec["reason"]


def test_attention_timeout_proposals_never_leave_the_schema_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.json", payload([assistant(), attention(590000)]))
    _, doc = run_json(capsys, str(tmp_path))
    for rec in doc["recommendations"]:
        SPECS[rec["param"]].validate(rec["proposed"])
    rec = {r["param"]: r for r in doc["recommendations"]}["attention_timeout"]
    assert rec["proposed"] == 600000


def test_calls_without_evidence_get_no_recommendations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "ok.json", payload([user(), assistant(acoustic_latency=700), attention()]))
    _, doc = run_json(capsys, str(tmp_path))
    assert doc["recommendations"] == []


def test_write_preset_saves_the_recommendations_extending_the_preset(
    tmp_path: Path, user_presets: Path
) -> None:
    _slow_silence_calls(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "tuner", "calls", str(tmp_path), "--preset", "elderly",
         "--write-preset", "tuned"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    saved = presets.load("tuned")
    assert saved.extends == "elderly"
    assert saved.source == "user"
    assert saved.params.end_of_speech_timeout is not None
    assert saved.params.end_of_speech_timeout < 800
    assert saved.params.attention_timeout == 20000  # inherited
    assert "end_of_speech_timeout" in run.stdout


def test_text_report_shows_percentiles_and_recommendations(tmp_path: Path) -> None:
    _slow_silence_calls(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "tuner", "calls", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0
    assert "4 calls, 8 assistant turns" in run.stdout
    assert "nearest-rank" in run.stdout
    assert "end_of_speech_timeout: 500 →" in run.stdout


def test_a_missing_path_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tuner", "calls", str(tmp_path / "nothing")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1
    assert "no such file or folder" in run.stderr
    assert "Traceback" not in run.stderr


def _run_with_terminal(args: list[str], stream: str, env: dict[str, str] | None = None) -> str:
    """Run the CLI with stdout or stderr on a pseudo-terminal; return what the terminal got."""
    import os
    import pty

    master, slave = pty.openpty()
    kwargs: dict[str, Any] = {stream: slave}
    other = "stderr" if stream == "stdout" else "stdout"
    kwargs[other] = subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-m", "tuner", *args], env=env, **kwargs)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_thousands_of_files_show_progress_only_on_a_terminal(tmp_path: Path) -> None:
    text = json.dumps(payload([user(), assistant(acoustic_latency=900)]))
    for n in range(250):
        (tmp_path / f"{n:04}.json").write_text(text)
    on_terminal = _run_with_terminal(["calls", str(tmp_path)], "stderr")
    assert "analysing" in on_terminal and "250/250 files" in on_terminal
    piped = subprocess.run(
        [sys.executable, "-m", "tuner", "calls", str(tmp_path)], capture_output=True, text=True
    )
    assert piped.returncode == 0
    assert "analysing" not in piped.stderr
    assert "250 calls" in piped.stdout


def test_grades_are_coloured_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _run_with_terminal(["budget", "normal"], "stdout", env)
    assert "\033[33macceptable\033[0m" in coloured
    plain = _run_with_terminal(["budget", "normal"], "stdout", {**env, "NO_COLOR": "1"})
    assert "acceptable" in plain and "\033[" not in plain


def test_a_json_file_with_one_payload_per_line_is_read_as_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps(payload([assistant(acoustic_latency=ms)])) for ms in (400, 800)]
    (tmp_path / "export.json").write_text("\n".join(lines), encoding="utf-8")
    code, doc = run_json(capsys, str(tmp_path / "export.json"))
    assert code == 0
    assert doc["calls"] == 2


def test_slow_tools_ask_for_fillers_and_running_tools_while_the_filler_plays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], user_presets: Path
) -> None:
    entries = []
    for _ in range(3):
        entries += [user(), tool_call(), tool("search_docs", function_latency=1200), assistant()]
    write(tmp_path / "slow.json", payload(entries))
    user_presets.mkdir(parents=True)
    (user_presets / "waits.toml").write_text(
        '[preset]\nextends = "normal"\n[params]\nfunction_wait_for_talking = true\n'
    )
    _, doc = run_json(capsys, str(tmp_path), "--preset", "waits")
    assert doc["grades"]["function"] == "poor"
    rec = {r["param"]: r for r in doc["recommendations"]}["function_wait_for_talking"]
    assert (rec["current"], rec["proposed"]) == (True, False)
    assert "1200 ms" in rec["reason"]
    assert [a["function"] for a in doc["advice"]] == ["search_docs"]
    _, default = run_json(capsys, str(tmp_path))
    # already running tools while the filler plays: nothing to change in ai.params
    assert default["recommendations"] == []
    assert default["advice"][0]["setting"] == "fillers"


def test_raw_log_barge_metadata_completes_the_blessed_log_without_double_counting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blessed = [
        {**user(), "timestamp": 1},
        {**assistant("Let me explain.", acoustic_latency=900), "timestamp": 2},
        {**user(), "timestamp": 3},
        {**assistant("Anything else?", acoustic_latency=700), "timestamp": 4},
    ]
    raw = [
        {**user(), "timestamp": 1},
        {
            **assistant(
                "Let me explain.",
                nested=True,
                acoustic_latency=900,
                barged=True,
                barge_elapsed_ms=350,
            ),
            "timestamp": 2,
        },
        {**user(), "timestamp": 3},
        {**assistant("Anything else?", nested=True, acoustic_latency=700), "timestamp": 4},
        attention(),
    ]
    write(tmp_path / "both.json", {"call_log": blessed, "raw_call_log": raw})
    _, doc = run_json(capsys, str(tmp_path))
    assert doc["assistant_turns"] == 2
    assert doc["acoustic_latency_ms"]["count"] == 2
    assert doc["barged_turns"] == 1
    assert doc["barge_elapsed_ms"]["max"] == 350
    assert doc["attention_timeouts"] == 1


def test_attention_timeouts_only_in_the_call_timeline_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = payload([user(), assistant()])
    data["call_timeline"] = [
        {"ts": 1, "type": "attention_timeout", "timeout_ms": 12000},
        {"ts": 2, "type": "attention_timeout", "timeout_ms": 12000},
        {"ts": 3, "type": "session_end", "reason": "normal", "ended_by": "system"},
    ]
    write(tmp_path / "timeline.json", data)
    _, doc = run_json(capsys, str(tmp_path))
    assert doc["attention_timeouts"] == 2
    assert doc["ended"] == {"normal by system": 1}


def test_evidence_read_separately_pools_into_one_record() -> None:
    # Recordings and call logs are read into records of their own, then pooled: every list
    # joined, every count added, turns known only if every source knew them.
    from collections import Counter

    from tuner.whatif import Evidence, pooled

    rec = Evidence(pause_ms=[400.0], pause_step=[""], recordings=2, turns_known=False,
                   pause_sources=Counter(recordings=1))  # fmt: skip
    logs = Evidence(pause_ms=[900.0], pause_step=["greet"], calls=3, first_estimated=1,
                    turns_by_step=Counter(greet=4), notes=["a note"],
                    pause_sources=Counter(calls=1))  # fmt: skip
    ev = pooled([rec, logs])
    assert ev.pause_ms == [400.0, 900.0] and ev.pause_step == ["", "greet"]
    assert (ev.recordings, ev.calls, ev.first_estimated) == (2, 3, 1)
    assert ev.turns_known is False and ev.turns_by_step == Counter(greet=4)
    assert ev.pause_sources == Counter(recordings=1, calls=1) and ev.notes == ["a note"]
    assert rec.pause_ms == [400.0]  # the sources are left as they were
