"""Builds post_conversation payloads with the shape SignalWire really sends.

The shape follows the public payloads in signalwire-demos/postpromptviewer (`call.json`,
`new_call.json`, `public/examples/call.json`) and signalwire/post_prompt_viewer
(`samples/conversation_demo.json`): microsecond timestamps; user entries with
`start_timestamp` (speech onset), `end_timestamp` (final transcript), `confidence` and the
endpointing fields `speaking_to_turn_detection`, `turn_detection_to_final_event`,
`speaking_to_final_event` (ms); assistant entries with `latency`, `utterance_latency`,
`audio_latency` and, in `raw_call_log` only, `barged` / `barge_elapsed_ms`; tool-call assistant
entries and tool entries; `system-log` entries with `action` and `metadata` (`session_start`,
`step_change`, `function_call` with `duration_ms`, `attention_timeout` with `timeout_ms`,
`session_end`); the flat `call_timeline`; the `times` list; `global_data`.
The figures are the test's own, not copies of those files.
"""

from __future__ import annotations

import copy
from typing import Any


class Conversation:
    """A call built turn by turn; `payload()` renders call_log, raw_call_log and call_timeline."""

    def __init__(
        self, step: str = "greeting", context: str = "default", start_us: int = 1771539203510081
    ) -> None:
        self.start = start_us
        self.t = start_us + 1_030_000
        self.context = context
        self.step_name = step
        self.step_index = 0
        self.raw: list[dict[str, Any]] = [
            {"role": "system", "content": "You are the front desk of a dental clinic.",
             "timestamp": self.t},
        ]  # fmt: skip
        self.blessed: list[dict[str, Any]] = copy.deepcopy(self.raw)
        self.timeline: list[dict[str, Any]] = []
        self.times: list[dict[str, Any]] = []
        self.last_caller_end = 0
        self.global_data: dict[str, Any] = {"caller_phone": "+15550100"}
        self._event("session_start", "AI session started", model="gpt-4o-mini")
        self.ended = False

    # -- helpers ----------------------------------------------------------------------------
    def _meta(self, **fields: Any) -> dict[str, Any]:
        return {"context": self.context, "step": self.step_name,
                "step_index": self.step_index, **fields}  # fmt: skip

    def _event(self, action: str, content: str, **fields: Any) -> None:
        meta = self._meta(**fields)
        entry = {"role": "system-log", "lang": "en-US", "action": action, "timestamp": self.t,
                 "tokens": 0, "content_type": "Detected Speech", "metadata": meta,
                 "content": content}  # fmt: skip
        self.raw.append(entry)
        self.blessed.append(copy.deepcopy(entry))
        self.timeline.append({"ts": self.t, "type": action, **meta})

    # -- turns ------------------------------------------------------------------------------
    def agent(
        self,
        text: str,
        *,
        latency: int = 672,
        utterance: int = 971,
        audio: int = 1472,
        speak_ms: int = 3000,
        barge_elapsed: int | None = None,
        scrapped: bool = False,
        **extra: Any,
    ) -> None:
        """A spoken reply; `barge_elapsed` marks it barged (raw log only, as on the platform);
        `scrapped` leaves it out of the blessed log, as the platform does with a reply the
        caller talked over and whose turn it merged."""
        first_audio = self.t + audio * 1000
        entry = {"role": "assistant", "timestamp": first_audio, "latency": latency,
                 "utterance_latency": utterance, "audio_latency": audio,
                 "content": f" {text}", **extra}  # fmt: skip
        raw = dict(entry)
        if barge_elapsed is not None:
            raw.update(barged=True, barge_elapsed_ms=barge_elapsed,
                       text_heard_approx=text[:10], text_spoken_total=text)  # fmt: skip
        self.raw.append(raw)
        if not scrapped:
            self.blessed.append({**entry, "start_timestamp": self.t,
                                 "end_timestamp": first_audio + speak_ms * 1000})  # fmt: skip
        self.timeline.append({"ts": first_audio, "type": "ai_response",
                              **{k: v for k, v in raw.items() if k not in ("role", "content")}})  # fmt: skip
        self.times.append({"response": f" {text}", "response_word_count": len(text.split()),
                           "answer_time": round((latency + 400) / 1000, 3), "token_time": 0.3,
                           "tokens": 20, "avg_tps": 25.0, "tps": 60.0})  # fmt: skip
        self.t = first_audio + (barge_elapsed if barge_elapsed is not None else speak_ms) * 1000

    def caller(
        self,
        text: str,
        *,
        s2f: int = 1200,
        s2td: int | None = None,
        td2f: int = 280,
        confidence: float = 0.99707,
        pause_ms: int = 800,
        after_own_turn_ms: int | None = None,
    ) -> None:
        """A caller turn: speech onset `pause_ms` after now (or `after_own_turn_ms` after the
        caller's previous final), final transcript `s2f` ms after the onset."""
        if after_own_turn_ms is not None:
            start = self.last_caller_end + after_own_turn_ms * 1000
        else:
            start = self.t + pause_ms * 1000
        end = start + s2f * 1000
        entry = {"role": "user", "timestamp": end + 9000, "confidence": confidence,
                 "content_type": "Detected Speech", "start_timestamp": start,
                 "end_timestamp": end,
                 "speaking_to_turn_detection": s2f - td2f if s2td is None else s2td,
                 "turn_detection_to_final_event": td2f, "speaking_to_final_event": s2f,
                 "content": f"{text} "}  # fmt: skip
        self.raw.append(entry)
        self.blessed.append(dict(entry))
        self.timeline.append({"ts": entry["timestamp"], "type": "user_input",
                              **{k: v for k, v in entry.items()
                                 if k not in ("role", "content", "timestamp")}})  # fmt: skip
        self.last_caller_end = end
        self.t = max(self.t, end + 10000)

    def step(self, to: str) -> None:
        before, index = self.step_name, self.step_index
        self.step_name, self.step_index = to, index + 1
        self._event("step_change", f"{before}[{index}] -> {to}[{index + 1}] (webhook_action)",
                    from_step=before, from_index=index, to_step=to, to_index=index + 1,
                    trigger="webhook_action")  # fmt: skip

    def function(self, name: str, duration_ms: int = 125, function_latency: int = 1173) -> None:
        """A SWAIG call: the function_call event, the tool-call entry, the tool result.

        As on the platform, the tool entry's `function_latency` is the surrounding model
        turn's latency, not the function's own run time (that is `duration_ms`)."""
        self._event("function_call", f"Calling function: {name}", function=name,
                    native=False, duration_ms=duration_ms)  # fmt: skip
        call = {"role": "assistant", "content": "", "tool_calls": [
            {"id": f"id-{len(self.raw)}", "type": "function",
             "function": {"name": name, "arguments": "{}"}}]}  # fmt: skip
        self.blessed.append(call)
        tool = {"role": "tool", "timestamp": self.t + duration_ms * 1000, "function_name": name,
                "latency": function_latency - 200, "utterance_latency": function_latency,
                "function_latency": function_latency, "audio_latency": function_latency + 300,
                "execution_latency": function_latency + 300,
                "deprecation_warning": "fields utterance_latency, audio_latency deprecated in tool calls",
                "start_timestamp": self.t, "end_timestamp": self.t + duration_ms * 1000,
                "content": "Tool result below. Remain in the same language."}  # fmt: skip
        self.raw.append(tool)
        self.blessed.append(dict(tool))
        self.timeline.append(
            {"ts": tool["timestamp"], "type": "tool_result", "function_name": name}
        )
        self.t += duration_ms * 1000

    def attention(self, timeout_ms: int = 5000) -> None:
        self.t += timeout_ms * 1000
        self._event("attention_timeout", f"Attention timeout ({timeout_ms}ms)",
                    timeout_ms=timeout_ms)  # fmt: skip

    def end(self, reason: str = "normal", by: str = "system") -> None:
        self.t += 12000
        self._event("session_end", f"AI session ended: {reason}", reason=reason, ended_by=by)
        self.ended = True

    def payload(self, **top: Any) -> dict[str, Any]:
        if not self.ended:
            self.end()
        end = self.t + 1_000_000
        return {
            "project_id": "37d8414f-0000-4e7b-bf04-b5569535011b", "space_id": "f6e0ee46-0000",
            "content_type": "text/json", "content_disposition": "agent.summary",
            "conversation_type": "voice", "call_id": "7d1c3968-bf40-4739-b769-0623c2eb77cb",
            "app_name": "swml app", "ai_session_id": "b7c21e9b", "action": "post_conversation",
            "call_log": self.blessed, "raw_call_log": self.raw, "call_timeline": self.timeline,
            "call_start_date": self.start, "call_answer_date": self.start + 900000,
            "call_end_date": end, "ai_start_date": self.start + 1_030_000, "ai_end_date": end,
            "caller_id_name": "+15550100", "caller_id_number": "+15550100",
            "times": self.times, "SWMLVars": {"answer_result": "success", "ai_result": "success"},
            "post_prompt_data": {"parsed": [], "raw": "The caller confirmed an appointment.",
                                 "substituted": "The caller confirmed an appointment."},
            "global_data": self.global_data, "swaig_log": [], "total_minutes": 3,
            "total_input_tokens": 83510, "total_output_tokens": 503, **top,
        }  # fmt: skip
