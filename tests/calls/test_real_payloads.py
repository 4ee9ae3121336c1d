"""`speech-tuner calls` on payloads shaped like SignalWire's real post_conversation payloads."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from real_shape import Conversation

from tuner.calls import (
    Histogram,
    PresetFigures,
    Summary,
    analyse,
    analyse_file,
    call_figures,
    iter_figures,
    percentile,
    preset_of,
)
from tuner.cli import main
from tuner.params import SPECS


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["calls", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def run_text(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["calls", *args])
    out, err = capsys.readouterr()
    return code, out, err


def dental_call() -> Conversation:
    """Like call.json: a greeting, an attention timeout, a date of birth whose
    speaking_to_turn_detection is garbage (-5319 beside 8020), tools, steps."""
    c = Conversation()
    c.agent("Hi Brian, thanks for calling! Can you confirm your date of birth?")
    c.attention(5000)
    c.agent("Brian, are you there?", audio=1537)
    c.caller("Yes.", s2f=880)
    c.agent("Thank you. Can you please provide your date of birth?", audio=1797)
    c.caller("Two eighteen seventy seven", s2f=2700, s2td=-5319, td2f=8020, confidence=1)
    c.step("verify_identity")
    c.function("verify_identity_tool", duration_ms=347)
    c.agent("Thank you for confirming. How can I help you?", audio=1545)
    c.caller("I would like to know my upcoming appointments.", s2f=3480)
    c.step("lookup_appointments")
    c.function("get_patient_appointments", duration_ms=129)
    c.agent("You have four upcoming appointments.", audio=1934)
    c.caller("No. That'll be it. Thank you.", s2f=1560)
    c.agent("Thanks for calling! Have a great day.", audio=1899)
    return c


def test_endpointing_is_read_per_caller_turn_and_implausible_values_are_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = dental_call()
    c.caller("And one more thing", s2f=1000)
    data = c.payload()
    data["raw_call_log"][-2]["speaking_to_final_event"] = 10**9  # longer than the whole call
    code, doc = run_json(capsys, str(write(tmp_path / "call.json", data)))
    assert code == 0
    end = doc["endpointing_ms"]
    assert end["count"] == 4  # the 10**9 turn is not in it
    assert (end["p50"], end["max"]) == (1560, 3480)
    assert end["source"] == {"speaking_to_final_event": 4}
    assert end["from_speech_onset"] is True
    assert doc["ignored"] == {
        "speaking_to_turn_detection": 1,
        "turn_detection_to_final_event": 1,
        "speaking_to_final_event": 1,
    }
    # the garbage turn's 8020 never enters a figure
    assert doc["turn_detection_to_final_event_ms"]["max"] == 280
    assert doc["caller_turns"] == 5
    assert doc["confidence"]["count"] == 5
    code, out, _ = run_text(capsys, str(tmp_path / "call.json"))
    assert "1 values ignored as implausible (field: speaking_to_turn_detection)" in out
    assert "endpointing wait (from onset)" in out


def test_first_response_without_acoustic_latency_is_an_estimate_and_says_from_what(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = Conversation()
    c.agent("How can I help?")
    for s2f, audio in ((900, 700), (1100, 800), (1300, 900)):
        c.caller("A question.", s2f=s2f)
        c.agent("An answer.", audio=audio)
    c.caller("Book it.", s2f=1000)
    c.function("book", duration_ms=200)
    c.agent("Booked.", audio=600)  # after a tool: not a direct reply, never estimated
    _, doc = run_json(capsys, str(write(tmp_path / "call.json", c.payload())))
    first = doc["first_response_ms"]
    assert (first["count"], first["p50"], first["max"]) == (3, 1900, 2200)
    assert first["estimate"] is True
    assert first["source"] == {"estimate: speaking_to_final_event + audio_latency": 3}
    assert doc["grades"]["first_response"] == "acceptable"
    _, out, _ = run_text(capsys, str(tmp_path / "call.json"))
    assert "first response (estimate)" in out
    assert (
        "grades (p50): first response (estimate from the caller's speech onset) acceptable" in out
    )


def test_measured_fields_win_over_estimates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = Conversation()
    for _ in range(3):
        c.caller("Hello.", s2f=900)
        c.agent("Hi.", audio=700, acoustic_latency=1100, eos_to_push_latency=350)
    _, doc = run_json(capsys, str(write(tmp_path / "call.json", c.payload())))
    assert doc["endpointing_ms"]["source"] == {"eos_to_push_latency": 3}
    assert doc["endpointing_ms"]["from_speech_onset"] is False
    assert doc["endpointing_ms"]["p50"] == 350
    assert doc["first_response_ms"]["source"] == {"acoustic_latency": 3}
    assert doc["first_response_ms"]["estimate"] is False


def booking_call(splits: int, early: int, step: str = "collect_dates") -> Conversation:
    """Like public/examples/call.json: a caller who pauses mid-answer ("Yes." ... "It is a
    round trip."), the agent's scrapped reply in between, and replies barged early."""
    c = Conversation(step="greeting")
    c.agent("Welcome back! Where are you flying from?")
    c.caller("Tulsa.", s2f=1200)
    c.step(step)
    for _ in range(splits):
        c.agent("Is this a round trip?")
        c.caller("Yes.", s2f=760)
        c.agent("Just to clarify, is it a round trip?", scrapped=True, speak_ms=600)
        c.caller("It is a round trip.", s2f=1440, after_own_turn_ms=880)
    for _ in range(early):
        c.agent("What cabin class would you like?", barge_elapsed=600)
        c.caller("First.", s2f=900)
    c.agent("When would you like to return?")
    c.caller("August fifteenth.", s2f=1140)
    return c


def test_callers_cut_off_count_split_utterances_and_early_barges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = run_json(capsys, str(write(tmp_path / "c.json", booking_call(2, 1).payload())))
    cut = doc["cut_offs"]
    assert (cut["split_turns"], cut["early_barges"], cut["count"]) == (2, 1, 3)
    assert cut["caller_turns"] == 7
    assert cut["per_100_caller_turns"] == pytest.approx(42.9)
    assert cut["split_gap_ms"]["max"] == 880
    _, doc = run_json(capsys, str(write(tmp_path / "d.json", booking_call(0, 0).payload())))
    assert doc["cut_offs"]["count"] == 0  # callers answering the agent are not splits


def test_a_caller_who_barges_early_is_cut_off_once_not_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A quick reply barged 600 ms in: the caller's onset is 1.2 s after their own previous
    # final too, but it is one caller cut off, not a split utterance as well.
    c = Conversation()
    c.agent("Where are you flying from?")
    c.caller("Tulsa, and I", s2f=1000)
    c.agent("Got it, Tulsa.", audio=500, barge_elapsed=600)
    c.caller("and I need two seats.", s2f=1400, after_own_turn_ms=1200)
    c.agent("Two seats from Tulsa.")
    c.caller("Yes.", s2f=700)
    _, doc = run_json(capsys, str(write(tmp_path / "c.json", c.payload())))
    cut = doc["cut_offs"]
    assert (cut["split_turns"], cut["early_barges"], cut["count"]) == (0, 1, 1)
    assert cut["caller_turns"] == 3


def test_cut_offs_lengthen_end_of_speech_timeout_and_steps_get_their_own_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.json", booking_call(2, 0, step="collect_dob").payload())
    _, doc = run_json(capsys, str(tmp_path))
    rec = {r["param"]: r for r in doc["recommendations"]}["end_of_speech_timeout"]
    assert rec["current"] == 500  # the normal preset
    assert rec["proposed"] > 500
    SPECS["end_of_speech_timeout"].validate(rec["proposed"])
    assert "6 of 18 caller turns were cut off" in rec["reason"]
    step = [a for a in doc["advice"] if a.get("step") == "default/collect_dob"]
    assert step and step[0]["proposed"] == rec["proposed"]
    assert "in step `default/collect_dob`: end_of_speech_timeout 500 →" in step[0]["reason"]
    assert doc["steps"]["default/collect_dob"]["cut_offs"] == 6
    assert doc["steps"]["default/greeting"]["cut_offs"] == 0
    assert "default/greeting" not in {a.get("step") for a in doc["advice"]}


def test_steps_show_where_callers_pause_longer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = Conversation(step="confirm")
    for _ in range(3):
        c.agent("Is that right?")
        c.caller("Yes.", s2f=700)
    c.step("collect_email")
    for _ in range(3):
        c.agent("What is your e-mail address?")
        c.caller("b r i a n at example dot com", s2f=4200)
    path = write(tmp_path / "call.json", c.payload())
    _, doc = run_json(capsys, str(path))
    steps = doc["steps"]
    assert steps["default/confirm"]["endpointing_ms"]["p50"] == 700
    assert steps["default/collect_email"]["endpointing_ms"]["p50"] == 4200
    assert steps["default/collect_email"]["caller_turns"] == 3
    _, out, _ = run_text(capsys, str(path), "--by", "step")
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("default/")}
    assert "4200" in lines["default/collect_email"] and "700" in lines["default/confirm"]


