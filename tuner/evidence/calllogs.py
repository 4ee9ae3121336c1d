"""Caller turns for the editor's evidence: post_conversation payloads read as `calls` reads them."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tuner.whatif import Evidence

#: A caller turn that starts this soon after the agent began a reply it then barged is the rest
#: of the caller's previous turn: the agent had cut the caller off (the rule of `calls`).
EARLY_BARGE_MS = 1500
#: Longest gap between two parts of one caller utterance that is still read as a pause (ms).
MAX_SPLIT_GAP_MS = 10000
#: Endpointing waits beyond this are implausible and set aside (ms).
MAX_WAIT_MS = 60000


def call_inputs(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    from tuner.calls import discover

    files, failures = discover(paths)
    return files, [f"{f.path}: {f.message}" for f in failures]


def read_calls(files: Sequence[Path], step: Callable[[str], None]) -> Evidence:
    from tuner.calls import Failure, PayloadError, parse_file

    ev = Evidence()
    for path in files:
        for item in parse_file(path):
            if isinstance(item, Failure):
                ev.notes.append(f"{item.path}: {item.message}")
                continue
            where, payload = item
            if isinstance(payload, dict) and "assistant_turns" in payload and "calls" in payload:
                ev.notes.append(
                    f"{where}: a `calls --format json` report holds percentiles, not each turn; "
                    "give the call logs themselves"
                )
                continue
            try:
                read_payload(payload, ev)
            except PayloadError as exc:
                ev.notes.append(f"{where}: {exc}")
        step(path.name)
    _missing_fields(ev)
    return ev


def _missing_fields(ev: Evidence) -> None:
    if not ev.calls:
        return
    if not any(w is not None for w in ev.wait_ms):
        ev.notes.append(
            f"call logs: no endpointing wait (speaking_to_final_event or eos_to_push_latency) "
            f"in {len(ev.wait_ms)} caller turns of {ev.calls} calls: waits and first response "
            "cannot be recomputed"
        )


_STEP_TEXT = re.compile(r"->\s*([^\s\[]+)")


def _step_of(entry: Mapping[str, Any], context: str) -> tuple[str, str] | None:
    """(context, step) a step_change or session_start event moves to, if it says."""
    meta = entry.get("metadata")
    data: Mapping[str, Any] = meta if isinstance(meta, dict) else entry
    step = data.get("to_step") or data.get("step")
    if not isinstance(step, str):
        match = _STEP_TEXT.search(str(entry.get("content") or ""))
        if not match:
            return None
        step = match.group(1)
    ctx = data.get("context")
    return (ctx if isinstance(ctx, str) and ctx else context), step


def _num(entry: Mapping[str, Any], key: str) -> float | None:
    value = entry.get(key)
    meta = entry.get("metadata")
    if value is None and isinstance(meta, dict):
        value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _words(content: Any) -> int | None:
    return len(content.split()) if isinstance(content, str) else None


def read_payload(payload: Any, ev: Evidence) -> None:
    """One post_conversation payload's caller turns, replies, barges and timeouts into `ev`."""
    from tuner.calls import PayloadError, _timeline_as_log

    if not isinstance(payload, dict):
        raise PayloadError("expected a JSON object")
    log = payload.get("call_log")
    if not isinstance(log, list) or not log:
        timeline = payload.get("call_timeline")
        if isinstance(timeline, list) and timeline:
            log = _timeline_as_log(timeline)
        elif log is None and timeline is None:
            raise PayloadError("not a post_conversation payload: no call_log or call_timeline")
        else:
            log = []
    # Real call logs keep barge-ins on the timeline's ai_response events: match by timestamp.
    timeline = payload.get("call_timeline")
    barged_at = {
        e.get("ts"): e
        for e in (timeline if isinstance(timeline, list) else [])
        if isinstance(e, dict) and e.get("type") == "ai_response" and e.get("barged") is True
    }
    context, step = "", ""
    last_user: Mapping[str, Any] | None = None
    reply_since_user: Mapping[str, Any] | None = None
    pending_reply: list[int] = []  # turn indexes waiting for the next reply's audio latency
    pending_barge: list[int] = []  # barge indexes waiting for the caller turn's words
    for entry in log:
        if not isinstance(entry, dict):
            continue
        role = entry.get("role")
        key = f"{context}/{step}" if context and step else step
        if role == "system-log" or (role is None and entry.get("action")):
            action = entry.get("action")
            if action in ("step_change", "session_start"):
                moved = _step_of(entry, context)
                if moved:
                    context, step = moved
            elif action == "attention_timeout":
                fired = _num(entry, "timeout_ms")
                if fired is None:
                    match = re.search(r"(\d+)\s*ms", str(entry.get("content") or ""))
                    fired = float(match.group(1)) if match else None
                ev.attention_ms.append(fired)
                ev.attention_step.append(key)
        elif role == "assistant":
            content = entry.get("content")
            if not (isinstance(content, str) and content.strip()):
                continue
            ev.replies_by_step[key] += 1
            twin = barged_at.get(entry.get("timestamp"))
            if twin is not None and "barged" not in entry:
                entry = {**twin, **entry}
            audio = _num(entry, "audio_latency")
            for i in pending_reply:
                ev.reply_ms[i] = audio if audio and audio > 0 else None
            pending_reply.clear()
            barged = entry.get("barged")
            if barged is None and isinstance(entry.get("metadata"), dict):
                barged = entry["metadata"].get("barged")
            if barged is True:
                pending_barge.append(len(ev.barge_words))
                ev.barge_words.append(None)
                ev.barge_step.append(key)
            reply_since_user = entry
        elif role == "user":
            split = _split_gap(last_user, reply_since_user, entry)
            if split is not None:
                ev.pause_ms.append(split)
                ev.pause_step.append(key)
                ev.pause_sources["calls"] += 1
            else:
                ev.turns_by_step[key] += 1
            wait = _num(entry, "eos_to_push_latency") or _num(entry, "speaking_to_final_event")
            ev.wait_ms.append(wait if wait is not None and 0 < wait <= MAX_WAIT_MS else None)
            ev.reply_ms.append(None)
            ev.turn_step.append(key)
            pending_reply.append(len(ev.wait_ms) - 1)
            for i in pending_barge:
                ev.barge_words[i] = _words(entry.get("content"))
            pending_barge.clear()
            last_user, reply_since_user = entry, None
    ev.calls += 1


def _split_gap(
    before: Mapping[str, Any] | None, reply: Mapping[str, Any] | None, user: Mapping[str, Any]
) -> float | None:
    """The pause (ms) between two parts of one caller utterance the agent split, else None.

    Two caller turns in a row with no reply between them, or with a reply the caller barged
    within its first `EARLY_BARGE_MS`: the platform ended the first part during a pause.
    """
    if before is None:
        return None
    if reply is not None:
        elapsed = _num(reply, "barge_elapsed_ms")
        barged = reply.get("barged") is True or (
            isinstance(reply.get("metadata"), dict) and reply["metadata"].get("barged") is True
        )
        if not (barged and elapsed is not None and elapsed <= EARLY_BARGE_MS):
            return None
    end, start = _num(before, "end_timestamp"), _num(user, "start_timestamp")
    if end is None or start is None:
        return None
    gap = (start - end) / 1000.0  # µs -> ms
    return gap if 0 < gap <= MAX_SPLIT_GAP_MS else None
