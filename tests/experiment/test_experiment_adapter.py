"""One post_conversation payload -> the figures of one call, and the stamp it carries."""

from __future__ import annotations

from typing import Any

import pytest

from tuner.calls import PayloadError
from tuner.experiment.adapter import from_payload

T = 1_700_000_000_000_000  # µs, as SignalWire stamps entries


def user(start_s: float, end_s: float, wait: int | None = 600) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "role": "user",
        "timestamp": T + int(end_s * 1e6),
        "start_timestamp": T + int(start_s * 1e6),
        "end_timestamp": T + int(end_s * 1e6),
        "content": "well I was wondering",
    }
    if wait is not None:
        entry["speaking_to_final_event"] = wait
    return entry


def reply(at_s: float, audio: int = 900, **extra: Any) -> dict[str, Any]:
    return {
        "role": "assistant",
        "timestamp": T + int(at_s * 1e6),
        "content": "Sure, let me help with that.",
        "latency": 200,
        "utterance_latency": 500,
        "audio_latency": audio,
        **extra,
    }


def payload(
    log: list[dict[str, Any]],
    ended: str = "The conversation has been ended by the user.",
    **top: Any,
) -> dict[str, Any]:
    # Shape of SignalWire's post_conversation sample (post_prompt_viewer): call_log closes with
    # a system line saying who ended the call.
    return {
        "action": "post_conversation",
        "caller_id_number": "+15555550123",
        "call_log": [
            {"role": "system", "content": "You are a helper."},
            *log,
            {"role": "system", "content": ended},
        ],
        **top,
    }


def test_a_split_utterance_and_an_early_barge_are_cut_offs_a_late_barge_is_not() -> None:
    log = [
        reply(1),
        user(3, 5),
        user(5.4, 7),  # the caller went on 0.4 s later: one utterance split in two
        reply(8),
        user(10, 12),
        reply(13, metadata={"barged": True, "barge_elapsed_ms": 600}),  # barged at once
        user(13.8, 15),
        reply(16, metadata={"barged": True, "barge_elapsed_ms": 4000}),  # heard most of it
        user(21, 22),
        reply(23),
        user(30, 31),  # a new turn long after the answer: not a cut-off
        reply(32),
    ]
    call = from_payload(payload(log, global_data={"speech_tuner_preset": "quick"}))
    assert call.caller_turns == 6
    assert call.cut_offs == 2
    assert call.agent_turns == 6 and call.barged_turns == 2
    assert call.preset == "quick" and call.experiment is None
    assert call.ended_early is False  # the agent had the last word


def test_endpointing_and_first_response_come_from_the_fields_that_are_there() -> None:
    log = [
        user(1, 2, wait=700),
        reply(3, audio=900),  # estimate: 700 + 900
        user(5, 6, wait=650),
        reply(7, audio=1000, acoustic_latency=1400, eos_to_push_latency=500),  # measured
        user(9, 10, wait=-5319),  # garbage seen in real payloads: ignored
        reply(11, audio=900),
    ]
    call = from_payload(payload(log))
    assert call.endpointing_ms == (700.0, 500.0)
    assert call.first_response_ms == (1600.0, 1400.0)


def test_a_caller_who_hangs_up_on_the_agent_ended_early() -> None:
    call = from_payload(payload([reply(1), user(3, 5), reply(6), user(8, 9)]))
    assert call.ended_early is True
    unknown = from_payload(payload([reply(1), user(3, 5)], ended="You are a helper."))
    assert unknown.ended_early is None


def test_the_recorders_stamp_and_the_global_data_stamp_are_both_read() -> None:
    stamped = payload([reply(1)], speech_tuner={"preset": "elderly", "experiment": "p-1"})
    assert (from_payload(stamped).preset, from_payload(stamped).experiment) == ("elderly", "p-1")
    in_global = payload(
        [reply(1)],
        global_data={"speech_tuner_preset": "normal", "speech_tuner_experiment": "p-1"},
    )
    assert (from_payload(in_global).preset, from_payload(in_global).experiment) == ("normal", "p-1")
    assert from_payload(payload([reply(1)])).preset is None


def test_what_is_no_payload_is_refused_with_a_reason() -> None:
    with pytest.raises(PayloadError, match="not a post_conversation payload"):
        from_payload({"hello": 1})


def test_a_caller_who_barges_early_and_goes_on_is_one_cut_off() -> None:
    # The reply was barged 500 ms in; the caller's next onset is also within 1.5 s of their
    # own previous final: one caller cut off, the same as `speech-tuner calls` counts it.
    log = [
        reply(1),
        user(3, 5),
        reply(5.3, audio=300, metadata={"barged": True, "barge_elapsed_ms": 500}),
        user(5.8, 7),
        reply(8),
    ]
    call = from_payload(payload(log))
    assert (call.caller_turns, call.cut_offs, call.barged_turns) == (2, 1, 1)


def test_a_caller_who_hangs_up_after_an_attention_timeout_ended_early() -> None:
    timeout = {"role": "system-log", "action": "attention_timeout", "timestamp": T + 20_000_000,
               "metadata": {"timeout_ms": 10000}}  # fmt: skip
    call = from_payload(payload([reply(1), user(3, 5), reply(6), timeout, reply(21)]))
    assert call.attention_timeouts == 1 and call.ended_early is True