def test_attention_timeouts_use_the_timeout_the_platform_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(2):
        c = dental_call()
        c.attention(5000)
        write(tmp_path / f"{n}.json", c.payload())
    _, doc = run_json(capsys, str(tmp_path))
    assert doc["attention_timeouts"] == 4 and doc["attention_timeouts_per_call"] == 2
    assert doc["attention_timeout_ms"]["max"] == 5000
    rec = {r["param"]: r for r in doc["recommendations"]}["attention_timeout"]
    assert "after 5000 ms (the timeout_ms the platform used)" in rec["reason"]
    SPECS["attention_timeout"].validate(rec["proposed"])


def test_functions_are_graded_on_their_run_time_and_slow_ones_pooled_for_fillers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = run_json(capsys, str(write(tmp_path / "fast.json", dental_call().payload())))
    # function_latency (1173 ms) is the model turn's, not the function's: 347 and 129 ms ran
    assert doc["grades"]["function"] == "good"
    assert doc["function_duration_ms"]["max"] == 347
    c = Conversation()
    for name in ("search_flights", "price_flight", "book_flight"):
        c.caller("Go on.")
        c.function(name, duration_ms=1500)
        c.agent("Done.")
    _, doc = run_json(capsys, str(write(tmp_path / "slow" / "call.json", c.payload())))
    pooled = [a for a in doc["advice"] if a.get("function") == "(all functions)"]
    assert pooled and "pooled" in pooled[0]["reason"]
    assert "book_flight" in pooled[0]["reason"]
    assert doc["grades"]["function"] == "poor"


