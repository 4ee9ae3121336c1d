"""Comparing presets on their calls: bootstrap over calls, intervals of differences, a verdict.

Calls, not turns, are resampled: the turns of one call share a caller, a line and a mood, so
treating them as independent would make every interval too narrow. Each preset's calls are
resampled on their own (the arms are independent samples). The intervals of all figures of
all comparisons hold together with the stated confidence (Bonferroni): with seven figures,
each interval is a 99.3% one, so "no true difference" is claimed on any figure in at most
5% of experiments. numpy is imported when a comparison runs, never with `tuner`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from tuner.experiment.figures import FIGURES, CallFigures, Figure

if TYPE_CHECKING:
    import numpy as np

#: Replicates per preset. The interval ends sit at the 0.36% and 99.64% points when seven
#: figures share 95%: 4000 replicates leave 14 of them beyond each end.
RESAMPLES = 4000
#: Below this many calls in a preset no interval is trusted: "too few calls" whatever it says.
MIN_CALLS = 10
#: Power the "how many more calls" estimate is made for.
POWER = 0.8
#: Cells (replicates x turns) held in memory at once.
_CHUNK_CELLS = 8_000_000
#: Replicates that may lack a figure (e.g. no turns drawn) before it is not compared.
_MAX_UNDEFINED = 0.01


@dataclass(frozen=True)
class Difference:
    """One figure of `other` minus the same figure of `baseline`, with its interval."""

    figure: Figure
    baseline: float
    other: float
    diff: float
    low: float
    high: float
    #: The interval excludes zero.
    clear: bool
    #: More calls per preset that would tell a difference this size (or the smallest worth
    #: telling) at the spread seen so far; None when the difference is clear.
    more_calls: int | None

    @property
    def target(self) -> float:
        return max(abs(self.diff), self.figure.worth)

    def to_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure.key,
            "baseline": _round(self.baseline),
            "other": _round(self.other),
            "difference": _round(self.diff),
            "ci": [_round(self.low), _round(self.high)],
            "clear": self.clear,
            "more_calls_per_preset": self.more_calls,
        }


@dataclass(frozen=True)
class Comparison:
    """One preset against the baseline."""

    baseline: str
    other: str
    calls: tuple[int, int]
    confidence: float
    differences: tuple[Difference, ...]
    #: Why nothing is told at all (too few calls to resample); empty otherwise.
    too_few: str = ""

    @property
    def clear(self) -> list[Difference]:
        return [d for d in self.differences if d.clear] if not self.too_few else []

    @property
    def verdict(self) -> str:
        return "clear" if self.clear else "too few calls"

    def sentence(self) -> str:
        """The verdict in plain words."""
        on = f"on {self.calls[1]} vs {self.calls[0]} calls"
        too_few = f"too few calls to tell `{self.other}` from `{self.baseline}` ({on}): "
        if self.too_few:
            return too_few + self.too_few
        clear = self.clear
        if not clear:
            return too_few + (self._needed() or "no figure was measured in both")
        pct = f"{self.confidence:.0%}"
        parts = []
        for i, d in enumerate(clear):
            words, low, high = phrase(d)
            parts.append(f"{words} ({pct + ' ' if i == 0 else ''}CI {low}–{high})")
        text = f"`{self.other}` " + _join(parts) + f" compared with `{self.baseline}`; {on}"
        unclear = [d.figure.label for d in self.differences if not d.clear]
        if unclear:
            text += "; no clear difference in " + ", ".join(unclear)
        return text

    def _needed(self) -> str:
        needs = [d for d in self.differences if d.more_calls is not None]
        if not needs:
            return ""
        d = min(needs, key=lambda x: x.more_calls or 0)
        size = _amount(d.figure, d.target)
        return (
            f"about {d.more_calls} more calls per preset would tell a difference of {size} in "
            f"{d.figure.label} at the spread seen so far"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "other": self.other,
            "calls": {self.baseline: self.calls[0], self.other: self.calls[1]},
            "verdict": self.verdict,
            "sentence": self.sentence(),
            "differences": [d.to_json() for d in self.differences],
        }


@dataclass
class Experiment:
    """Every preset's figures and every comparison against the baseline."""

    arms: dict[str, dict[str, float | None]]
    calls: dict[str, int]
    comparisons: list[Comparison]
    confidence: float
    resamples: int
    #: Calls left out: no preset stamped, or another experiment.
    left_out: int = 0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "presets": {
                name: {"calls": self.calls[name], **{k: _round(v) for k, v in figs.items()}}
                for name, figs in self.arms.items()
            },
            "confidence": self.confidence,
            "resamples": self.resamples,
            "left_out": self.left_out,
            "comparisons": [c.to_json() for c in self.comparisons],
        }


