"""What the timing values would do to measured callers: cut-offs, added wait, barges, timeouts.

The evidence is measured once (caller pauses from recordings, caller turns and replies from call
logs, see `tuner.evidence`); each change of a value only re-reads sorted lists with `bisect`, so
the figures follow the editor as fast as a person types. No Textual, no numpy: the engine is plain
Python and can be reasoned about and tested on its own.

The model behind each figure, in one place:
- a pause longer than `end_of_speech_timeout` ends the caller's turn early: a cut-off (the same
  rule as `pauses`: `duration > timeout`); with turn detection on, a pause longer than
  `turn_detection_timeout` also ends it where the words so far end a sentence;
- the calls ran on the preset the editor was opened from: a change of the silence timeout moves
  every measured endpointing wait by the difference (never below 0), and the first response
  (measured, or estimated as `calls` estimates it: endpointing wait + the reply's audio latency)
  with it;
- a barge-in needs `barge_min_words` words: a logged barge whose interrupting caller turn had
  fewer words would not have happened (below the live value the logs cannot show what would);
- an attention timeout fired after `timeout_ms` of silence: a value at or below that still fires;
  a longer one may not, and the logs cannot tell (those are counted apart, never guessed).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from tuner.budget import Grade, grade, turn_detection_on, wait_ms
from tuner.params import Timing

#: The step key of "every step".
ALL = ""
#: Histogram bins: ms per bin and the last bin's start (everything longer falls in it).
BIN_MS = 100
TOP_MS = 3000


@dataclass
class Evidence:
    """Every measured input, pooled; filled by `tuner.evidence`, read by `view`."""

    #: Caller pauses within a turn (ms) and the dialogue step each was in ("" unknown).
    pause_ms: list[float] = field(default_factory=list)
    pause_step: list[str] = field(default_factory=list)
    #: Caller turns the pauses were measured over, per step (None: a source did not say).
    turns_by_step: Counter[str] = field(default_factory=Counter)
    turns_known: bool = True
    #: Caller turns of the call logs: the endpointing wait (ms) of each, and its step.
    wait_ms: list[float | None] = field(default_factory=list)
    turn_step: list[str] = field(default_factory=list)
    #: Caller turns answered directly: the first response (ms, measured or estimated as
    #: `calls` does), the endpointing wait inside it (ms, 0: not measured), and the step.
    first_ms: list[float] = field(default_factory=list)
    first_wait_ms: list[float] = field(default_factory=list)
    first_step: list[str] = field(default_factory=list)
    #: How many of those first responses are estimates rather than measured.
    first_estimated: int = 0
    #: Spoken replies of the agent, per step (the barge-in denominator).
    replies_by_step: Counter[str] = field(default_factory=Counter)
    #: Words of the caller turn that interrupted each barged reply (None: not known), and step.
    barge_words: list[int | None] = field(default_factory=list)
    barge_step: list[str] = field(default_factory=list)
    #: The silence (ms) after which each attention timeout fired (None: not logged), and step.
    attention_ms: list[float | None] = field(default_factory=list)
    attention_step: list[str] = field(default_factory=list)
    recordings: int = 0
    calls: int = 0
    #: Where the pauses came from: source label -> count.
    pause_sources: Counter[str] = field(default_factory=Counter)
    #: Lines for people: inputs that could not be read, figures the inputs cannot give.
    notes: list[str] = field(default_factory=list)
    #: Calls carrying a preset stamp (`tuner.experiment.figures.CallFigures`), for the
    #: experiment's presets side by side; and that comparison once made (in the background).
    stamped: list[Any] = field(default_factory=list)
    experiment: Any = None
    #: Views already built, per step (build them all in the background with `prepare`).
    _views: dict[str, View] = field(default_factory=dict, repr=False, compare=False)

    def steps(self) -> list[str]:
        """The dialogue steps seen, most caller turns first."""
        seen = Counter({s: n for s, n in self.turns_by_step.items() if s})
        for s in (*self.turn_step, *self.pause_step):
            if s and s not in seen:
                seen[s] = 0
        return [s for s, _ in seen.most_common()]

    def view(self, step: str = ALL) -> View:
        """The sorted lists one step's figures are read from (every step with `ALL`); built
        once per step, so call it only when the evidence is complete."""
        cached = self._views.get(step)
        if cached is None:
            cached = self._views[step] = View.build(self, step)
        return cached

    def prepare(self) -> Evidence:
        """Build every step's view now (in the background), so no change waits for one."""
        for step in (ALL, *self.steps()):
            self.view(step)
        return self

    def empty(self) -> bool:
        return not (self.pause_ms or self.wait_ms or self.replies_by_step or self.attention_ms)


