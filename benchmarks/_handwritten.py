"""The hand-written WAV/G.711 decoder and windowed-sinc resampler the package used before it
adopted soundfile and soxr, kept as the baseline of benchmarks/bench_io.py."""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tuner.audio.decode import (
    ALAW,
    EXTENSIBLE,
    FLOAT,
    FORMAT_NAMES,
    MULAW,
    PCM,
    Audio,
    AudioError,
    Samples,
)


def read_wav(path) -> Audio:
    p = Path(path)
    size = p.stat().st_size
    with p.open("rb") as fh:
        head = fh.read(12)
    return _read_wav(p, head, size)


def _read_wav(path: Path, head: bytes, size: int) -> Audio:
    if head[:4] == b"RF64":
        raise AudioError("RF64 (WAV over 4 GB) is not supported; split the recording")
    if head[:4] == b"RIFX":
        raise AudioError("big-endian WAV (RIFX) is not supported")
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioError("not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int, int] | None = None
    with path.open("rb") as fh:
        pos = 12
        while pos + 8 <= size:
            fh.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", fh.read(8))
            body = pos + 8
            if chunk_id == b"fmt ":
                if chunk_size < 16 or body + chunk_size > size:
                    raise AudioError("broken fmt chunk (too short or cut off)")
                fmt = _parse_fmt(fh.read(min(chunk_size, 64)))
            elif chunk_id == b"data":
                if fmt is None:
                    raise AudioError("data chunk before the fmt chunk: not a valid WAV file")
                available = size - body
                if chunk_size > available:
                    raise AudioError(
                        f"truncated: the data chunk claims {chunk_size} bytes but the file "
                        f"holds only {available} after the header"
                    )
                return _decode(fh, fmt, chunk_size)
            pos = body + chunk_size + (chunk_size & 1)
    if fmt is None:
        raise AudioError("not a valid WAV file: no fmt chunk")
    raise AudioError("not a valid WAV file: no data chunk (truncated?)")


def _parse_fmt(raw: bytes) -> tuple[int, int, int, int, int]:
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", raw[:16])
    if tag == EXTENSIBLE:
        if len(raw) < 26:
            raise AudioError("broken WAVE_FORMAT_EXTENSIBLE header")
        tag = struct.unpack("<H", raw[24:26])[0]  # first two bytes of the sub-format GUID
    if tag not in FORMAT_NAMES:
        raise AudioError(
            f"unsupported WAV encoding (format tag {tag:#06x}); supported: PCM, float, "
            "mu-law, A-law"
        )
    if channels == 0 or rate == 0:
        raise AudioError("broken fmt chunk: zero channels or sample rate")
    allowed = {PCM: (8, 16, 24, 32), FLOAT: (32, 64), ALAW: (8,), MULAW: (8,)}[tag]
    if bits not in allowed:
        raise AudioError(f"{bits}-bit {FORMAT_NAMES[tag]} WAV is not supported")
    if block_align != channels * bits // 8:
        raise AudioError(
            f"broken fmt chunk: block align {block_align} does not match {channels} channel(s) "
            f"of {bits} bits"
        )
    return tag, channels, rate, block_align, bits


def _decode(fh: object, fmt: tuple[int, int, int, int, int], data_size: int) -> Audio:
    tag, channels, rate, block_align, bits = fmt
    frames = data_size // block_align
    raw = np.fromfile(fh, dtype=np.uint8, count=frames * block_align)  # type: ignore[call-overload]
    if raw.size < frames * block_align:
        raise AudioError("truncated: the file ended inside the audio data")
    width = bits // 8
    if tag == MULAW:
        samples = _MULAW[raw]
    elif tag == ALAW:
        samples = _ALAW[raw]
    elif tag == FLOAT:
        samples = raw.view("<f4" if bits == 32 else "<f8").astype(np.float32)
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    elif bits == 8:
        samples = (raw.astype(np.float32) - 128.0) / 128.0
    elif bits == 24:
        b = raw.reshape(-1, 3).astype(np.int32)
        ints = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8  # sign-extend
        samples = ints.astype(np.float32) / float(1 << 23)
    else:
        dtype = "<i2" if width == 2 else "<i4"
        samples = raw.view(dtype).astype(np.float32) / float(1 << (bits - 1))
    name = FORMAT_NAMES[tag] + (f" {bits}-bit" if tag in (PCM, FLOAT) else "")
    per_channel = np.ascontiguousarray(samples.reshape(frames, channels).T)
    return Audio(per_channel, rate, name)


def _g711_tables() -> tuple[Samples, Samples]:
    codes = np.arange(256, dtype=np.int32)
    u = ~codes & 0xFF
    mag = (((u & 0x0F) << 3) + 0x84) << ((u >> 4) & 0x07)
    mulaw = np.where(u & 0x80, 0x84 - mag, mag - 0x84)
    a = codes ^ 0x55
    seg = (a & 0x70) >> 4
    t = ((a & 0x0F) << 4) + 8
    t = np.where(seg == 0, t, (t + 0x100) << np.maximum(seg - 1, 0))
    alaw = np.where(a & 0x80, t, -t)
    return (mulaw / 32768.0).astype(np.float32), (alaw / 32768.0).astype(np.float32)


_MULAW, _ALAW = _g711_tables()


#: Output samples computed per block, to bound memory on hour-long recordings.
BLOCK = 1 << 20


def sinc_resample(x: Samples, rate: int, target: int) -> Samples:
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