def phrase(d: Difference) -> tuple[str, str, str]:
    """The difference in words, and its interval as sizes in the same direction."""
    more, fewer = d.figure.words
    if d.diff >= 0:
        return (
            more.format(x=_amount(d.figure, d.diff)),
            _num(d.figure, d.low),
            _num(d.figure, d.high),
        )
    return (
        fewer.format(x=_amount(d.figure, -d.diff)),
        _num(d.figure, -d.high),
        _num(d.figure, -d.low),
    )


def _num(fig: Figure, value: float) -> str:
    return f"{value:.0f}" if fig.unit == " ms" else f"{value:.1f}"


def _amount(fig: Figure, value: float) -> str:
    return _num(fig, value) + fig.unit


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 3)


def _t_quantile(p: float, df: int) -> float:
    """Student's t quantile (Cornish-Fisher expansion: within 2% for df >= 9 at p <= 0.9995)."""
    z = NormalDist().inv_cdf(p)
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * df**4)
    )


def _widening(n: int, alpha: float) -> float:
    """How much wider than the plain percentile interval to make it for `n` calls.

    The percentile bootstrap is too narrow on few calls (it behaves like a z interval from a
    variance that is short by (n-1)/n). Hesterberg's expanded percentile interval corrects
    both: z is replaced by sqrt(n/(n-1)) * t(n-1). The ends are moved away from the estimate
    by that ratio, which keeps them where replicates are plentiful.
    """
    if n < 2:
        return math.inf
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return math.sqrt(n / (n - 1)) * _t_quantile(1 - alpha / 2, n - 1) / z