def _pick(values: Sequence[float | None], steps: Sequence[str], step: str) -> list[float]:
    if step == ALL:
        return sorted(v for v in values if v is not None)
    return sorted(v for v, s in zip(values, steps, strict=True) if v is not None and s == step)


@dataclass
class View:
    """One step's evidence as sorted lists (built once per step, read on every change)."""

    step: str
    pauses: list[float]
    turns: int | None
    waits: list[float]
    #: The first responses, sorted.
    first: list[float]
    #: The smallest endpointing wait inside them (a shift below it clamps a wait at 0).
    first_min_wait: float
    #: (endpointing wait, the rest of the first response) of each, for the clamped case.
    pairs: list[tuple[float, float]]
    replies: int
    barge_words: list[float]
    barges_unknown: int
    attention: list[float]
    attention_unknown: int
    calls: int
    #: Pause counts per histogram bin (`histogram`), counted once.
    bins: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, ev: Evidence, step: str) -> View:
        if step == ALL:
            turns_n = sum(ev.turns_by_step.values())
            replies = sum(ev.replies_by_step.values())
        else:
            turns_n = ev.turns_by_step.get(step, 0)
            replies = ev.replies_by_step.get(step, 0)
        pairs = [
            (w, f - w)
            for f, w, s in zip(ev.first_ms, ev.first_wait_ms, ev.first_step, strict=True)
            if step in (ALL, s)
        ]
        words = [w for w, s in zip(ev.barge_words, ev.barge_step, strict=True) if step in (ALL, s)]
        fired = [
            a for a, s in zip(ev.attention_ms, ev.attention_step, strict=True) if step in (ALL, s)
        ]
        pauses = _pick(ev.pause_ms, ev.pause_step, step)
        return cls(
            step=step,
            pauses=pauses,
            turns=turns_n if ev.turns_known else None,
            waits=_pick(ev.wait_ms, ev.turn_step, step),
            first=sorted(w + r for w, r in pairs),
            first_min_wait=min((w for w, _ in pairs), default=0.0),
            pairs=pairs,
            replies=replies,
            barge_words=sorted(float(w) for w in words if w is not None),
            barges_unknown=sum(1 for w in words if w is None),
            attention=sorted(a for a in fired if a is not None),
            attention_unknown=sum(1 for a in fired if a is None),
            calls=ev.calls,
            bins=histogram(pauses),
        )


# -- the figures -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cutoffs:
    """Pauses a timeout would cut off, and the rate per 100 caller turns (per 100 pauses when
    the turns are not known)."""

    timeout: int
    count: int
    pauses: int
    per_100: float | None
    per: str


@dataclass(frozen=True)
class FirstResponse:
    """The caller-perceived first response over the measured turns (estimate, see module doc)."""

    p50: float
    p90: float
    count: int
    grade: Grade


@dataclass(frozen=True)
class Figures:
    """Everything the evidence panel shows for one set of values (and the opened preset's)."""

    step: str
    cutoffs: Cutoffs | None
    opened_cutoffs: Cutoffs | None
    #: Pauses past turn_detection_timeout (None: turn detection off or not a number).
    detect_cutoffs: Cutoffs | None
    #: Added wait per reply against the opened preset, when the caller simply stops (ms).
    added_wait_ms: int | None
    #: The same where turn detection ends the turn on a finished sentence.
    added_wait_detected_ms: int | None
    waits: int
    first: FirstResponse | None
    opened_first: FirstResponse | None
    barge_min_words: int | None
    opened_barge_min_words: int | None
    barges: int | None
    opened_barges: int | None
    barges_unknown: int
    replies: int
    attention_timeout: int | None
    attention: int | None
    attention_maybe: int
    attention_unknown: int
    calls: int


