"""From speech segments to pauses: within-turn pauses, turn ends and cut-offs; the timeout table.

Stereo (caller on one channel, agent on the other): a caller silence is a within-turn pause when the
caller speaks again before the agent does, and a turn end when the agent speaks in it. Caller speech
that starts while the agent has just started speaking is an observed cut-off: the agent took the
turn during a pause, so that silence is counted as a within-turn pause too. Mono: turn ends cannot
be told from pauses, so every silence up to `max_pause_ms` is a candidate pause.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from tuner.audio import evidence
from tuner.audio.decode import read_audio
from tuner.audio.defaults import (
    AGENT_MIN_MS,
    CUTOFF_WINDOW_MS,
    DEFAULT_BACKEND,
    DEFAULT_MAX_PAUSE_MS,
    DEFAULT_TARGET_PER_MIN,
    TIMEOUTS,
    VAD_MARGIN_MS,
    Backend,
)
from tuner.audio.defaults import AUDIO_SUFFIXES as AUDIO_SUFFIXES
from tuner.audio.vad import Segment, channel_speech, speech_segments

#: A caller channel whose speech stands less than this over its noise floor is noisy: on recorded
#: speech with pink or babble noise at 10 dB SNR (8-18 dB by this measure; clean recordings at
#: 8 kHz: 21-53 dB) Silero lets go of quiet phrases and hears babble in pauses, so pauses come
#: out longer and some are not there (docs/recordings.md "Real speech").
NOISY_BELOW_DB = 16.0


@dataclass
class FileResult:
    """The pauses of one recording."""

    path: str
    duration_s: float
    channels: int
    caller_channel: int
    pauses_ms: list[int]
    caller_speech_s: float
    turn_ends: int = 0
    observed_cutoffs: int = 0
    mono: bool = False
    pause_spans_ms: list[tuple[float, float]] = field(default_factory=list)
    #: How far the caller's speech stands above the recording's noise floor (dB); None: unknown.
    above_floor_db: float | None = None

    @property
    def noisy(self) -> bool:
        """Speech less than NOISY_BELOW_DB over the floor: its pauses are less trustworthy."""
        return self.above_floor_db is not None and self.above_floor_db < NOISY_BELOW_DB

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "duration_s": round(self.duration_s, 3),
            "channels": self.channels,
            "caller_channel": self.caller_channel,
            "pauses_ms": self.pauses_ms,
            # Caller turns = turn ends + the last turn: the editor's cut-offs per 100 turns.
            "turn_ends": self.turn_ends,
            "speech_above_floor_db": (
                round(self.above_floor_db, 1) if self.above_floor_db is not None else None
            ),
            "noisy": self.noisy,
        }

    def pauses(self, backend: Backend) -> list[Pause]:
        """Each measured pause with its place in the recording."""
        return [
            Pause(self.path, round(start), round(end), backend)
            for start, end in self.pause_spans_ms
        ]


@dataclass(frozen=True)
class Pause:
    """One measured within-turn pause of the caller: where it is, so it can be checked by ear."""

    file: str
    start_ms: int
    end_ms: int
    detector: str

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "duration_ms": self.duration_ms,
            "detector": self.detector,
        }


def measure_pauses(
    path: str,
    caller_channel: int = 0,
    backend: Backend = DEFAULT_BACKEND,
    max_pause_ms: int = DEFAULT_MAX_PAUSE_MS,
) -> list[Pause]:
    """A recording's within-turn caller pauses, in order (raises AudioError when unreadable)."""
    return analyse_file(path, caller_channel, backend, max_pause_ms).pauses(backend)


def cut_off_share(pauses: Sequence[Pause | int], end_of_speech_timeout: int) -> float:
    """The share (0..1) of `pauses` longer than `end_of_speech_timeout`: the pauses in which an
    agent with that timeout would have taken the turn from the caller. 0 without pauses."""
    lengths = [p.duration_ms if isinstance(p, Pause) else p for p in pauses]
    if not lengths:
        return 0.0
    return sum(1 for d in lengths if d > end_of_speech_timeout) / len(lengths)


def analyse_file(
    path: str,
    caller_channel: int = 0,
    backend: Backend = DEFAULT_BACKEND,
    max_pause_ms: int = DEFAULT_MAX_PAUSE_MS,
) -> FileResult:
    """Read one recording and measure its caller's pauses (raises AudioError when unreadable)."""
    audio = read_audio(path)
    if audio.channels == 1:
        caller, above_floor = channel_speech(audio.samples[0], audio.rate, backend)
        spans, turn_ends = mono_pauses(caller, max_pause_ms)
        return FileResult(
            path,
            audio.duration_s,
            1,
            0,
            _lengths(spans),
            _speech_s(caller),
            turn_ends,
            0,
            True,
            spans,
            above_floor,
        )
    caller, above_floor = channel_speech(audio.samples[caller_channel], audio.rate, backend)
    agent = speech_segments(audio.samples[1 - caller_channel], audio.rate, backend)
    spans, turn_ends, cutoffs = stereo_pauses(caller, agent)
    return FileResult(
        path,
        audio.duration_s,
        2,
        caller_channel,
        _lengths(spans),
        _speech_s(caller),
        turn_ends,
        cutoffs,
        False,
        spans,
        above_floor,
    )


