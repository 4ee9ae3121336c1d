"""One post_conversation payload → `CallFigures`, on top of `tuner.calls`.

`tuner.calls.analyse_payload` validates the payload and gives the agent turns, barges,
attention timeouts and how the call ended; the caller-side figures it does not read yet
(caller turns, cut-offs, the endpointing wait of each turn) are read here from `call_log`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from tuner.experiment.figures import EARLY_BARGE_MS, SPLIT_TURN_GAP_MS, CallFigures, stamp_of

#: An endpointing wait or first response beyond this is not a wait but a broken value.
PLAUSIBLE_MS = 60000


def _ms(value: Any) -> float | None:
    """A plausible millisecond figure, else None (absent, 0, negative, garbage)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value <= 0 or value > PLAUSIBLE_MS:
        return None
    return float(value)


def _field(entry: Mapping[str, Any], key: str) -> Any:
    value = entry.get(key)
    meta = entry.get("metadata")
    if value is None and isinstance(meta, Mapping):
        value = meta.get(key)
    return value


def from_payload(payload: Any, where: str = "<payload>") -> CallFigures:
    """The figures of one call; raises `tuner.calls.PayloadError` for what is no payload."""
    from tuner.calls import analyse_payload

    call = analyse_payload(payload, where)
    preset, experiment = stamp_of(payload)
    log = payload.get("call_log") or payload.get("raw_call_log") or []
    caller_turns = cut_offs = 0
    endpointing: list[float] = []
    first_response: list[float] = []
    last_user_end: float | None = None
    heard_answer = True
    early_barge = False
    pending_wait: float | None = None
    last_spoken = ""
    for entry in log:
        if not isinstance(entry, Mapping):
            continue
        role = entry.get("role")
        if role == "user":
            caller_turns += 1
            start = entry.get("start_timestamp")
            gap_ms = (
                (start - last_user_end) / 1000
                if isinstance(start, (int, float)) and last_user_end is not None
                else None
            )
            split = not heard_answer and gap_ms is not None and 0 <= gap_ms < SPLIT_TURN_GAP_MS
            if split or early_barge:  # counted once even when the caller did both
                cut_offs += 1
            end = entry.get("end_timestamp")
            last_user_end = float(end) if isinstance(end, (int, float)) else None
            heard_answer, early_barge = False, False
            pending_wait = _ms(_field(entry, "speaking_to_final_event"))
            last_spoken = "user"
        elif role == "assistant" and isinstance(entry.get("content"), str) and entry["content"]:
            eos = _ms(_field(entry, "eos_to_push_latency"))
            wait = eos if eos is not None else pending_wait
            if wait is not None and last_spoken == "user":
                endpointing.append(wait)
            acoustic = _ms(_field(entry, "acoustic_latency"))
            audio = _ms(_field(entry, "audio_latency"))
            if last_spoken == "user":
                if acoustic is not None:
                    first_response.append(acoustic)
                elif wait is not None and audio is not None:
                    first_response.append(wait + audio)
            pending_wait = None
            barged = _field(entry, "barged") is True
            elapsed = _ms(_field(entry, "barge_elapsed_ms"))
            if barged:
                early_barge = elapsed is not None and elapsed < EARLY_BARGE_MS
                last_spoken = "barged"
            else:
                heard_answer = True
                last_spoken = "assistant"
    by_caller = call.ended in ("hangup by caller", "hangup by user") or call.ended.endswith(
        (" by caller", " by user")
    )
    ended_early: bool | None = None
    if call.ended != "unknown":
        ended_early = by_caller and last_spoken in ("user", "barged")
    return CallFigures(
        preset=preset,
        experiment=experiment,
        caller_turns=caller_turns,
        cut_offs=cut_offs,
        agent_turns=call.assistant_turns,
        barged_turns=call.barged_turns,
        attention_timeouts=call.attention_timeouts,
        ended_early=ended_early,
        endpointing_ms=tuple(endpointing),
        first_response_ms=tuple(first_response),
        where=where,
    )