def _int(value: object) -> int | None:
    """A concrete number of a param (SWML variables cannot be simulated)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


def cutoffs(view: View, timeout: int | None) -> Cutoffs | None:
    """Pauses longer than `timeout` (the rule of `pauses`), with their rate."""
    if timeout is None or not view.pauses:
        return None
    n = len(view.pauses)
    count = n - bisect_right(view.pauses, timeout)
    if view.turns:
        return Cutoffs(timeout, count, n, 100 * count / view.turns, "caller turns")
    return Cutoffs(timeout, count, n, 100 * count / n, "pauses")


def nearest_rank(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (the definition `calls` and `pauses` use)."""
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def first_response(view: View, shift: float) -> FirstResponse | None:
    """First-response p50/p90 with every endpointing wait moved by `shift` ms (never below 0)."""
    first = view.first
    if not first:
        return None
    if view.first_min_wait + shift >= 0:
        p50 = nearest_rank(first, 50) + shift
        p90 = nearest_rank(first, 90) + shift
    else:  # some waits would go below zero: clamp them at 0, which can reorder the turns
        moved = sorted(max(0.0, w + shift) + r for w, r in view.pairs)
        p50, p90 = nearest_rank(moved, 50), nearest_rank(moved, 90)
    return FirstResponse(p50, p90, len(first), grade("first_response", p50))


def barges(view: View, words: int | None) -> int | None:
    """Logged barge-ins whose caller turn had at least `words` words (None: words unknown)."""
    if words is None or not view.barge_words:
        return None
    return len(view.barge_words) - bisect_left(view.barge_words, words)


def attention(view: View, timeout: int | None) -> tuple[int | None, int]:
    """(timeouts that still fire at `timeout`, timeouts that may not: fired sooner than it)."""
    if timeout is None:
        return None, 0
    fired = view.attention
    if timeout == 0:  # off
        return 0, 0
    sooner = bisect_left(fired, timeout)
    return len(fired) - sooner, sooner


def _timeouts_known(params: Timing) -> bool:
    return _int(params.effective("turn_detection_timeout")) is not None or not turn_detection_on(
        params
    )


def figures(view: View, params: Timing, opened: Timing) -> Figures:
    """The panel's figures for `params`, beside those of the `opened` preset."""
    eos = _int(params.effective("end_of_speech_timeout"))
    opened_eos = _int(opened.effective("end_of_speech_timeout"))
    tdt = _int(params.effective("turn_detection_timeout")) if turn_detection_on(params) else None
    # A SWML variable ("${eos}") is only known on the call: no figure is made up for it.
    known = None not in (eos, opened_eos) and _timeouts_known(params) and _timeouts_known(opened)
    shift = wait_ms(params, "silence") - wait_ms(opened, "silence") if known else None
    shift_detected = wait_ms(params, "detected") - wait_ms(opened, "detected") if known else None
    # Unset, the platform lets any word barge in.
    words = _int(params.effective("barge_min_words") or 1)
    opened_words = _int(opened.effective("barge_min_words") or 1)
    timeout = _int(params.effective("attention_timeout"))
    fires, maybe = attention(view, timeout)
    return Figures(
        step=view.step,
        cutoffs=cutoffs(view, eos),
        opened_cutoffs=cutoffs(view, opened_eos),
        detect_cutoffs=cutoffs(view, tdt) if tdt is not None and eos and tdt < eos else None,
        added_wait_ms=shift,
        added_wait_detected_ms=shift_detected,
        waits=len(view.waits),
        first=first_response(view, shift) if shift is not None else None,
        opened_first=first_response(view, 0),
        barge_min_words=words,
        opened_barge_min_words=opened_words,
        barges=barges(view, words),
        opened_barges=barges(view, opened_words),
        barges_unknown=view.barges_unknown,
        replies=view.replies,
        attention_timeout=timeout,
        attention=fires,
        attention_maybe=maybe,
        attention_unknown=view.attention_unknown,
        calls=view.calls,
    )


def histogram(pauses: Sequence[float], bin_ms: int = BIN_MS, top_ms: int = TOP_MS) -> list[int]:
    """Pause counts in bins of `bin_ms` from 0, the last bin holding everything from `top_ms`."""
    bins = top_ms // bin_ms + 1
    counts = [0] * bins
    last = bins - 1
    for p in pauses:
        counts[min(int(p // bin_ms), last)] += 1
    return counts


def pooled(sources: Iterable[Evidence]) -> Evidence:
    """Several evidence records as one (e.g. recordings and call logs read separately): lists
    are joined, counters and counts added, `turns_known` holds if it holds for every source.
    The experiment comparison and the cached views are made anew from the pooled record."""
    out = Evidence()
    for ev in sources:
        for f in fields(Evidence):
            mine, theirs = getattr(out, f.name), getattr(ev, f.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            elif isinstance(mine, list):
                mine += theirs
            elif isinstance(mine, bool):
                setattr(out, f.name, mine and theirs)
            elif isinstance(mine, int):
                setattr(out, f.name, mine + theirs)
    return out
