"""Walking one call's log entry by entry: caller turns, replies, tools, steps and events."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tuner.calls.payload import (
    CUT_OFF_GAP_MS,
    EARLY_BARGE_MS,
    NO_STEP,
    TOOL_METRICS,
    TURN_METRICS,
    Call,
    PayloadError,
    StepCall,
    _bad,
    _bump,
    _call_length_ms,
    _choose_log,
    _number,
    _read_times,
    json_kind,
    preset_of,
)

_TURN_INDEX = tuple(enumerate(TURN_METRICS))
_FATAL = ("token_exhaustion", "llm_fatal", "llm_max_retries")
_ESTIMATE = {
    source: f"estimate: {source} + audio_latency"
    for source in ("speaking_to_final_event", "eos_to_push_latency", "timing.commit_latency_ms")
}


@dataclass(slots=True)
class _Pending:
    """A caller turn waiting for the agent's reply."""

    step: str
    fallback: float | None
    source: str
    after_tool: bool = False


def _spoken(content: Any, i: int, log: str) -> bool:
    if content is None:
        return False
    if content.__class__ is str:
        return bool(content) and not content.isspace()
    if isinstance(content, list):  # OpenAI-style content parts
        return any(
            isinstance(p, dict) and isinstance(p.get("text"), str) and p["text"].strip()
            for p in content
        )
    raise _bad("content", content, "text", i, log)


def _ending_from_text(text: str) -> str:
    lower = text.lower()
    if "ended by the user" in lower or "user hung up" in lower:
        return "hangup by caller"
    if "ended by the ai" in lower or "ended by the assistant" in lower:
        return "hangup by agent"
    if "timeout" in lower or "timed out" in lower:
        return "timeout"
    return "unknown"