# -- the engine ----------------------------------------------------------------------------------
class _Arm:
    """One preset's calls as arrays: per-call counts and the per-turn values with their call."""

    def __init__(self, calls: Sequence[CallFigures]) -> None:
        import numpy as np

        self.n = len(calls)
        self.columns: dict[str, np.ndarray] = {}
        for name in ("caller_turns", "cut_offs", "agent_turns", "barged_turns"):
            self.columns[name] = np.array([getattr(c, name) for c in calls], dtype=float)
        self.columns["attention_timeouts"] = np.array(
            [c.attention_timeouts for c in calls], dtype=float
        )
        self.columns["calls"] = np.ones(self.n)
        self.columns["ended_known"] = np.array([c.ended_early is not None for c in calls], float)
        self.columns["ended_early"] = np.array([c.ended_early is True for c in calls], float)
        self.turns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name in ("endpointing_ms", "first_response_ms"):
            values = [v for c in calls for v in getattr(c, name)]
            owner = [i for i, c in enumerate(calls) for _ in getattr(c, name)]
            order = np.argsort(np.array(values, dtype=float), kind="stable")
            self.turns[name] = (
                np.array(values, dtype=float)[order],
                np.array(owner, dtype=np.intp)[order],
            )

    def estimates(self, counts: np.ndarray, figures: Sequence[Figure]) -> np.ndarray:
        """Each figure (columns) for each row of per-call draw counts (rows)."""
        import numpy as np

        out = np.full((counts.shape[0], len(figures)), np.nan)
        weights = counts.astype(float)
        cums: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        by_call: np.ndarray | None = None
        for j, fig in enumerate(figures):
            if fig.kind == "rate":
                num = weights @ self.columns[fig.field]
                den = weights @ self.columns[str(fig.per)]
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[:, j] = np.where(den > 0, fig.scale * num / den, np.nan)
                continue
            values, owner = self.turns[fig.field]
            if not len(values):
                continue
            if fig.field not in cums:
                # Turns down, replicates across, summed a row at a time: many times faster
                # than np.cumsum along either axis of a wide integer array.
                if by_call is None:  # one row per call, contiguous, so rows gather fast
                    by_call = np.ascontiguousarray(counts.T)
                cum = by_call[owner]
                for i in range(1, len(cum)):
                    np.add(cum[i - 1], cum[i], out=cum[i])
                cums[fig.field] = (cum, cum[-1])
            cum, total = cums[fig.field]
            # Nearest rank, as `speech-tuner calls` reports: the smallest value with at least
            # p% of the (weighted) turns at or below it.
            target = np.maximum(1, np.ceil(float(fig.per) / 100 * total)).astype(np.int32)
            pos = np.minimum((cum < target).sum(axis=0), len(values) - 1)
            out[:, j] = np.where(total > 0, values[pos], np.nan)
        return out

    def replicates(self, figures: Sequence[Figure], resamples: int, rng: Any) -> np.ndarray:
        import numpy as np

        widest = max([self.n, *(len(v) for v, _ in self.turns.values())])
        chunk = max(1, min(resamples, _CHUNK_CELLS // widest))
        parts = []
        for start in range(0, resamples, chunk):
            size = min(chunk, resamples - start)
            # Each row draws n calls with replacement; counts[r, i] = times call i was drawn.
            drawn = rng.integers(0, self.n, size=(size, self.n))
            drawn += np.arange(size)[:, None] * self.n
            counts = np.bincount(drawn.ravel(), minlength=size * self.n).reshape(size, self.n)
            parts.append(self.estimates(counts.astype(np.int32), figures))
        return np.vstack(parts)


def compare(
    calls: Iterable[CallFigures],
    *,
    baseline: str | None = None,
    experiment: str | None = None,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
    figures: Sequence[Figure] = FIGURES,
) -> Experiment:
    """Compare every preset's calls with the baseline's (default: "normal" if it ran, else the
    preset with the most calls). With `experiment`, only calls of that experiment count.

    The same calls and seed give the same intervals, so a report can be re-run and checked.
    """
    import numpy as np

    by_preset: dict[str, list[CallFigures]] = {}
    left_out = 0
    seen: set[str | None] = set()
    for call in calls:
        if call.preset is None or (experiment is not None and call.experiment != experiment):
            left_out += 1
            continue
        seen.add(call.experiment)
        by_preset.setdefault(call.preset, []).append(call)
    names = sorted(by_preset, key=lambda n: (-len(by_preset[n]), n))
    if baseline is None:
        baseline = "normal" if "normal" in by_preset else (names[0] if names else None)
    result = Experiment({}, {}, [], confidence, resamples, left_out)
    if experiment is None and len(seen) > 1:
        named = sorted(e for e in seen if e)
        result.notes.append(
            "calls of "
            + (f"experiments {', '.join(named)}" if len(named) > 1 else f"experiment {named[0]}")
            + (" and calls that chose their preset with ?preset=" if None in seen else "")
            + " are pooled: name one with --experiment to compare only the calls it dealt"
        )
    if baseline is None:
        return result
    if baseline not in by_preset:
        result.notes.append(f"no calls ran with the baseline preset {baseline!r}")
        return result
    arms = {name: _Arm(by_preset[name]) for name in [baseline, *sorted(set(names) - {baseline})]}
    observed: dict[str, np.ndarray] = {}
    for name, arm in arms.items():
        observed[name] = arm.estimates(np.ones((1, arm.n), dtype=np.int64), figures)[0]
        result.calls[name] = arm.n
        result.arms[name] = {
            f.key: None if math.isnan(v) else float(v)
            for f, v in zip(figures, observed[name], strict=True)
        }
    others = [n for n in arms if n != baseline]
    measured = {
        n: [
            j
            for j in range(len(figures))
            if not (np.isnan(observed[baseline][j]) or np.isnan(observed[n][j]))
        ]
        for n in others
    }
    family = max(1, sum(len(v) for v in measured.values()))
    alpha = (1 - confidence) / family
    rng = np.random.default_rng(seed)
    base_reps = arms[baseline].replicates(figures, resamples, rng)
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(POWER)
    for name in others:
        arm = arms[name]
        reps = arm.replicates(figures, resamples, rng)
        widen = _widening(min(arm.n, arms[baseline].n), alpha)
        diffs: list[Difference] = []
        for j in measured[name]:
            d = reps[:, j] - base_reps[:, j]
            if np.isnan(d).mean() > _MAX_UNDEFINED:
                continue
            diff = float(observed[name][j] - observed[baseline][j])
            low, high = (float(x) for x in np.nanquantile(d, [alpha / 2, 1 - alpha / 2]))
            low, high = diff - widen * (diff - low), diff + widen * (high - diff)
            clear = low > 0 or high < 0
            more = None
            if not clear:
                se = float(np.nanstd(d, ddof=1))
                target = max(abs(diff), figures[j].worth)
                if se > 0:
                    spread = se**2 / (1 / arm.n + 1 / arms[baseline].n)
                    needed = math.ceil(2 * spread * z**2 / target**2)
                    more = max(needed - min(arm.n, arms[baseline].n), 1)
            diffs.append(
                Difference(
                    figures[j],
                    float(observed[baseline][j]),
                    float(observed[name][j]),
                    diff,
                    low,
                    high,
                    clear,
                    more,
                )
            )
        fewest = min(arm.n, arms[baseline].n)
        too_few = ""
        if fewest < MIN_CALLS:
            too_few = (
                f"at least {MIN_CALLS} calls per preset are needed before any difference is "
                f"told ({MIN_CALLS - fewest} more)"
            )
        result.comparisons.append(
            Comparison(
                baseline,
                name,
                (arms[baseline].n, arm.n),
                confidence,
                tuple(diffs),
                too_few,
            )
        )
    return result