def _lengths(spans: Sequence[Segment]) -> list[int]:
    return [round(end - start) for start, end in spans]


def _speech_s(segments: Sequence[Segment]) -> float:
    return sum(e - s for s, e in segments) / 1000.0


def mono_pauses(caller: Sequence[Segment], max_pause_ms: int) -> tuple[list[Segment], int]:
    """Silences (start, end) up to `max_pause_ms` (pauses), and how many were longer (turn ends)."""
    pauses: list[Segment] = []
    turn_ends = 0
    for (_, end), (start, _) in pairwise(caller):
        if round(start - end) <= max_pause_ms:
            pauses.append((end, start))
        else:
            turn_ends += 1
    return pauses, turn_ends


def stereo_pauses(
    caller: Sequence[Segment], agent: Sequence[Segment]
) -> tuple[list[Segment], int, int]:
    """(within-turn pauses as (start, end), turn ends, observed cut-offs) from both speakers."""
    agent = [seg for seg in agent if seg[1] - seg[0] >= AGENT_MIN_MS]
    pauses: list[Segment] = []
    turn_ends = cutoffs = 0
    for (_, end), (start, _) in pairwise(caller):
        talking = [a for a in agent if a[0] < start and a[1] > end]
        if not talking:
            pauses.append((end, start))
            continue
        a_start, a_end = talking[0]  # the agent's first speech in this silence
        if a_start >= end and start < a_end and start - a_start <= CUTOFF_WINDOW_MS:
            cutoffs += 1
            pauses.append((end, start))
        else:
            turn_ends += 1
    return pauses, turn_ends, cutoffs


@dataclass
class Summary:
    """Everything the report shows, built from the files' results."""

    files: list[FileResult]
    backend: Backend
    target_per_min: float = DEFAULT_TARGET_PER_MIN
    pauses: list[int] = field(init=False)
    caller_min: float = field(init=False)

    def __post_init__(self) -> None:
        self.pauses = [p for f in self.files for p in f.pauses_ms]
        self.caller_min = sum(f.caller_speech_s for f in self.files) / 60.0

    def cutoffs(self, timeout: int) -> int:
        """Pauses longer than `timeout`: each would have ended the caller's turn too early."""
        return sum(1 for p in self.pauses if p > timeout)

    def per_min(self, cutoffs: int) -> float:
        return cutoffs / self.caller_min if self.caller_min > 0 else 0.0

    def distribution(self) -> dict[str, int | None]:
        return distribution(self.pauses)

    def table(self, extra: Iterable[int] = ()) -> list[tuple[int, int, float]]:
        """(timeout, cut-offs, cut-offs per minute) for 250..2000 step 50 and any `extra` values."""
        values = sorted(set(TIMEOUTS) | set(extra))
        return [(t, c, self.per_min(c)) for t in values for c in [self.cutoffs(t)]]

    def measured(self) -> list[Pause]:
        """Every measured pause of every recording, for checking by ear."""
        return [p for f in self.files for p in f.pauses(self.backend)]

    def noisy(self) -> list[FileResult]:
        """The recordings whose caller speech stands less than NOISY_BELOW_DB over the noise."""
        return [f for f in self.files if f.noisy]

    def missing(self) -> str | None:
        """What the evidence lacks for a trustworthy recommendation (None: enough)."""
        return evidence.missing(len(self.pauses), self.caller_min)

    def interval(self) -> tuple[int, int] | None:
        """90 % bootstrap interval of the recommendation (evidence.bootstrap_interval)."""
        return evidence.bootstrap_interval(
            sorted(self.pauses), self.caller_min, self.target_per_min, VAD_MARGIN_MS[self.backend]
        )

    def recommend(self) -> tuple[int | None, str]:
        """The smallest timeout under the target cut-off rate plus the detector's margin."""
        if not self.pauses:
            return None, "no within-turn pauses were found, so there is nothing to tune from"
        margin = VAD_MARGIN_MS[self.backend]
        base = evidence.rule(sorted(self.pauses), self.caller_min, self.target_per_min)
        value = evidence.recommendation(base, margin)
        rate = self.per_min(self.cutoffs(base))
        reason = (
            f"{base} ms is the smallest timeout with at most {self.target_per_min:g} cut-offs per "
            f"minute of caller speech ({rate:.2f}/min over {len(self.pauses)} pauses in "
            f"{self.caller_min:.1f} min); plus {margin} ms for {self.backend} voice-detection "
            f"error, rounded up to 50 ms"
        )
        return value, reason


def distribution(pauses: Sequence[int]) -> dict[str, int | None]:
    """count, p50, p90, p95, max (nearest-rank percentiles, ms); None when there are no pauses."""
    ordered = sorted(pauses)
    n = len(ordered)

    def pct(q: float) -> int | None:
        return ordered[max(0, math.ceil(q / 100 * n) - 1)] if n else None

    return {
        "count": n,
        "p50": pct(50),
        "p90": pct(90),
        "p95": pct(95),
        "max": ordered[-1] if n else None,
    }