class Walk:
    """The state of reading one log: the dialogue step, the caller turn awaiting its reply."""

    def __init__(self, call: Call, log: str, length_ms: float | None) -> None:
        self.call = call
        self.log = log
        self.length = length_ms if length_ms is not None else math.inf
        self.step = NO_STEP
        self.step_key: tuple[Any, Any] = (None, None)
        self.pending: _Pending | None = None
        self.after_tool = False
        self.prev_caller_end: float | None = None
        self.last_barged = False
        #: Barged replies awaiting the words of the caller turn that interrupted them.
        self.barge_words_pending: list[tuple[StepCall, int]] = []
        #: The last reply was barged early: the caller turn that follows is that cut-off.
        self.cut_by_barge = False
        self.last_system = ""
        self.fatal = ""
        self.saw_attention = False
        self.saw_end = False
        #: An attention timeout fired since the caller last spoke.
        self.unheard = False
        self.tool_durations: dict[str, list[float]] = {}
        self.call_durations: dict[str, list[float]] = {}

    # -- plausibility ------------------------------------------------------------------------
    def plausible(self, key: str, value: float | None) -> float | None:
        """`value` if it can be true (0 ≤ value ≤ the call's length), else None and counted."""
        if value is None:
            return None
        if value < 0 or value > self.length:
            _bump(self.call.ignored, key)
            return None
        return value

    # -- entries -----------------------------------------------------------------------------
    def run(self, log: list[Any]) -> None:
        name = self.log
        for i, entry in enumerate(log):
            if entry.__class__ is not dict:
                raise PayloadError(f"{name}[{i}]: expected an object, got {json_kind(entry)}")
            role = entry.get("role")
            meta = entry.get("metadata")
            if meta is not None and meta.__class__ is not dict:
                raise _bad("metadata", meta, "an object", i, name)
            if role == "user":
                self.user(entry, meta, i)
            elif role == "assistant":
                self.assistant(entry, meta, i)
            elif role == "tool":
                self.tool(entry, meta, i)
            elif role == "system-log":
                self.event(entry.get("action"), meta or entry, i, name)
            elif role == "system":
                content = entry.get("content")
                if isinstance(content, str) and i > 0:
                    self.last_system = content
            elif role is not None and role.__class__ is not str:
                raise _bad("role", role, "text", i, name)

    def user(self, entry: dict[str, Any], meta: dict[str, Any] | None, i: int) -> None:
        call, log = self.call, self.log
        if meta:
            entry = {**meta, **entry}
        self.finish_pending()
        call.caller_turns += 1
        self.unheard = False
        step = call.steps.get(self.step) or call.step(self.step)
        step.caller_turns += 1
        if self.barge_words_pending:
            content = entry.get("content")
            words = len(content.split()) if isinstance(content, str) else None
            for barged_step, index in self.barge_words_pending:
                barged_step.barge_words[index] = words
            self.barge_words_pending.clear()
        length = self.length
        s2f = _number(entry, "speaking_to_final_event", i, log)
        if s2f is not None and (s2f < 0 or s2f > length):
            s2f = self.plausible("speaking_to_final_event", s2f)
        s2td = _number(entry, "speaking_to_turn_detection", i, log)
        if s2td is not None and (s2td < 0 or s2td > length):
            s2td = self.plausible("speaking_to_turn_detection", s2td)
        td2f = _number(entry, "turn_detection_to_final_event", i, log)
        if td2f is not None and s2f is not None and td2f > s2f:
            td2f = None  # a part longer than the whole it is part of
            _bump(call.ignored, "turn_detection_to_final_event")
        if td2f is not None and (td2f < 0 or td2f > length):
            td2f = self.plausible("turn_detection_to_final_event", td2f)
        if td2f is not None and (s2td is not None or s2f is not None):
            call.turn_detection_to_final.append(td2f)
        start = _number(entry, "start_timestamp", i, log)
        end = _number(entry, "end_timestamp", i, log)
        span = None
        if start is not None and end is not None:
            span = (end - start) / 1000
            if span < 0 or span > length:
                span = self.plausible("end_timestamp - start_timestamp", span)
            if span is not None:
                call.caller_turn.append(span)
                step.caller_turn.append(span)
            if self.prev_caller_end is not None and not self.cut_by_barge:
                # A turn that barged a reply early is counted once, as that barge.
                gap = (start - self.prev_caller_end) / 1000
                if 0 <= gap <= CUT_OFF_GAP_MS:
                    call.split_turns += 1
                    call.split_gaps.append(gap)
                    step.cut_offs += 1
                    step.split_gaps.append(gap)
            elif self.prev_caller_end is not None:
                # Still the pause in which the caller was cut off (not a second cut-off).
                gap = (start - self.prev_caller_end) / 1000
                if 0 <= gap <= CUT_OFF_GAP_MS:
                    step.barge_gaps.append(gap)
            self.prev_caller_end = end
        confidence = _number(entry, "confidence", i, log)
        if confidence is not None:
            if 0 <= confidence <= 1:
                call.confidence.append(confidence)
                step.confidence.append(confidence)
            else:
                _bump(call.ignored, "confidence")
        timing = entry.get("timing")
        commit = None
        if timing is not None and isinstance(timing, dict):
            commit = self.plausible(
                "timing.commit_latency_ms", _number(timing, "commit_latency_ms", i, log)
            )
        if commit is not None:
            self.pending = _Pending(self.step, commit, "timing.commit_latency_ms")
        elif s2f is not None or span is None or "speaking_to_final_event" in entry:
            self.pending = _Pending(self.step, s2f, "speaking_to_final_event")
        else:  # the same interval, from the timestamps it is defined by
            self.pending = _Pending(self.step, span, "end_timestamp - start_timestamp")
        self.after_tool = False
        self.cut_by_barge = False

    def finish_pending(self, eos: float | None = None, reply: list[float] | None = None) -> None:
        """Settle the waiting caller turn's endpointing wait (and first response, with a reply)."""
        pending, call = self.pending, self.call
        if pending is None:
            return
        self.pending = None
        if eos is not None:
            wait, source = eos, "eos_to_push_latency"
        elif pending.fallback is not None:
            wait, source = pending.fallback, pending.source
        else:
            wait, source = None, ""
        step = call.steps.get(pending.step) or call.step(pending.step)
        if wait is not None:
            call.endpointing.append(wait)
            _bump(call.endpointing_sources, source)
            step.endpointing.append(wait)
        if reply is None:
            return
        audio, acoustic, poll = reply[2], reply[3], reply[5]
        if acoustic:
            first, label = acoustic, "acoustic_latency"
        elif wait is not None and audio and not pending.after_tool:
            first = wait + audio + (poll if source == "eos_to_push_latency" else 0)
            label = _ESTIMATE.get(source) or f"estimate: {source} + audio_latency"
        else:
            return
        kept = first if 0 <= first <= self.length else self.plausible("first response", first)
        if kept is not None:
            call.first_response.append(kept)
            _bump(call.first_response_sources, label)
            step.first_response.append(kept)
            step.first_response_wait.append(wait if wait is not None else 0.0)

    def assistant(self, entry: dict[str, Any], meta: dict[str, Any] | None, i: int) -> None:
        call, log = self.call, self.log
        content = entry.get("content")
        if content.__class__ is str:
            spoken = bool(content) and not content.isspace()
        else:
            spoken = _spoken(content, i, log)
        if not spoken:
            if entry.get("tool_calls") is not None:
                self.after_tool = True
                if self.pending is not None:
                    self.pending.after_tool = True
            return
        call.assistant_turns += 1
        (call.steps.get(self.step) or call.step(self.step)).replies += 1
        get = entry.get
        values: list[Any] = [
            get("latency"),
            get("utterance_latency"),
            get("audio_latency"),
            get("acoustic_latency"),
            get("eos_to_push_latency"),
            get("poll"),
        ]
        if meta is not None:
            mget = meta.get
            for index, key in _TURN_INDEX:
                if not values[index]:
                    values[index] = mget(key)
            if not values[5]:
                values[5] = mget("poll")
        buckets = call.metrics
        for index, value in enumerate(values):
            if not value:
                values[index] = 0
            elif value.__class__ is not int and value.__class__ is not float:
                key = TURN_METRICS[index] if index < 5 else "poll"
                raise _bad(key, value, "a number of ms", i, log)
            elif value <= 0 or value == math.inf or value > self.length:
                key = TURN_METRICS[index] if index < 5 else "poll"
                if value < 0 or value > self.length:
                    _bump(call.ignored, key)
                values[index] = 0
            elif index < 5:
                buckets[TURN_METRICS[index]].append(value)
        audio, acoustic, eos = values[2], values[3], values[4]
        if eos:
            call.pre_model_wait.append(eos)
        elif acoustic and audio and acoustic > audio:
            call.pre_model_wait.append(acoustic - audio)
        if self.after_tool and acoustic:
            call.function_turn.append(acoustic)
        self.finish_pending(eos or None, values)
        # Speech that also calls a tool comes before the tool: the next turn follows it.
        self.after_tool = entry.get("tool_calls") is not None
        barged = get("barged")
        if barged is None and meta is not None:
            barged = meta.get("barged")
        if barged is not None and barged.__class__ is not bool:
            raise _bad("barged", barged, "true or false", i, log)
        self.last_barged = bool(barged)
        self.cut_by_barge = False
        if barged:
            call.barged_turns += 1
            barged_step = call.step(self.step)
            self.barge_words_pending.append((barged_step, len(barged_step.barge_words)))
            barged_step.barge_words.append(None)
            elapsed = _number(entry, "barge_elapsed_ms", i, log)
            if elapsed is None and meta is not None:
                elapsed = _number(meta, "barge_elapsed_ms", i, log)
            elapsed = self.plausible("barge_elapsed_ms", elapsed)
            if elapsed:
                call.barge_elapsed.append(elapsed)
                if elapsed < EARLY_BARGE_MS:
                    self.cut_by_barge = True
                    call.early_barges += 1
                    call.step(self.step).cut_offs += 1

    def tool(self, entry: dict[str, Any], meta: dict[str, Any] | None, i: int) -> None:
        call, log = self.call, self.log
        if meta:
            entry = {**meta, **entry}
        self.after_tool = True
        if self.pending is not None:
            self.pending.after_tool = True
        latency = None
        for key in TOOL_METRICS:
            value = _number(entry, key, i, log)
            if value is not None and value > 0:
                call.tools[key].append(value)
                if key == "function_latency":
                    latency = value
        name = str(entry.get("function_name") or "?")
        start = _number(entry, "start_timestamp", i, log)
        end = _number(entry, "end_timestamp", i, log)
        ran = None
        if start is not None and end is not None:
            ran = self.plausible("tool end_timestamp - start_timestamp", (end - start) / 1000)
        if ran is None:
            ran = latency
        if ran is not None:
            self.tool_durations.setdefault(name, []).append(ran)

    def event(self, action: Any, meta: dict[str, Any], i: int, log: str) -> None:
        call = self.call
        step, context = meta.get("step"), meta.get("context")
        if action == "step_change" and isinstance(meta.get("to_step"), str):
            step = meta["to_step"]
        if step.__class__ is str and step and (step, context) != self.step_key:
            self.step_key = (step, context)
            self.step = f"{context}/{step}" if isinstance(context, str) and context else step
        if action == "attention_timeout":
            self.saw_attention = True
            self.unheard = True
            call.attention_timeouts += 1
            call.step(self.step).attention_timeouts += 1
            timeout = _number(meta, "timeout_ms", i, log)
            if timeout:  # 0: not known at that call site (OART)
                timeout = self.plausible("timeout_ms", timeout)
                if timeout:
                    call.attention_timeout_ms.append(timeout)
                    call.step(self.step).attention_timeout_ms.append(timeout)
        elif action == "function_call":
            name = meta.get("function")
            duration = _number(meta, "duration_ms", i, log)
            if isinstance(name, str) and meta.get("native") is not True and duration:
                duration = self.plausible("duration_ms", duration)
                if duration:
                    self.call_durations.setdefault(name, []).append(duration)
        elif action == "session_end":
            self.saw_end = True
            reason, by = meta.get("reason"), meta.get("ended_by")
            text = str(reason) if isinstance(reason, str) and reason else "ended"
            if isinstance(by, str) and by:
                text += f" by {by}"
            call.ended = text
            call.caller_hung_up = by in ("caller", "user") or reason == "hangup"
        elif action == "manual_say" and meta.get("error_reason") in _FATAL:
            self.fatal = f"fatal error: {meta['error_reason']}"

    def events_from_timeline(self, timeline: Any) -> None:
        """Attention timeouts and the ending only in the timeline still count."""
        if not isinstance(timeline, list) or self.saw_attention:
            return
        wanted = ("attention_timeout",) if self.saw_end else ("attention_timeout", "session_end")
        for i, e in enumerate(timeline):
            if isinstance(e, dict) and e.get("type") in wanted:
                self.event(e.get("type"), e, i, "call_timeline")

    def finish(self) -> None:
        call = self.call
        unanswered = self.pending is not None
        self.finish_pending()
        durations = self.call_durations or self.tool_durations
        for name, values in durations.items():
            call.by_function.setdefault(name, []).extend(values)
        if self.fatal and call.ended == "unknown":
            call.ended = self.fatal
        if call.ended == "unknown" and self.last_system:
            call.ended = _ending_from_text(self.last_system)
            call.caller_hung_up = call.ended == "hangup by caller"
        # Early: the caller left with their turn unanswered, the agent cut off mid-reply, or
        # after the agent had to check whether anyone was still there.
        call.ended_early = call.caller_hung_up and (unanswered or self.last_barged or self.unheard)


def read_call(payload: Any, where: str = "<payload>") -> Call:
    """Read one decoded post_conversation payload; PayloadError if it is not one."""
    if not isinstance(payload, dict):
        raise PayloadError(f"expected a JSON object, got {json_kind(payload)}")
    call = Call(where)
    call_id = payload.get("call_id")
    call.call_id = call_id if isinstance(call_id, str) else None
    call.preset, call.experiment = preset_of(payload)
    log, log_name = _choose_log(payload)
    walk = Walk(call, log_name, _call_length_ms(payload))
    walk.run(log)
    if log_name != "call_timeline":
        walk.events_from_timeline(payload.get("call_timeline"))
    walk.finish()
    _read_times(call, payload.get("times"))
    return call
