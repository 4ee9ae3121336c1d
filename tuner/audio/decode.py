"""Reading recordings: WAV (PCM, float, G.711 mu-law and A-law) parsed by chunk; MP3 via miniaudio.

The standard library's `wave` reads only integer PCM, and telephony recordings are often G.711, so
the RIFF chunks are parsed here. Every size in a header is checked against the file's real size
before anything is read: a truncated file or a header claiming gigabytes is an `AudioError`, never a
huge allocation.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

MIN_RATE = 8000
MAX_RATE = 48000

PCM, FLOAT, ALAW, MULAW, EXTENSIBLE = 0x0001, 0x0003, 0x0006, 0x0007, 0xFFFE
FORMAT_NAMES = {PCM: "PCM", FLOAT: "float", ALAW: "A-law", MULAW: "mu-law"}

Samples = npt.NDArray[np.float32]


class AudioError(Exception):
    """A recording that cannot be read; the message says why, in words a person can act on."""


@dataclass(frozen=True)
class Audio:
    """Decoded audio: `samples[channel]` as float32 in -1..1."""

    samples: Samples  # shape (channels, frames)
    rate: int
    encoding: str

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_s(self) -> float:
        return float(self.samples.shape[1] / self.rate)


def read_audio(path: str | os.PathLike[str]) -> Audio:
    """Decode a WAV or MP3 file; raises `AudioError` with the reason when it cannot."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size == 0:
            raise AudioError("empty file (0 bytes)")
        with p.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise AudioError(exc.strerror or str(exc)) from None
    if head[:4] in (b"RIFF", b"RIFX", b"RF64") or p.suffix.lower() == ".wav":
        audio = _read_wav(p, head, size)
    elif (
        head[:3] == b"ID3"
        or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
        or (p.suffix.lower() == ".mp3")
    ):
        audio = _read_mp3(p)
    else:
        raise AudioError("not a WAV or MP3 file (unknown header)")
    _check_audio(audio)
    return audio


def _check_audio(audio: Audio) -> None:
    if not MIN_RATE <= audio.rate <= MAX_RATE:
        raise AudioError(
            f"sample rate {audio.rate} Hz is outside the supported {MIN_RATE}..{MAX_RATE} Hz"
        )
    if audio.channels not in (1, 2):
        raise AudioError(f"{audio.channels} channels: only mono and stereo are supported")
    if audio.samples.shape[1] == 0:
        raise AudioError("no audio samples")


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


def _read_mp3(path: Path) -> Audio:
    try:
        import miniaudio  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise AudioError(
            "MP3 needs the mp3 extra: pip install 'speech-tuner[mp3]' (or convert to WAV)"
        ) from None
    try:
        info = miniaudio.mp3_get_file_info(str(path))
        decoded = miniaudio.mp3_read_file_f32(str(path))
    except (miniaudio.DecodeError, miniaudio.MiniaudioError) as exc:
        raise AudioError(f"cannot decode MP3: {exc}") from None
    channels = int(info.nchannels)
    data = np.asarray(decoded.samples, dtype=np.float32)
    frames = data.size // max(channels, 1)
    per_channel = np.ascontiguousarray(data[: frames * channels].reshape(frames, channels).T)
    return Audio(per_channel, int(decoded.sample_rate), "MP3")
