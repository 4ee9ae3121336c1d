"""Real-shaped post_conversation payloads with known per-turn figures, for the evidence tests.

The shape follows the public payloads of SignalWire's post-prompt viewers
(signalwire-demos/postpromptviewer `call.json`): caller turns in `call_log` carry `start_timestamp`
and `end_timestamp` (µs), `confidence` and the endpointing fields `speaking_to_turn_detection`,
`turn_detection_to_final_event`, `speaking_to_final_event` (ms); replies carry `latency`,
`utterance_latency`, `audio_latency`; `step_change` and `attention_timeout` are `system-log`
entries (the timeout also says its `timeout_ms`); barge-ins (`barged`, `barge_elapsed_ms`) are
on the replies of `raw_call_log` and on the `call_timeline`'s `ai_response` events, while
`call_log` (the "blessed" log) leaves them out.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

T0 = 1_771_539_204_540_450  # µs, as in the real payloads


@dataclass
class Truth:
    """What the payloads were built to hold."""

    waits: list[int] = field(default_factory=list)
    replies_after: list[int] = field(default_factory=list)  # next reply's audio_latency
    steps: list[str] = field(default_factory=list)
    split_gaps: list[float] = field(default_factory=list)
    split_steps: list[str] = field(default_factory=list)
    barge_words: list[int] = field(default_factory=list)
    attention_ms: list[int] = field(default_factory=list)
    replies: int = 0
    caller_turns: int = 0


class CallBuilder:
    """Builds one call's `call_log` and `call_timeline` turn by turn."""

    def __init__(self, truth: Truth, now: int = T0) -> None:
        self.truth = truth
        self.now = now
        self.log: list[dict[str, Any]] = []
        self.timeline: list[dict[str, Any]] = []
        self.step = "greeting"
        self.last_user_end: int | None = None
        self.waiting_reply: list[int] = []
        self.system("session_start", "AI session started", {"step": "greeting", "step_index": 0})

    def system(self, action: str, content: str, meta: dict[str, Any]) -> None:
        self.now += 1000
        self.log.append(
            {
                "role": "system-log",
                "lang": "en-US",
                "action": action,
                "timestamp": self.now,
                "content": content,
                "metadata": {"context": "default", **meta},
            }
        )

    def go(self, step: str) -> None:
        self.system(
            "step_change",
            f"{self.step}[0] -> {step}[1] (ai_function)",
            {"step": step, "from_step": self.step, "to_step": step, "trigger": "ai_function"},
        )
        self.step = step

    def reply(self, audio: int, words: str = "Sure, I can help with that.", **barge: Any) -> None:
        start = self.now + 200_000
        self.now = start + 2_000_000
        entry = {
            "role": "assistant",
            "timestamp": self.now,
            "latency": audio // 2,
            "utterance_latency": audio * 2 // 3,
            "audio_latency": audio,
            "start_timestamp": start,
            "end_timestamp": self.now,
            "content": words,
        }
        self.log.append({**entry, **barge})
        event = {"ts": self.now, "type": "ai_response", "audio_latency": audio, **barge}
        self.timeline.append(event)
        self.truth.replies += 1
        for i in self.waiting_reply:
            self.truth.replies_after[i] = audio
        self.waiting_reply.clear()

    def caller(
        self, text: str, wait: int, gap_ms: float | None = None, split: bool = False
    ) -> None:
        """A caller turn; `gap_ms` after the caller's previous turn ended (else 1.5 s)."""
        after = self.last_user_end if split and self.last_user_end else self.now
        start = after + int((gap_ms if gap_ms is not None else 1500) * 1000)
        end = start + wait * 1000
        self.last_user_end = end
        self.now = max(self.now, end + 10_000)
        self.log.append(
            {
                "role": "user",
                "timestamp": self.now,
                "confidence": 0.98,
                "content_type": "Detected Speech",
                "start_timestamp": start,
                "end_timestamp": end,
                "speaking_to_turn_detection": wait - 280,
                "turn_detection_to_final_event": 280,
                "speaking_to_final_event": wait,
                "content": text,
            }
        )
        self.truth.waits.append(wait)
        self.truth.replies_after.append(0)
        self.truth.steps.append(f"default/{self.step}")
        self.waiting_reply.append(len(self.truth.waits) - 1)
        if split:
            assert gap_ms is not None
            self.truth.split_gaps.append(gap_ms)
            self.truth.split_steps.append(f"default/{self.step}")
        else:
            self.truth.caller_turns += 1

    def attention(self, timeout_ms: int) -> None:
        self.system("attention_timeout", f"Attention timeout ({timeout_ms}ms)", {})
        self.log[-1]["metadata"]["timeout_ms"] = timeout_ms
        self.truth.attention_ms.append(timeout_ms)

    def payload(self) -> dict[str, Any]:
        return {
            "action": "post_conversation",
            "app_name": "dental",
            "call_id": f"call-{self.now}",
            "call_log": [
                {k: v for k, v in e.items() if k not in ("barged", "barge_elapsed_ms")}
                for e in self.log
            ],
            "raw_call_log": self.log,
            "call_timeline": self.timeline,
        }


def make_calls(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], Truth]:
    """`n` calls through three steps; waits, barges and splits drawn from a seeded generator.

    "collect_dob" callers pause longer (they read digits), so more of their turns get split.
    """
    rnd = random.Random(seed)
    truth = Truth()
    calls = []
    for _ in range(n):
        b = CallBuilder(truth, T0 + rnd.randrange(10**9))
        b.reply(rnd.randint(1100, 1900), "Hi, thanks for calling Smile Dental!")
        b.caller("Hi, I need to confirm my appointment.", rnd.randint(700, 1600))
        b.go("collect_dob")
        b.reply(rnd.randint(1100, 1900), "Can you confirm your date of birth?")
        b.caller("February eighteenth", rnd.randint(800, 2000))
        if rnd.random() < 0.6:  # the caller kept going: a split turn
            words = rnd.choice(["nineteen seventy seven", "seventy", "uh nineteen"])
            b.reply(rnd.randint(1100, 1900), "Thank you.", barged=True, barge_elapsed_ms=600)
            truth.barge_words.append(len(words.split()))
            # The caller resumed 0.55-1.5 s after the platform took the turn (a pause it cut).
            b.caller(words, rnd.randint(700, 1500), gap_ms=rnd.randint(550, 1500), split=True)
        if rnd.random() < 0.3:
            b.attention(rnd.choice([10000, 20000]))
        b.go("wrap_up")
        b.reply(rnd.randint(1100, 1900), "You're all set. Anything else?")
        b.caller("No, that's all, thanks.", rnd.randint(600, 1300))
        b.reply(rnd.randint(1100, 1900), "Have a great day!")
        calls.append(b.payload())
    return calls, truth


def write_calls(folder: Path, n: int, seed: int = 7) -> Truth:
    """`n` calls as JSON-lines files in `folder` (one per day, as `record_calls` writes)."""
    calls, truth = make_calls(n, seed)
    folder.mkdir(parents=True, exist_ok=True)
    half = len(calls) // 2
    for name, part in (("day1.jsonl", calls[:half]), ("day2.jsonl", calls[half:])):
        (folder / name).write_text("".join(json.dumps(c) + "\n" for c in part), encoding="utf-8")
    return truth
