"""Writing WAV files in the encodings the reader accepts (for the speech generator and tests)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tuner.audio.decode import ALAW, FLOAT, MULAW, PCM, Samples

ENCODINGS = ("pcm8", "pcm16", "pcm24", "pcm32", "float32", "mulaw", "alaw")


def mulaw_encode(x: Samples) -> npt.NDArray[np.uint8]:
    """G.711 mu-law bytes of float samples in -1..1."""
    s = np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int32)
    sign = np.where(s < 0, 0x80, 0)
    mag = np.minimum(np.abs(s), 32635) + 0x84
    exp = np.floor(np.log2(mag)).astype(np.int32) - 7
    mant = (mag >> (exp + 3)) & 0x0F
    out: npt.NDArray[np.uint8] = (~(sign | (exp << 4) | mant) & 0xFF).astype(np.uint8)
    return out


def alaw_encode(x: Samples) -> npt.NDArray[np.uint8]:
    """G.711 A-law bytes of float samples in -1..1."""
    s = np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int32) >> 3  # 13-bit
    sign = np.where(s >= 0, 0x80, 0)
    mag = np.where(s >= 0, s, -s - 1)
    mag = np.minimum(mag, 0xFFF)
    seg = np.where(mag < 32, 0, np.floor(np.log2(np.maximum(mag, 1))).astype(np.int32) - 4)
    mant = np.where(seg == 0, mag >> 1, mag >> seg) & 0x0F
    out: npt.NDArray[np.uint8] = ((sign | (seg << 4) | mant) ^ 0x55).astype(np.uint8)
    return out


def write_wav(
    path: str | os.PathLike[str], samples: Samples, rate: int, encoding: str = "pcm16"
) -> Path:
    """Write `samples` (shape (channels, frames), -1..1) as a WAV file in `encoding`."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; one of {', '.join(ENCODINGS)}")
    x = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    channels = x.shape[0]
    inter = np.clip(x.T.reshape(-1), -1.0, 1.0)
    if encoding == "mulaw":
        tag, bits, data = MULAW, 8, mulaw_encode(inter).tobytes()
    elif encoding == "alaw":
        tag, bits, data = ALAW, 8, alaw_encode(inter).tobytes()
    elif encoding == "float32":
        tag, bits, data = FLOAT, 32, inter.astype("<f4").tobytes()
    elif encoding == "pcm8":
        tag, bits = PCM, 8
        data = np.clip(np.round(inter * 128 + 128), 0, 255).astype(np.uint8).tobytes()
    elif encoding == "pcm24":
        tag, bits = PCM, 24
        ints = np.clip(np.round(inter * 8388608.0), -8388608, 8388607).astype("<i4")
        data = ints.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        tag, bits = PCM, 16 if encoding == "pcm16" else 32
        scale = float(1 << (bits - 1))
        dtype = "<i2" if bits == 16 else "<i4"
        ints = np.clip(np.round(inter.astype(np.float64) * scale), -scale, scale - 1)
        data = ints.astype(dtype).tobytes()
    block = channels * bits // 8
    fmt_body = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if tag != PCM:
        fmt_body += struct.pack("<H", 0)  # cbSize, as non-PCM formats require
    chunks = b"fmt " + struct.pack("<I", len(fmt_body)) + fmt_body
    if tag != PCM:
        chunks += b"fact" + struct.pack("<II", 4, x.shape[1])
    chunks += b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) & 1 else b"")
    out = Path(path)
    out.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks)
    return out
