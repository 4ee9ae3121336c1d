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
Below the minimum evidence the rule picks the longest pause or close to it, and a bootstrap
cannot show how much longer the next caller's longest pause may be: the interval is then too
narrow, which is why the report calls such a value provisional.
"""

from __future__ import annotations

import math
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
    return _on_grid(pauses[len(pauses) - 1 - allowed])  # the (allowed+1)-th longest


def _on_grid(pause_ms: int) -> int:
    """The smallest timeout on the grid that this pause does not exceed."""
    return min(LONGEST_MS, max(SHORTEST_MS, math.ceil(pause_ms / STEP_MS) * STEP_MS))


def recommendation(base: int, margin: int) -> int:
    """The rule's timeout plus the detector's margin, rounded up to the 50 ms grid."""
    return min(LONGEST_MS, math.ceil((base + margin) / STEP_MS) * STEP_MS)


def bootstrap_interval(
    pauses: Sequence[int], caller_min: float, target: float, margin: int, seed: int = 14
) -> tuple[int, int] | None:
    """90 % interval of the recommendation (rule + margin, rounded up to 50 ms) over bootstrap
    resamples of the pauses; None without pauses. Resamples are drawn in blocks with numpy, so
    thousands of pauses take well under a second."""
    import numpy as np

    if not pauses:
        return None
    data = np.asarray(pauses, dtype=np.int64)
    n = data.size
    allowed = math.floor(target * caller_min + 1e-9)
    rng = np.random.default_rng(seed)
    kept: list[int] = []
    block = max(1, min(BOOTSTRAP_RUNS, 2_000_000 // n))
    for start in range(0, BOOTSTRAP_RUNS, block):
        runs = min(block, BOOTSTRAP_RUNS - start)
        if n <= allowed:
            kept += [0] * runs
            continue
        sample = data[rng.integers(0, n, size=(runs, n))]
        k = n - 1 - allowed  # the (allowed+1)-th longest, as in `rule`
        kept += np.partition(sample, k, axis=1)[:, k].tolist()
    values = sorted(recommendation(_on_grid(v), margin) for v in kept)
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