def test_advice_code_is_never_broken_across_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = Conversation()
    for _ in range(3):
        c.caller("Look it up.")
        c.function("lookup_a_very_long_function_name_for_wrapping", duration_ms=1800)
        c.agent("Found it.")
    _, out, _ = run_text(capsys, str(write(tmp_path / "call.json", c.payload())))
    assert '`"fillers": {"en-US": ["One moment while I check."]}`' in out


def test_no_readable_payload_prints_the_errors_and_exits_1_without_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    code, out, err = run_text(capsys, str(tmp_path / "a.json"))
    assert code == 1
    assert out == ""
    assert "a.json" in err and "recommendations" not in err + out
    code, doc = run_json(capsys, str(tmp_path / "a.json"))
    assert code == 1 and doc["calls"] == 0 and len(doc["errors"]) == 1
    assert "recommendations" not in doc
    # a file holding only a torn last line (no newline yet) has nothing to report either
    (tmp_path / "b.jsonl").write_text('{"call_id": "torn', encoding="utf-8")
    code, doc = run_json(capsys, str(tmp_path / "b.jsonl"))
    assert code == 1 and "incomplete last line" in doc["errors"][0]["message"]


def test_too_little_evidence_says_exactly_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {"call_id": "x", "call_log": [{"role": "assistant", "content": "Hello.",
                                          "latency": 300, "audio_latency": 900}]}  # fmt: skip
    code, out, _ = run_text(capsys, str(write(tmp_path / "thin.json", data)))
    assert code == 0
    assert "none; not enough evidence" in out
    assert "the evidence asks for no change" not in out
    assert "endpointing wait: no caller turn with speaking_to_final_event" in out
    assert "caller turns: the logs hold no user entries" in out


