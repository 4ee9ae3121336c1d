"""One post_conversation payload → what it says about speech timing, turn by turn.

The platform writes the same conversation up to three times: `raw_call_log` (every segment as
it happened, with the barge fields), `call_log` (the "blessed" log: barge segments merged,
scrapped replies dropped) and `call_timeline` (flat events). The raw log is read when present,
because only it keeps a caller's split utterance as two turns and the agent's barged replies;
otherwise the blessed log, otherwise the timeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: Per-turn latency fields of an assistant entry (ms); 0 or absent means "not measured".
TURN_METRICS = (
    "latency",
    "utterance_latency",
    "audio_latency",
    "acoustic_latency",
    "eos_to_push_latency",
)
#: Latency fields of a tool entry (ms).
TOOL_METRICS = ("function_latency", "execution_latency")
#: A caller turn that starts this soon (ms) after the caller's own previous turn was taken is
#: the rest of the same utterance: the platform ended the turn in a mid-sentence pause.
CUT_OFF_GAP_MS = 1500
#: A barge this soon after the agent starts talking is "early" (ms of agent audio heard): the
#: caller was still talking when the agent took the turn.
EARLY_BARGE_MS = 1500
#: The step of turns in payloads that name no dialogue step.
NO_STEP = "(no steps)"


class PayloadError(ValueError):
    """A payload that cannot be analysed; the message says why, for people."""


@dataclass(slots=True)
class Call:
    """What one payload says about speech timing: per-turn figures of this call only."""

    where: str
    call_id: str | None = None
    preset: str | None = None
    experiment: str | None = None
    assistant_turns: int = 0
    caller_turns: int = 0
    metrics: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in TURN_METRICS})
    #: Waits before the model was asked: eos_to_push_latency, else acoustic - audio latency.
    pre_model_wait: list[float] = field(default_factory=list)
    #: acoustic_latency of turns that answered after a tool call.
    function_turn: list[float] = field(default_factory=list)
    tools: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in TOOL_METRICS})
    #: How long each function ran (ms) per function name: function_call `duration_ms`, else
    #: the tool entry's end - start, else its function_latency.
    by_function: dict[str, list[float]] = field(default_factory=dict)
    barged_turns: int = 0
    barge_elapsed: list[float] = field(default_factory=list)
    early_barges: int = 0
    attention_timeouts: int = 0
    attention_timeout_ms: list[float] = field(default_factory=list)
    #: Per caller turn: the endpointing wait (ms) and the field it came from.
    endpointing: list[float] = field(default_factory=list)
    endpointing_sources: dict[str, int] = field(default_factory=dict)
    #: Per caller turn answered directly: the first response (ms), measured or estimated.
    first_response: list[float] = field(default_factory=list)
    first_response_sources: dict[str, int] = field(default_factory=dict)
    caller_turn: list[float] = field(default_factory=list)
    turn_detection_to_final: list[float] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    split_turns: int = 0
    split_gaps: list[float] = field(default_factory=list)
    #: `times[].answer_time` of spoken responses (ms).
    answer_time: list[float] = field(default_factory=list)
    #: "context/step" → that step's per-turn figures.
    steps: dict[str, StepCall] = field(default_factory=dict)
    #: "field: why" → how many values were set aside as implausible.
    ignored: dict[str, int] = field(default_factory=dict)
    ended: str = "unknown"
    caller_hung_up: bool = False
    ended_early: bool = False

    def step(self, name: str) -> StepCall:
        found = self.steps.get(name)
        if found is None:
            found = self.steps[name] = StepCall()
        return found


@dataclass(slots=True)
class StepCall:
    """One dialogue step's caller-turn figures within one call."""

    caller_turns: int = 0
    cut_offs: int = 0
    attention_timeouts: int = 0
    endpointing: list[float] = field(default_factory=list)
    caller_turn: list[float] = field(default_factory=list)
    first_response: list[float] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    split_gaps: list[float] = field(default_factory=list)
    # What the editor's Evidence tab replays against other values (tuner.whatif):
    #: The gap (ms) before each caller turn that barged a reply early (counted as that barge,
    #: not as a split turn): like `split_gaps`, a pause in which the caller was cut off.
    barge_gaps: list[float] = field(default_factory=list)
    #: The endpointing wait inside each `first_response` (0: not measured), in the same order.
    first_response_wait: list[float] = field(default_factory=list)
    #: Spoken replies of the agent in this step.
    replies: int = 0
    #: Per barged reply: the words of the caller turn that interrupted it (None: no such turn).
    barge_words: list[int | None] = field(default_factory=list)
    #: The silence (ms) after which each attention timeout fired, where the log says.
    attention_timeout_ms: list[float] = field(default_factory=list)


