"""What one call says about its preset, and the figures an experiment compares between presets.

The comparison works on `CallFigures`, one small record per call; `tuner.experiment.adapter`
fills it from what `tuner.calls` reads in a post_conversation payload (the stamp included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class CallFigures:
    """One call's counts and per-turn times: the unit an experiment resamples."""

    preset: str | None
    experiment: str | None = None
    caller_turns: int = 0
    cut_offs: int = 0
    agent_turns: int = 0
    barged_turns: int = 0
    attention_timeouts: int = 0
    #: The caller hung up with their turn unanswered, mid-reply or after an attention
    #: timeout; None when the payload does not say how the call ended.
    ended_early: bool | None = None
    #: Per caller turn, ms before the platform took the turn: eos_to_push_latency (from the
    #: caller's last word), else speaking_to_final_event (from speech onset: an upper bound).
    endpointing_ms: tuple[float, ...] = ()
    #: Per caller turn answered directly, ms to the agent's first audio: acoustic_latency,
    #: else estimated as the endpointing wait + the reply's audio_latency.
    first_response_ms: tuple[float, ...] = ()
    where: str = ""


Kind = Literal["rate", "percentile"]


@dataclass(frozen=True)
class Figure:
    """One figure compared between presets, and how to say a difference in words."""

    key: str
    label: str
    kind: Kind
    #: rate: numerator and denominator fields of CallFigures (denominator "calls": 1 per call);
    #: percentile: the per-turn field and the percentile.
    field: str
    per: str | float
    scale: float
    unit: str
    #: Smallest difference worth telling: the target when saying how many calls are needed.
    worth: float
    #: (more, fewer) phrases; "{x}" is the size of the difference with its unit.
    words: tuple[str, str]
    #: Whether a lower value is better for callers (None: neither, it is the mechanism).
    lower_is_better: bool | None = True


FIGURES: tuple[Figure, ...] = (
    Figure(
        "cut_offs_per_100_turns",
        "cut-offs per 100 caller turns",
        "rate",
        "cut_offs",
        "caller_turns",
        100,
        "",
        1.0,
        ("cuts off {x} more caller turns per 100", "cuts off {x} fewer caller turns per 100"),
    ),
    Figure(
        "endpointing_p50_ms",
        "endpointing wait p50 (ms)",
        "percentile",
        "endpointing_ms",
        50,
        1,
        " ms",
        50.0,
        (
            "waits {x} longer for the caller to finish",
            "waits {x} less for the caller to finish",
        ),
        None,
    ),
    Figure(
        "first_response_p50_ms",
        "first response p50 (ms)",
        "percentile",
        "first_response_ms",
        50,
        1,
        " ms",
        50.0,
        ("adds {x} to the first response", "takes {x} off the first response"),
    ),
    Figure(
        "first_response_p90_ms",
        "first response p90 (ms)",
        "percentile",
        "first_response_ms",
        90,
        1,
        " ms",
        100.0,
        ("adds {x} to the first response at p90", "takes {x} off the first response at p90"),
    ),
    Figure(
        "barges_per_100_turns",
        "barge-ins per 100 agent turns",
        "rate",
        "barged_turns",
        "agent_turns",
        100,
        "",
        2.0,
        ("is interrupted {x} more times per 100 turns", "is interrupted {x} fewer times per 100"),
    ),
    Figure(
        "attention_timeouts_per_100_calls",
        "attention timeouts per 100 calls",
        "rate",
        "attention_timeouts",
        "calls",
        100,
        "",
        5.0,
        ("has {x} more attention timeouts per 100 calls", "has {x} fewer attention timeouts"),
    ),
    Figure(
        "ended_early_per_100_calls",
        "early hang-ups per 100 calls",
        "rate",
        "ended_early",
        "ended_known",
        100,
        "",
        2.0,
        ("loses {x} more calls per 100 early", "loses {x} fewer calls per 100 early"),
    ),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)
