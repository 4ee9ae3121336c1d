"""Per-call figures for comparing presets: one payload → `CallFigures`; many → `PresetFigures`.

`CallFigures` is what an experiment compares call by call (cut-offs per 100 caller turns, the
endpointing wait, the first response, barges, attention timeouts, whether the caller left
early), with the preset the call was stamped with. `PresetFigures` pools them per
(preset, experiment) in bounded memory and merges like `Summary`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tuner.calls.histogram import Histogram, num
from tuner.calls.payload import Call, PayloadError
from tuner.calls.read import Failure, Incomplete, discover, parse_file
from tuner.calls.turns import read_call


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]  # nearest-rank p50


@dataclass(frozen=True)
class CallFigures:
    """One call's turn-taking figures. Figures that were not measured are None."""

    where: str
    call_id: str | None
    preset: str | None
    experiment: str | None
    caller_turns: int
    assistant_turns: int
    #: Caller turns that continued the caller's own previous turn (split utterances).
    split_turns: int
    #: Agent replies the caller barged within the first 1.5 s.
    early_barges: int
    barged_turns: int
    attention_timeouts: int
    #: The attention timeout the platform used (ms), when it said so.
    attention_timeout_ms: float | None
    #: The call's typical (p50) endpointing wait (ms) and the field it was read from.
    endpointing_ms: float | None
    endpointing_source: str | None
    #: The call's typical (p50) first response (ms); `first_response_estimated` when any turn
    #: was estimated rather than measured (see docs/calls.md).
    first_response_ms: float | None
    first_response_estimated: bool
    caller_hung_up: bool
    caller_ended_early: bool
    ended: str
    ignored: int

    @property
    def cut_offs(self) -> int:
        return self.split_turns + self.early_barges

    @property
    def cut_offs_per_100_turns(self) -> float | None:
        return 100 * self.cut_offs / self.caller_turns if self.caller_turns else None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["cut_offs"] = self.cut_offs
        out["cut_offs_per_100_turns"] = self.cut_offs_per_100_turns
        return out

    @classmethod
    def from_call(cls, call: Call) -> CallFigures:
        sources = sorted(call.endpointing_sources.items(), key=lambda kv: -kv[1])[:1]
        return cls(
            where=call.where,
            call_id=call.call_id,
            preset=call.preset,
            experiment=call.experiment,
            caller_turns=call.caller_turns,
            assistant_turns=call.assistant_turns,
            split_turns=call.split_turns,
            early_barges=call.early_barges,
            barged_turns=call.barged_turns,
            attention_timeouts=call.attention_timeouts,
            attention_timeout_ms=max(call.attention_timeout_ms, default=None),
            endpointing_ms=_median(call.endpointing),
            endpointing_source=sources[0][0] if sources else None,
            first_response_ms=_median(call.first_response),
            first_response_estimated=any(
                s.startswith("estimate") for s in call.first_response_sources
            ),
            caller_hung_up=call.caller_hung_up,
            caller_ended_early=call.ended_early,
            ended=call.ended,
            ignored=sum(call.ignored.values()),
        )


def call_figures(payload: Any, where: str = "<payload>") -> CallFigures:
    """One decoded post_conversation payload → its figures; PayloadError if it is not one."""
    return CallFigures.from_call(read_call(payload, where))


def iter_figures(paths: Iterable[str | os.PathLike[str]]) -> Iterator[CallFigures | Failure]:
    """Every call under `paths` (files, folders, JSON lines) as its figures, streamed; what
    cannot be read comes as a `Failure` in its place (incomplete last lines are skipped)."""
    files, missing = discover(paths)
    yield from missing
    for path in files:
        for item in parse_file(Path(path)):
            if isinstance(item, Incomplete):
                continue
            if isinstance(item, Failure):
                yield item
                continue
            where, payload = item
            try:
                yield CallFigures.from_call(read_call(payload, where))
            except PayloadError as exc:
                yield Failure(where, str(exc))


#: Per-call figures pooled by `PresetFigures` as histograms of per-call values.
_PER_CALL = ("endpointing_ms", "first_response_ms", "cut_offs_per_100_turns")


@dataclass
class Group:
    """The calls of one (preset, experiment): totals and per-call distributions."""

    calls: int = 0
    caller_turns: int = 0
    cut_offs: int = 0
    barged_turns: int = 0
    early_barges: int = 0
    attention_timeouts: int = 0
    caller_ended_early: int = 0
    first_response_estimated: int = 0
    per_call: dict[str, Histogram] = field(
        default_factory=lambda: {name: Histogram() for name in _PER_CALL}
    )

    def add(self, fig: CallFigures) -> None:
        self.calls += 1
        self.caller_turns += fig.caller_turns
        self.cut_offs += fig.cut_offs
        self.barged_turns += fig.barged_turns
        self.early_barges += fig.early_barges
        self.attention_timeouts += fig.attention_timeouts
        self.caller_ended_early += fig.caller_ended_early
        self.first_response_estimated += fig.first_response_estimated
        for name in _PER_CALL:
            value = getattr(fig, name)
            if value is not None:
                self.per_call[name].add(value)

    def merge(self, other: Group) -> None:
        for name in (
            "calls",
            "caller_turns",
            "cut_offs",
            "barged_turns",
            "early_barges",
            "attention_timeouts",
            "caller_ended_early",
            "first_response_estimated",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, hist in other.per_call.items():
            self.per_call[name].merge(hist)

    def to_json(self) -> dict[str, Any]:
        turns = self.caller_turns
        return {
            "calls": self.calls,
            "caller_turns": turns,
            "cut_offs": self.cut_offs,
            "cut_offs_per_100_turns": num(100 * self.cut_offs / turns) if turns else None,
            "barged_turns": self.barged_turns,
            "early_barges": self.early_barges,
            "attention_timeouts_per_call": (
                num(self.attention_timeouts / self.calls) if self.calls else None
            ),
            "caller_ended_early": self.caller_ended_early,
            "first_response_estimated_calls": self.first_response_estimated,
            "per_call": {name: hist.summary() for name, hist in self.per_call.items()},
        }


@dataclass
class PresetFigures:
    """`CallFigures` pooled per (preset, experiment); `add` a call, `merge` another pool."""

    groups: dict[tuple[str | None, str | None], Group] = field(default_factory=dict)

    def add(self, fig: CallFigures) -> None:
        key = (fig.preset, fig.experiment)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group()
        group.add(fig)

    def merge(self, other: PresetFigures) -> PresetFigures:
        for key, group in other.groups.items():
            mine = self.groups.get(key)
            if mine is None:
                mine = self.groups[key] = Group()
            mine.merge(group)
        return self

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"preset": preset, "experiment": experiment, **group.to_json()}
            for (preset, experiment), group in sorted(
                self.groups.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))
            )
        ]