def test_a_caller_who_hangs_up_unanswered_ended_early(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = Conversation()
    c.agent("How can I help?")
    c.caller("I need to change my booking.")
    c.end("hangup", "caller")
    early = call_figures(c.payload())
    assert early.caller_hung_up and early.caller_ended_early
    done = Conversation()
    done.agent("How can I help?")
    done.caller("Nothing, thanks.")
    done.agent("Goodbye.")
    done.end("hangup", "caller")
    assert not call_figures(done.payload()).caller_ended_early
    assert not call_figures(dental_call().payload()).caller_hung_up


def test_per_call_figures_are_grouped_by_the_stamped_preset() -> None:
    quick = booking_call(1, 1).payload(speech_tuner={"preset": "quick", "experiment": "ab1"})
    other = dental_call()
    other.global_data["speech_tuner_preset"] = "elderly"
    normal = other.payload()
    fig = call_figures(quick, "q.json")
    assert (fig.preset, fig.experiment) == ("quick", "ab1")
    assert fig.cut_offs == 2 and fig.caller_turns == 5
    assert fig.cut_offs_per_100_turns == pytest.approx(40)
    assert fig.endpointing_source == "speaking_to_final_event"
    assert fig.first_response_estimated
    assert call_figures(normal).preset == "elderly"
    assert call_figures(normal).attention_timeout_ms == 5000
    assert preset_of({"call_log": []}) == (None, None)
    one, two = PresetFigures(), PresetFigures()
    one.add(fig)
    two.add(call_figures(normal))
    two.add(call_figures(quick))
    groups = {(g["preset"], g["experiment"]): g for g in one.merge(two).to_json()}
    assert groups["quick", "ab1"]["calls"] == 2
    assert groups["quick", "ab1"]["cut_offs"] == 4
    assert groups["elderly", None]["attention_timeouts_per_call"] == 1
    assert groups["quick", "ab1"]["per_call"]["cut_offs_per_100_turns"]["p50"] == 40


def test_figures_stream_from_files_with_failures_in_place(tmp_path: Path) -> None:
    day = tmp_path / "calls-2026-12-05.jsonl"
    quick = booking_call(1, 0).payload(speech_tuner={"preset": "quick", "experiment": None})
    day.write_text(json.dumps(quick) + "\n{broken\n" + json.dumps(dental_call().payload()) + "\n")
    items = list(iter_figures([tmp_path]))
    assert [type(i).__name__ for i in items] == ["CallFigures", "Failure", "CallFigures"]
    assert items[0].preset == "quick" and items[1].path.endswith(":2")


def test_summaries_of_files_merge_into_the_same_report_as_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path / "a.json", dental_call().payload())
    b = write(tmp_path / "b.json", booking_call(2, 1).payload())
    day = tmp_path / "day.jsonl"
    day.write_text(json.dumps(booking_call(1, 0).payload()) + "\n", encoding="utf-8")
    whole = analyse([a, b, day])
    # each part travels as a pickle (another process, a cluster) before it is merged
    shipped: list[Summary] = [pickle.loads(pickle.dumps(analyse_file(p))) for p in (a, b, day)]
    parts = shipped[0].merge(shipped[1]).merge(shipped[2])
    from tuner.model import SpeechTiming

    params = SpeechTiming()
    assert type(parts).to_json(parts, params) == whole.to_json(params)  # type: ignore[attr-defined]
    _, one = run_json(capsys, str(tmp_path))
    _, two = run_json(capsys, str(tmp_path), "--jobs", "2")
    assert one == two and one["calls"] == 3


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(min_value=0, max_value=20000), min_size=1, max_size=300))
def test_histogram_percentiles_are_the_nearest_rank_of_the_values(values: list[int]) -> None:
    hist = Histogram(values=values)
    ordered = sorted(values)
    for p in (1, 50, 90, 95, 100):
        assert hist.percentile(p) == percentile(ordered, p)
    half = len(values) // 2
    merged = Histogram(values=values[:half]).merge(Histogram(values=values[half:]))
    assert merged.summary() == hist.summary()


def test_memory_of_a_summary_does_not_grow_with_the_number_of_calls() -> None:
    rng = random.Random(7)
    hist = Histogram()
    for _ in range(200_000):
        hist.add(rng.randint(200, 3000))
    assert len(hist.bins) <= 2801 and hist.count == 200_000
