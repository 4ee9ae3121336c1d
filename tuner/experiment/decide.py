"""Which preset an experiment says to keep: the winner, a preset between the two, or none yet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from tuner.budget import grade
from tuner.experiment.compare import Comparison, Difference
from tuner.params import Value, spec

Outcome = Literal["winner", "between", "none"]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    #: The preset to keep (for "winner"); for "between", the one with fewer cut-offs.
    preset: str | None
    reason: str


def _latency(d: Difference) -> bool:
    return d.figure.key.startswith("first_response")


def decide(c: Comparison) -> Decision:
    """The preset to keep from one two-preset comparison, only when the verdict is clear.

    Cut-offs, barge-ins, attention timeouts and early hang-ups are harms; the first response
    is a cost. A preset that is clearly better on some and clearly worse on none wins. One
    that trades fewer harms for a slower first response wins when its first response keeps
    the same grade of the latency goals (good / acceptable / poor); otherwise the two are
    met halfway. The endpointing wait is how a preset works, not an outcome: it decides
    nothing by itself.
    """
    if not c.clear:
        return Decision("none", None, "too few calls to tell: nothing is written")
    rated = [d for d in c.clear if d.figure.lower_is_better]
    if not rated:
        return Decision(
            "none",
            None,
            "the presets differ only in how long they wait, not in what callers get",
        )
    # Positive diff = `other` has more of it.
    other_better = [d for d in rated if d.diff < 0]
    other_worse = [d for d in rated if d.diff > 0]
    if other_better and not other_worse:
        return Decision("winner", c.other, _why(c.other, other_better))
    if other_worse and not other_better:
        return Decision("winner", c.baseline, _why(c.baseline, other_worse))
    for keep, gains, costs in (
        (c.other, other_better, other_worse),
        (c.baseline, other_worse, other_better),
    ):
        if all(_latency(d) for d in costs) and not all(_latency(d) for d in gains):
            same = _same_grade(c)
            if same:
                return Decision(
                    "winner",
                    keep,
                    _why(keep, gains) + f"; its slower first response stays {same}",
                )
            fewer_cut_offs = c.other if other_better else c.baseline
            return Decision(
                "between",
                fewer_cut_offs,
                "fewer harms cost a first response a grade slower: the presets are met halfway",
            )
    return Decision("between", c.other, "each preset is clearly better on something")


def _why(name: str, figures: list[Difference]) -> str:
    labels = [d.figure.label for d in figures]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"`{name}` is clearly better on {listed}"


def _same_grade(c: Comparison) -> str | None:
    for d in c.differences:
        if d.figure.key == "first_response_p50_ms":
            a, b = grade("first_response", d.baseline), grade("first_response", d.other)
            return a if a == b else None
    return None


def between(
    keep: Mapping[str, Value], other: Mapping[str, Value], keep_name: str = ""
) -> dict[str, Value]:
    """Params halfway between two presets: numbers averaged (ms to the nearest 10), anything
    else, and any midpoint the model rejects, taken from `keep`."""
    out: dict[str, Value] = dict(keep)
    for key, value in other.items():
        mine = keep.get(key)
        numbers = (int, float)
        if (
            isinstance(mine, numbers)
            and isinstance(value, numbers)
            and not isinstance(mine, bool)
            and not isinstance(value, bool)
        ):
            mid: Value
            if isinstance(mine, int) and isinstance(value, int):
                half = (mine + value) / 2
                mid = int(round(half, -1)) if abs(mine - value) >= 20 else round(half)
            else:
                mid = round((float(mine) + float(value)) / 2, 2)
            try:
                spec(key).validate(mid)
            except ValueError:
                continue
            out[key] = mid
    return out
