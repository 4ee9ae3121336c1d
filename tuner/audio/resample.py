"""Resampling to the rate a voice-activity detector needs (8 or 16 kHz), windowed-sinc low-pass."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from tuner.audio.decode import Samples

#: Output samples computed per block, to bound memory on hour-long recordings.
BLOCK = 1 << 20


def vad_rate(rate: int) -> int:
    """The detector rate for a recording: 16 kHz when it has that bandwidth, else 8 kHz."""
    return 16000 if rate >= 16000 else 8000


def resample(x: Samples, rate: int, target: int) -> Samples:
    """Downsample `x` from `rate` to `target` (target <= rate), low-passed below the new Nyquist."""
    if rate == target:
        return x
    if target > rate:
        raise ValueError("only downsampling is supported")
    ratio = rate / target
    half = math.ceil(8 * ratio)
    n = np.arange(-half, half + 1, dtype=np.float64)
    fc = 0.45 / ratio  # cycles per input sample: 90 % of the new Nyquist
    taps = (2 * fc * np.sinc(2 * fc * n) * np.hamming(n.size)).astype(np.float32)
    taps /= taps.sum()
    padded = np.concatenate(
        [np.zeros(half, np.float32), x.astype(np.float32), np.zeros(half + 2, np.float32)]
    )
    n_out = int(x.size / ratio)
    out = np.empty(n_out, np.float32)
    step = int(ratio)
    for lo in range(0, n_out, BLOCK):
        hi = min(n_out, lo + BLOCK)
        if step == ratio:
            out[lo:hi] = _filter_strided(padded, taps, lo * step, hi - lo, step)
        else:
            pos = np.arange(lo, hi, dtype=np.float64) * ratio
            idx = pos.astype(np.int64)
            frac = (pos - idx).astype(np.float32)
            z0 = _filter_at(padded, taps, idx)
            z1 = _filter_at(padded, taps, idx + 1)
            out[lo:hi] = z0 + (z1 - z0) * frac
    return out


def _filter_strided(padded: Samples, taps: Samples, start: int, count: int, step: int) -> Samples:
    acc = np.zeros(count, np.float32)
    for k, h in enumerate(taps):
        s = start + k
        acc += h * padded[s : s + count * step : step]
    return acc


def _filter_at(padded: Samples, taps: Samples, idx: npt.NDArray[np.int64]) -> Samples:
    acc = np.zeros(idx.size, np.float32)
    for k, h in enumerate(taps):
        acc += h * padded[idx + k]
    return acc
