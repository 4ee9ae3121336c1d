"""The level contour's corrections of a detector's speech segments.

A detector decides per frame; the signal's own level (10 ms frames) says where it fell silent.
Gaps that never fall quiet are closed, loud stretches the detector missed become speech, and on
a clean channel each pause's edges are moved to where the level crosses from speech into quiet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tuner.audio.decode import Samples

Segment = tuple[float, float]  # (start_ms, end_ms)

#: Gaps between speech shorter than this are closed before pauses are measured: they are gaps
#: between words, stop consonants or commas, and no end_of_speech_timeout (250 ms at least) can
#: end a turn inside them.
MIN_GAP_MS = 250

#: Level frames for the quiet check (ms); a frame is quiet below the higher of the noise floor +
#: `Tuning.quiet_above_floor_db` and the speech level - QUIET_BELOW_SPEECH_DB. In real pauses the
#: level sits at the floor or, with a breath, 25-35 dB under the speech; the quiet words Silero
#: lets go of ("et", "and", a trailing "euh") stay within 10-23 dB of it, so 24 dB tells them apart
#: (docs/recordings.md "Real speech").
LEVEL_FRAME_MS = 10
QUIET_BELOW_SPEECH_DB = 24.0
#: The noise floor is the level most frames outside speech stay under, but never more than this
#: above the recording's quietest tenth: missed quiet speech also lies outside the detector's
#: speech, and in a short read sentence it is most of what does.
FLOOR_SPREAD_DB = 6.0
#: Loud stretches the detector missed (a one-word reply at 8 kHz can get a single speech frame):
#: at least LOUD_MIN_MS within LOUD_BELOW_SPEECH_DB of the speech level and LOUD_ABOVE_FLOOR_DB
#: above the floor are speech. Only clean channels have such a margin over their floor.
LOUD_MIN_MS = 100
LOUD_BELOW_SPEECH_DB = 25.0
LOUD_ABOVE_FLOOR_DB = 25.0
#: Pause edges: the detector's edge (32 ms frames, a hangover of ~70 ms that varies with the
#: sound) is moved, by at most EDGE_WINDOW_MS, to where the level falls under (or rises over)
#: the pause's own level + EDGE_ABOVE_PAUSE_DB, or the speech level - EDGE_DROP_DB if that is
#: higher, and stays there for EDGE_HOLD_MS. Each pause is read against its own level, not the
#: recording's floor: a breath or room noise in it sets it. Where that lies less than
#: EDGE_MIN_RANGE_DB under the speech (noise), the quiet ends of words are under it and the
#: detector's edge is kept.
EDGE_ABOVE_PAUSE_DB = 3.0
EDGE_DROP_DB = 40.0
EDGE_WINDOW_MS = 250.0
EDGE_HOLD_MS = 50.0
EDGE_MIN_RANGE_DB = 25.0
#: On a clean channel, speech is split where the level stays quiet and the detector leans to
#: silence (median probability under 0.5) for this long: an in-breath in a pause scores 0.3-0.6
#: with Silero, enough to hold its hysteresis (release at 0.35) across the whole pause.
SPLIT_SILENT_MS = 300.0


def frame_levels_db(x: Samples, rate: int) -> npt.NDArray[np.float64]:
    """Level of each 10 ms frame in dB full scale."""
    n = rate * LEVEL_FRAME_MS // 1000
    frames = x[: x.size // n * n].reshape(-1, n)
    # Sum in float64 without a float64 copy of the whole recording.
    power = np.einsum("ij,ij->i", frames, frames, dtype=np.float64) / n
    return np.asarray(10 * np.log10(power + 1e-10))


@dataclass(frozen=True)
class Contour:
    """A channel's level contour read against the detector's speech: 30 ms smoothed levels, the
    noise floor and the speech level (dB full scale)."""

    smooth: npt.NDArray[np.float64]
    floor_db: float
    speech_db: float

    @property
    def above_floor_db(self) -> float:
        """How far the speech stands above the noise floor (dB): the recordings report calls a
        channel noisy under 16 (`tuner.audio.analysis.NOISY_BELOW_DB`)."""
        return self.speech_db - self.floor_db


def read_contour(segments: list[Segment], levels_db: npt.NDArray[np.float64]) -> Contour:
    """The noise floor is the level most frames outside the detector's speech stay under (their
    90th percentile), capped by FLOOR_SPREAD_DB over the quietest tenth; the speech level is the
    90th percentile inside it."""
    power = np.convolve(10 ** (levels_db / 10), np.ones(3) / 3, mode="same")
    smooth = 10 * np.log10(power + 1e-10)  # 30 ms: steadier in noise than single frames
    inside = _mask(segments, smooth.size)
    outside = smooth[~inside]
    floor = float(np.percentile(outside if outside.size >= 20 else smooth, 90))
    floor = min(floor, float(np.percentile(smooth, 10)) + FLOOR_SPREAD_DB)
    speech = float(np.percentile(smooth[inside], 90)) if inside.any() else floor
    return Contour(smooth, floor, speech)


def close_loud_gaps(
    segments: list[Segment],
    levels_db: npt.NDArray[np.float64],
    split_quiet_ms: float | None = None,
    min_gap_ms: float = MIN_GAP_MS,
    quiet_above_floor_db: float = 5.0,
    contour: Contour | None = None,
    detector_prob: npt.NDArray[np.float64] | None = None,
) -> list[Segment]:
    """Close the gaps that hold no quiet stretch of `min_gap_ms`: the detector let go of speech
    (an unvoiced consonant, a breathy syllable) where the signal never fell silent.

    Quiet is judged against the channel's own silence (`read_contour`'s floor +
    `quiet_above_floor_db`), so steady noise of any colour is quiet, and against its speech
    (QUIET_BELOW_SPEECH_DB). Before that, loud stretches the detector missed become speech;
    after it, on a clean channel, the pauses' edges are moved to the level's (`refine_edges`).
    """
    if not segments or levels_db.size == 0:
        return segments
    c = contour or read_contour(segments, levels_db)
    smooth, floor, speech = c.smooth, c.floor_db, c.speech_db
    inside = _mask(segments, smooth.size)
    loud = (smooth >= speech - LOUD_BELOW_SPEECH_DB) & (smooth >= floor + LOUD_ABOVE_FLOOR_DB)
    segments = _add_runs(segments, loud & ~inside, LOUD_MIN_MS, min_gap_ms)
    quiet = smooth < max(floor + quiet_above_floor_db, speech - QUIET_BELOW_SPEECH_DB)
    if split_quiet_ms:
        segments = _split_quiet(segments, quiet, split_quiet_ms)
    if detector_prob is not None and floor + quiet_above_floor_db <= speech - EDGE_MIN_RANGE_DB:
        segments = _split_quiet(segments, quiet, SPLIT_SILENT_MS, detector_prob)
    out = [segments[0]]
    for s, e in segments[1:]:
        lo = int(out[-1][1] // LEVEL_FRAME_MS)
        hi = int(s // LEVEL_FRAME_MS)
        if s - out[-1][1] < min_gap_ms or _longest_run(quiet[lo:hi]) * LEVEL_FRAME_MS < min_gap_ms:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return refine_edges(out, smooth, speech, min_gap_ms)


def refine_edges(
    segments: list[Segment], levels_db: npt.NDArray[np.float64], speech_db: float, min_gap_ms: float
) -> list[Segment]:
    """Each pause's edges moved to where the level crosses from speech into the pause's own
    level (EDGE_ABOVE_PAUSE_DB over its median, and at least EDGE_DROP_DB under the speech),
    near the detector's edge. A pause whose level lies within EDGE_MIN_RANGE_DB of the speech
    (noise) keeps the detector's edges, and so does one that would come out under
    `min_gap_ms`."""
    n = levels_db.size
    w = int(EDGE_WINDOW_MS // LEVEL_FRAME_MS)
    hold = max(1, int(EDGE_HOLD_MS // LEVEL_FRAME_MS))
    out = [segments[0]]
    for s, e in segments[1:]:
        ps, pe = int(out[-1][1] // LEVEL_FRAME_MS), int(s // LEVEL_FRAME_MS)
        gap = levels_db[ps:pe]
        if gap.size == 0:  # past the end of the levels (the detector's last frame)
            out.append((s, e))
            continue
        edge_db = max(float(np.median(gap)) + EDGE_ABOVE_PAUSE_DB, speech_db - EDGE_DROP_DB)
        if edge_db > speech_db - EDGE_MIN_RANGE_DB:
            out.append((s, e))
            continue
        loud = levels_db >= edge_db
        # Speech end: the first frame from which the level stays under the edge for `hold`.
        new_ps = ps
        for i in range(max(1, ps - w), min(n - hold, ps + w, pe)):
            if loud[i - 1] and not loud[i : i + hold].any():
                new_ps = i
                break
        # Speech start: the first loud frame after the last quiet stretch of `hold` frames.
        new_pe = pe
        for j in range(min(n - 1, pe + w), max(new_ps + hold, pe - w), -1):
            if loud[j] and not loud[j - hold : j].any():
                new_pe = j
                break
        a, b = new_ps * LEVEL_FRAME_MS, new_pe * LEVEL_FRAME_MS
        if b - a >= min_gap_ms:
            out[-1] = (out[-1][0], float(a))
            out.append((float(b), e))
        else:
            out.append((s, e))
    return out


def _mask(segments: list[Segment], n: int) -> npt.NDArray[np.bool_]:
    inside = np.zeros(n, dtype=bool)
    for s, e in segments:
        inside[int(s // LEVEL_FRAME_MS) : int(e // LEVEL_FRAME_MS) + 1] = True
    return inside


def _add_runs(
    segments: list[Segment], flags: npt.NDArray[np.bool_], min_ms: float, min_gap_ms: float
) -> list[Segment]:
    """Segments plus each run of `flags` at least `min_ms` long, merged across short gaps."""
    runs = [
        (float(a * LEVEL_FRAME_MS), float(b * LEVEL_FRAME_MS))
        for a, b in _runs(flags)
        if (b - a) * LEVEL_FRAME_MS >= min_ms
    ]
    if not runs:
        return segments
    out: list[Segment] = []
    for s, e in sorted([*segments, *runs]):
        if out and s - out[-1][1] < min_gap_ms:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _split_quiet(
    segments: list[Segment],
    quiet: npt.NDArray[np.bool_],
    min_ms: float,
    prob: npt.NDArray[np.float64] | None = None,
) -> list[Segment]:
    """Split speech segments at quiet stretches of `min_ms` or more: in broadband noise WebRTC
    holds on to 'speech' through whole pauses where the level sits at the floor. With `prob`,
    only where the detector's median speech probability over the stretch is under 0.5."""
    out: list[Segment] = []
    for s, e in segments:
        lo, hi = int(s // LEVEL_FRAME_MS), int(e // LEVEL_FRAME_MS)
        start = s
        for a, b in _runs(quiet[lo:hi]):
            if (b - a) * LEVEL_FRAME_MS < min_ms or a == 0 or lo + b >= hi:
                continue
            if prob is None or float(np.median(prob[lo + a : lo + b])) < 0.5:
                out.append((start, (lo + a) * LEVEL_FRAME_MS))
                start = (lo + b) * LEVEL_FRAME_MS
        out.append((start, e))
    return out


def _runs(flags: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) frame indices of each run of True in `flags`, end exclusive."""
    padded = np.concatenate([[0], flags.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _longest_run(flags: npt.NDArray[np.bool_]) -> int:
    return max((b - a for a, b in _runs(flags)), default=0)
