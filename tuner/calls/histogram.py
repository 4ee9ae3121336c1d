"""Fixed-resolution histograms: percentiles of any number of values in bounded memory, mergeable."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

PERCENTILES = (50, 90, 95)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p% of values at or below."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def num(value: float) -> int | float:
    """A figure for people and JSON: whole numbers without '.0', others to 3 decimals."""
    return int(value) if float(value).is_integer() else round(value, 3)


class Histogram:
    """Counts of values in bins of `resolution` (1 ms for times): memory grows with the spread
    of the values, never with their number, and two histograms merge by adding counts.

    Percentiles are nearest-rank over the bins, so they are exact for values that are whole
    multiples of the resolution (every SignalWire latency is a whole number of ms) and
    otherwise within half a bin. Values added are counted in batches (the counting runs in C);
    every read counts what is waiting first.
    """

    __slots__ = ("_bins", "_pending", "resolution")

    #: Values held before they are counted.
    BATCH = 2048

    def __init__(self, resolution: float = 1.0, values: Iterable[float] = ()) -> None:
        self.resolution = resolution
        self._bins: Counter[int] = Counter()
        self._pending: list[float] = []
        self.extend(values)

    def add(self, value: float) -> None:
        self._pending.append(value)
        if len(self._pending) >= self.BATCH:
            self._count()

    def extend(self, values: Iterable[float]) -> None:
        pending = self._pending
        pending.extend(values)
        if len(pending) >= self.BATCH:
            self._count()

    def _count(self) -> None:
        pending = self._pending
        if not pending:
            return
        resolution = self.resolution
        if resolution == 1.0:
            self._bins.update(map(round, pending))
        else:
            self._bins.update([round(value / resolution) for value in pending])
        self._pending = []

    @property
    def bins(self) -> Counter[int]:
        """Count per bin (bin × resolution = the value)."""
        self._count()
        return self._bins

    def merge(self, other: Histogram) -> Histogram:
        """Add `other`'s counts into this histogram (same resolution); returns self."""
        if other.resolution != self.resolution:
            raise ValueError("cannot merge histograms of different resolutions")
        self.bins.update(other.bins)
        return self

    @property
    def count(self) -> int:
        return sum(self.bins.values())

    def __bool__(self) -> bool:
        return bool(self._pending) or bool(self._bins)

    def __len__(self) -> int:
        return self.count

    def percentiles(self, ps: Sequence[float]) -> list[float]:
        """Nearest-rank percentiles, in the order of `ps`; empty histogram: ValueError."""
        total = self.count
        if not total:
            raise ValueError("no values")
        bins = self.bins
        ranks = sorted((max(1, math.ceil(p / 100 * total)), i) for i, p in enumerate(ps))
        out = [0.0] * len(ps)
        seen = 0
        wanted = iter(ranks)
        rank, index = next(wanted)
        for key in sorted(bins):
            seen += bins[key]
            while seen >= rank:
                out[index] = key * self.resolution
                try:
                    rank, index = next(wanted)
                except StopIteration:
                    return out
        return out

    def percentile(self, p: float) -> float:
        return self.percentiles([p])[0]

    @property
    def max(self) -> float:
        return max(self.bins) * self.resolution

    def summary(self) -> dict[str, Any]:
        """count, p50, p90, p95 and max (nearest rank); None figures when nothing was measured."""
        out: dict[str, Any] = {"count": self.count}
        if not self:
            out.update({f"p{p}": None for p in PERCENTILES})
            out["max"] = None
            return out
        for p, value in zip(PERCENTILES, self.percentiles(PERCENTILES), strict=True):
            out[f"p{p}"] = num(value)
        out["max"] = num(self.max)
        return out

    def __getstate__(self) -> tuple[float, dict[int, int]]:
        return self.resolution, dict(self.bins)

    def __setstate__(self, state: tuple[float, dict[int, int]]) -> None:
        self.resolution, self._bins, self._pending = state[0], Counter(state[1]), []

    def __repr__(self) -> str:
        return f"Histogram(count={self.count}, resolution={self.resolution})"
