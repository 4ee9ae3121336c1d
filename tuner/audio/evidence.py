"""How much a set of pauses can say: the minimum evidence for a recommendation, and its
uncertainty as a bootstrap interval over the pauses.

The recommendation is the smallest end_of_speech_timeout that lets at most `target` cut-offs per
minute of caller speech through (0.5: one every two minutes). It therefore rests on the few
longest pauses, and on how many minutes they came from:

- MIN_SPEECH_MIN = 5 minutes of caller speech: at 0.5 cut-offs per minute the rule may then let
  2 pauses past, so the value rests on the third-longest pause rather than on the single longest
  one, which one cough, one hesitation or one detector error can set by itself. Below 2 minutes
  the rule cannot allow even one cut-off, and the recommendation is the longest pause measured.
- MIN_PAUSES = 30 within-turn pauses: with the 2-3 pauses the rule lets past, fewer than 30
  leave the tail of the distribution (its 90th-95th percentile, where the value falls) resting on
  a single pause; from about 30 the bootstrap interval below narrows to a few hundred ms on
  recorded speech.

The interval resamples the pauses with replacement (1000 times, fixed seed, the same minutes of
speech) and applies the same rule to each resample: the 5th to 95th percentile of the values.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

MIN_PAUSES = 30
MIN_SPEECH_MIN = 5.0
BOOTSTRAP_RUNS = 1000
STEP_MS = 50
SHORTEST_MS = 250
LONGEST_MS = 10000


def rule(pauses: Sequence[int], caller_min: float, target: float) -> int:
    """The smallest timeout on the 50 ms grid from 250 ms with at most `target` cut-offs per
    minute: pauses longer than the timeout are the cut-offs (the pauses must be sorted)."""
    allowed = math.floor(target * caller_min + 1e-9)
    if len(pauses) <= allowed:
        return SHORTEST_MS
    longest_kept = pauses[len(pauses) - 1 - allowed]  # the (allowed+1)-th longest
    value = max(SHORTEST_MS, math.ceil(longest_kept / STEP_MS) * STEP_MS)
    return min(LONGEST_MS, value)


def bootstrap_interval(
    pauses: Sequence[int], caller_min: float, target: float, margin: int, seed: int = 14
) -> tuple[int, int] | None:
    """90 % interval of the recommendation (rule + margin, rounded up to 50 ms) over bootstrap
    resamples of the pauses; None without pauses."""
    if not pauses:
        return None
    rng = random.Random(seed)
    values = []
    n = len(pauses)
    for _ in range(BOOTSTRAP_RUNS):
        sample = sorted(pauses[rng.randrange(n)] for _ in range(n))
        base = rule(sample, caller_min, target)
        values.append(min(LONGEST_MS, math.ceil((base + margin) / STEP_MS) * STEP_MS))
    values.sort()
    return values[int(0.05 * (BOOTSTRAP_RUNS - 1))], values[int(0.95 * (BOOTSTRAP_RUNS - 1))]


def missing(pauses: int, caller_min: float) -> str | None:
    """What the evidence lacks for a recommendation, in words; None when it is enough."""
    short = []
    if pauses < MIN_PAUSES:
        short.append(f"{MIN_PAUSES - pauses} more within-turn pauses ({pauses} of {MIN_PAUSES})")
    if caller_min < MIN_SPEECH_MIN:
        short.append(
            f"{MIN_SPEECH_MIN - caller_min:.1f} more minutes of caller speech "
            f"({caller_min:.1f} of {MIN_SPEECH_MIN:g})"
        )
    return " and ".join(short) if short else None