def json_kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _bad(key: str, value: Any, want: str, index: int, log: str) -> PayloadError:
    kind = type(value).__name__ if value is not None else "null"
    return PayloadError(f"{log}[{index}].{key}: expected {want}, got {kind}")


_INFINITIES = (math.inf, -math.inf)


def _number(entry: dict[str, Any], key: str, i: int, log: str) -> float | None:
    """A numeric field; None when absent, null or not finite; PayloadError when not a number."""
    value = entry.get(key)
    cls = value.__class__
    if cls is int:
        return value
    if cls is float:
        return None if value != value or value in _INFINITIES else value
    if value is None:
        return None
    raise _bad(key, value, "a number", i, log)


def _entries(payload: dict[str, Any], key: str) -> list[Any] | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise PayloadError(f"{key}: expected a list of entries, got {type(value).__name__}")
    return value


def _timeline_as_log(timeline: list[Any]) -> list[Any]:
    """call_timeline events as call_log-like entries."""
    roles = {"ai_response": "assistant", "tool_result": "tool", "user_input": "user"}
    out: list[Any] = []
    for i, event in enumerate(timeline):
        if not isinstance(event, dict):
            raise PayloadError(f"call_timeline[{i}]: expected an object")
        kind = event.get("type")
        role = roles.get(kind) if isinstance(kind, str) else None
        if role == "assistant":
            out.append({**event, "role": role, "content": event.get("content", "(spoken)")})
        elif role == "user":
            out.append({**event, "role": role, "timestamp": event.get("ts")})
        elif role:
            out.append({**event, "role": role})
        else:
            out.append({"role": "system-log", "action": kind, "metadata": event})
    return out


def preset_of(payload: Any) -> tuple[str | None, str | None]:
    """The (preset, experiment) a call ran with, as stamped by `record_calls` or in global_data."""
    if not isinstance(payload, dict):
        return None, None
    stamp = payload.get("speech_tuner")
    data = payload.get("global_data")
    for source, preset_key, experiment_key in (
        (stamp, "preset", "experiment"),
        (data, "speech_tuner_preset", "speech_tuner_experiment"),
    ):
        if isinstance(source, dict):
            preset, experiment = source.get(preset_key), source.get(experiment_key)
            if isinstance(preset, str) and preset:
                return preset, experiment if isinstance(experiment, str) and experiment else None
    return None, None


def _call_length_ms(payload: dict[str, Any]) -> float | None:
    """The call's own length (ms), the bound no per-turn figure can exceed; None if unknown."""
    for start_key, end_key in (
        ("call_start_date", "call_end_date"),
        ("ai_start_date", "ai_end_date"),
    ):
        start, end = payload.get(start_key), payload.get(end_key)
        if (
            isinstance(start, (int, float))
            and isinstance(end, (int, float))
            and not isinstance(start, bool)
            and not isinstance(end, bool)
            and 0 < start < end
        ):
            return (end - start) / 1000
    return None


def _choose_log(payload: dict[str, Any]) -> tuple[list[Any], str]:
    raw = _entries(payload, "raw_call_log")
    log = _entries(payload, "call_log")
    timeline = _entries(payload, "call_timeline")
    if raw:
        return raw, "raw_call_log"
    if log:
        return log, "call_log"
    if timeline:
        return _timeline_as_log(timeline), "call_timeline"
    if log is None and raw is None and timeline is None:
        raise PayloadError(
            "not a post_conversation payload: no call_log, raw_call_log or call_timeline"
        )
    return [], "call_log"


def _read_times(call: Call, times: Any) -> None:
    """`times[]`, one per model response: answer_time (s) of spoken ones (not tool dispatches)."""
    if not isinstance(times, list):
        return
    for item in times:
        if not isinstance(item, dict):
            continue
        seconds, words = item.get("answer_time"), item.get("response_word_count")
        if (
            isinstance(seconds, (int, float))
            and not isinstance(seconds, bool)
            and isinstance(words, int)
            and words > 0
        ):
            if 0 < seconds < 3600:
                call.answer_time.append(round(seconds * 1000))
            else:
                _bump(call.ignored, "answer_time")
