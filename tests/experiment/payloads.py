"""Generated post_conversation payloads of an experiment: calls dealt between presets.

Shape follows SignalWire's own sample (reference/signalwire/post_conversation_sample.json, from
SignalWire's post_prompt_viewer): top-level `caller_id_number`, `global_data`, `call_log` with
`system` / `system-log` / `assistant` / `user` entries, µs `start_timestamp`/`end_timestamp`,
per-reply `latency`, `utterance_latency`, `audio_latency`, and the closing `system` line
"The conversation has been ended by the user.". Fields the sample lacks but real payloads carry
(ENRICHED_CALL_LOG.md and the public payloads it documents): `speaking_to_final_event` on
caller turns (the endpointing wait), `barged` / `barge_elapsed_ms` on interrupted replies,
`attention_timeout` and `session_end` system-log events. The stamp is what
`use_call_presets(split=..., experiment=...)` puts in `global_data`.

Each call draws its own caller (how often this caller gets cut off, how long the line takes):
turns of one call are alike, as on real traffic, so only resampling calls gives honest intervals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Arm:
    """How a preset behaves on callers, in the generator."""

    preset: str
    #: Mean chance that a caller turn is cut off; each call draws its own from a Beta around it.
    cut_off: float = 0.06
    #: Typical endpointing wait (ms) and the typical time to the agent's first audio (ms).
    endpointing: float = 600.0
    audio: float = 900.0
    barge: float = 0.05
    attention: float = 0.2
    hang_up_early: float = 0.05


def payload(arm: Arm, rng: random.Random, experiment: str | None, caller: str) -> dict[str, Any]:
    """One call's post_conversation payload."""
    t = 1_700_000_000_000_000 + rng.randrange(10**12)
    start = t
    concentration = 8.0  # Beta(a, b) with a + b = 8: callers differ a lot, as people do
    cut_chance = rng.betavariate(arm.cut_off * concentration, (1 - arm.cut_off) * concentration)
    line = rng.lognormvariate(0, 0.25)  # this call's network and model speed
    log: list[dict[str, Any]] = [
        {"role": "system", "timestamp": t, "content": "You are the Acme support assistant."},
        {
            "role": "system-log",
            "action": "session_start",
            "timestamp": t + 1_000_000,
            "content": "AI session started",
            "metadata": {"context": "default", "step": "main", "step_index": 0},
        },
        {
            "role": "assistant",
            "timestamp": t + 3_000_000,
            "start_timestamp": t + 2_000_000,
            "end_timestamp": t + 5_000_000,
            "content": "Hi! How can I help you today?",
            "latency": 120,
            "utterance_latency": 400,
            "audio_latency": 900,
        },
    ]
    t += 6_000_000
    turns = rng.randint(3, 9)
    for _ in range(turns):
        speak = rng.randint(1_000_000, 4_000_000)
        wait = rng.lognormvariate(0, 0.3) * arm.endpointing
        log.append(_user(t, speak, wait, rng))
        t += speak
        if rng.random() < cut_chance:
            # The platform took the turn while the caller was only pausing: either the caller
            # goes on at once (one utterance split in two) or barges into the early answer.
            if rng.random() < 0.5:
                t += rng.randint(200_000, 1_000_000)
            else:
                heard = rng.randint(200, 1200)
                log.append(_reply(t, wait, arm, line, rng, barged=heard))
                t += int(wait * 1000) + heard * 1000
            speak = rng.randint(500_000, 2_000_000)
            wait = rng.lognormvariate(0, 0.3) * arm.endpointing
            log.append(_user(t, speak, wait, rng))
            t += speak
        barged = rng.randint(2000, 6000) if rng.random() < arm.barge else None
        log.append(_reply(t, wait, arm, line, rng, barged=barged))
        t += int(wait * 1000) + 4_000_000
        if rng.random() < arm.attention / turns:
            t += 20_000_000
            log.append(
                {
                    "role": "system-log",
                    "action": "attention_timeout",
                    "timestamp": t,
                    "metadata": {"timeout_ms": 20000},
                }
            )
    early = rng.random() < arm.hang_up_early
    if early:  # the caller hangs up on the agent: the last thing said is the caller's
        log.append(_user(t, 800_000, arm.endpointing, rng))
        t += 1_000_000
    else:
        log.append(
            {
                "role": "assistant",
                "timestamp": t + 1_000_000,
                "start_timestamp": t,
                "end_timestamp": t + 2_000_000,
                "content": "You're welcome. Have a great day!",
                "latency": 110,
                "utterance_latency": 450,
                "audio_latency": 800,
            }
        )
        t += 3_000_000
    log.append(
        {
            "role": "system",
            "timestamp": t,
            "content": "The conversation has been ended by the user.",
        }
    )
    global_data: dict[str, Any] = {"caller_id_number": caller, "speech_tuner_preset": arm.preset}
    if experiment:
        global_data["speech_tuner_experiment"] = experiment
    return {
        "action": "post_conversation",
        "app_name": "support",
        "call_id": f"{rng.getrandbits(64):016x}",
        "conversation_type": "voice",
        "caller_id_name": "Caller",
        "caller_id_number": caller,
        "content_disposition": "agent.summary",
        "content_type": "text/json",
        "call_start_date": start,
        "call_end_date": t,
        "call_log": log,
        "global_data": global_data,
        "post_prompt_data": {"raw": "{}"},
    }


def _user(t: int, speak: int, wait: float, rng: random.Random) -> dict[str, Any]:
    return {
        "role": "user",
        "timestamp": t + speak,
        "start_timestamp": t,
        "end_timestamp": t + speak,
        "content": "I need to check the balance on my account.",
        "confidence": round(rng.uniform(0.8, 0.99), 2),
        "content_type": "Detected Speech",
        "speaking_to_final_event": round(wait),
    }


def _reply(
    t: int, wait: float, arm: Arm, line: float, rng: random.Random, barged: int | None
) -> dict[str, Any]:
    audio = round(rng.lognormvariate(0, 0.2) * arm.audio * line)
    entry: dict[str, Any] = {
        "role": "assistant",
        "timestamp": t + int(wait * 1000) + audio * 1000,
        "start_timestamp": t + int(wait * 1000),
        "end_timestamp": t + int(wait * 1000) + 4_000_000,
        "content": "Let me look that up. Your balance is forty two dollars.",
        "latency": round(audio * 0.3),
        "utterance_latency": round(audio * 0.6),
        "audio_latency": audio,
    }
    if barged is not None:
        entry["metadata"] = {"barged": True, "barge_elapsed_ms": barged}
    return entry


def experiment_logs(
    arms: list[Arm], calls_per_arm: int, seed: int, experiment: str | None = "exp-1"
) -> list[dict[str, Any]]:
    """`calls_per_arm` payloads per preset, shuffled as they would arrive."""
    rng = random.Random(seed)
    out = [
        payload(arm, rng, experiment, f"+1555{rng.randrange(10**7):07d}")
        for arm in arms
        for _ in range(calls_per_arm)
    ]
    rng.shuffle(out)
    return out
