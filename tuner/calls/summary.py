"""Mergeable summaries of many calls: counts and fixed-resolution histograms, overall and per step.

A `Summary` holds no per-call lists, so its size depends on the spread of the values, not on the
number of calls; `merge` adds one summary into another, so files can be analysed anywhere (other
processes, a cluster) and their summaries combined on the client.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tuner.calls.histogram import Histogram
from tuner.calls.payload import TOOL_METRICS, TURN_METRICS, Call, StepCall
from tuner.calls.read import Failure

#: What one call's turns add, series by series (`add_call`).
_CALL_SERIES = (
    "pre_model_wait",
    "function_turn",
    "barge_elapsed",
    "attention_timeout_ms",
    "endpointing",
    "first_response",
    "caller_turn",
    "turn_detection_to_final",
    "confidence",
    "split_gaps",
    "answer_time",
)
#: Histograms of a whole summary, by name (ms at 1 ms resolution unless listed in RESOLUTION).
SERIES = (*TURN_METRICS, *TOOL_METRICS, *_CALL_SERIES, "function_duration")
STEP_SERIES = ("endpointing", "caller_turn", "first_response", "confidence", "split_gaps")
#: Bin width per series that is not in ms.
RESOLUTION = {"confidence": 0.001}


def _histograms(names: tuple[str, ...]) -> dict[str, Histogram]:
    return {name: Histogram(RESOLUTION.get(name, 1.0)) for name in names}


@dataclass
class StepSummary:
    """One dialogue step's caller-turn figures over many calls."""

    caller_turns: int = 0
    cut_offs: int = 0
    attention_timeouts: int = 0
    series: dict[str, Histogram] = field(default_factory=lambda: _histograms(STEP_SERIES))

    def add(self, step: StepCall) -> None:
        self.caller_turns += step.caller_turns
        self.cut_offs += step.cut_offs
        self.attention_timeouts += step.attention_timeouts
        series = self.series
        if step.endpointing:
            _extend(series["endpointing"], step.endpointing)
        if step.caller_turn:
            _extend(series["caller_turn"], step.caller_turn)
        if step.first_response:
            _extend(series["first_response"], step.first_response)
        if step.confidence:
            _extend(series["confidence"], step.confidence)
        if step.split_gaps:
            _extend(series["split_gaps"], step.split_gaps)

    def merge(self, other: StepSummary) -> None:
        self.caller_turns += other.caller_turns
        self.cut_offs += other.cut_offs
        self.attention_timeouts += other.attention_timeouts
        for name, hist in other.series.items():
            self.series[name].merge(hist)


@dataclass
class Summary:
    """Every analysed call's figures, pooled; `add` one call, `merge` another summary."""

    calls: int = 0
    assistant_turns: int = 0
    caller_turns: int = 0
    barged_turns: int = 0
    early_barges: int = 0
    split_turns: int = 0
    attention_timeouts: int = 0
    calls_with_attention_timeouts: int = 0
    caller_hung_up: int = 0
    ended_early: int = 0
    series: dict[str, Histogram] = field(default_factory=lambda: _histograms(SERIES))
    by_function: dict[str, Histogram] = field(default_factory=dict)
    endpointing_sources: Counter[str] = field(default_factory=Counter)
    first_response_sources: Counter[str] = field(default_factory=Counter)
    steps: dict[str, StepSummary] = field(default_factory=dict)
    ended: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    presets: Counter[str] = field(default_factory=Counter)
    errors: list[Failure] = field(default_factory=list)
    #: Unterminated last lines of JSON-lines files (a write in progress or cut short), skipped.
    incomplete: list[str] = field(default_factory=list)

    def add(self, call: Call) -> None:
        """Fold one call's figures in (the call's lists are not kept)."""
        self.calls += 1
        self.assistant_turns += call.assistant_turns
        self.caller_turns += call.caller_turns
        self.barged_turns += call.barged_turns
        self.early_barges += call.early_barges
        self.split_turns += call.split_turns
        self.attention_timeouts += call.attention_timeouts
        self.calls_with_attention_timeouts += call.attention_timeouts > 0
        self.caller_hung_up += call.caller_hung_up
        self.ended_early += call.ended_early
        series = self.series
        for name, values in call.metrics.items():
            if values:
                _extend(series[name], values)
        for name, values in call.tools.items():
            if values:
                _extend(series[name], values)
        for name in _CALL_SERIES:
            values = getattr(call, name)
            if values:
                _extend(series[name], values)
        for fname, values in call.by_function.items():
            hist = self.by_function.get(fname)
            if hist is None:
                hist = self.by_function[fname] = Histogram()
            _extend(hist, values)
            _extend(series["function_duration"], values)
        _count(self.endpointing_sources, call.endpointing_sources)
        _count(self.first_response_sources, call.first_response_sources)
        steps = self.steps
        for name, step in call.steps.items():
            found = steps.get(name)
            if found is None:
                found = steps[name] = StepSummary()
            found.add(step)
        self.ended[call.ended] += 1
        if call.ignored:
            _count(self.ignored, call.ignored)
        if call.preset is not None:
            self.presets[call.preset] += 1

    def merge(self, other: Summary) -> Summary:
        """Add `other` into this summary; returns self (so `reduce(Summary.merge, parts)` works)."""
        for name in (
            "calls",
            "assistant_turns",
            "caller_turns",
            "barged_turns",
            "early_barges",
            "split_turns",
            "attention_timeouts",
            "calls_with_attention_timeouts",
            "caller_hung_up",
            "ended_early",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, hist in other.series.items():
            self.series[name].merge(hist)
        for fname, hist in other.by_function.items():
            mine = self.by_function.get(fname)
            if mine is None:
                self.by_function[fname] = Histogram().merge(hist)
            else:
                mine.merge(hist)
        for sname, step in other.steps.items():
            mine_step = self.steps.get(sname)
            if mine_step is None:
                mine_step = self.steps[sname] = StepSummary()
            mine_step.merge(step)
        self.endpointing_sources.update(other.endpointing_sources)
        self.first_response_sources.update(other.first_response_sources)
        self.ended.update(other.ended)
        self.ignored.update(other.ignored)
        self.presets.update(other.presets)
        self.errors.extend(other.errors)
        self.incomplete.extend(other.incomplete)
        return self

    @property
    def cut_offs(self) -> int:
        return self.split_turns + self.early_barges


def _count(into: Counter[str], counts: dict[str, int]) -> None:
    for key, n in counts.items():
        into[key] += n


def _extend(hist: Histogram, values: list[float]) -> None:
    hist.extend(values)
