"""Reading recordings with soundfile (libsndfile): WAV (PCM, float, G.711 mu-law and A-law), FLAC,
OGG and MP3, the formats SignalWire records in.

libsndfile reads a WAV whose data chunk claims more bytes than the file holds as if nothing were
wrong, and its errors name no cause a person can act on, so a WAV's RIFF chunks are checked here
first: every size in a header is compared with the file's real size before anything is read, so
a truncated file or a header claiming gigabytes is an `AudioError` with the reason, never a huge
allocation (benchmarks/bench_io.py compares both readers on the broken-file corpus).
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
#: Other containers libsndfile reads, by their first bytes.
MAGIC = {b"fLaC": "FLAC", b"OggS": "OGG", b"ID3": "MP3", b"\xff\xfb": "MP3", b"\xff\xf3": "MP3",
         b"\xff\xf2": "MP3", b"\xff\xe3": "MP3"}  # fmt: skip
SUFFIXES = {".wav": "WAV", ".flac": "FLAC", ".ogg": "OGG", ".oga": "OGG", ".mp3": "MP3"}

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
    """Decode a WAV, FLAC, OGG or MP3 file; raises `AudioError` with the reason when it cannot."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size == 0:
            raise AudioError("empty file (0 bytes)")
        with p.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise AudioError(exc.strerror or str(exc)) from None
    kind = _container(head, p.suffix.lower())
    encoding = kind
    if kind == "WAV":
        tag, bits = check_wav(p, head, size)
        encoding = FORMAT_NAMES[tag] + (f" {bits}-bit" if tag in (PCM, FLOAT) else "")
    audio = _decode(p, encoding)
    _check_audio(audio)
    return audio


def _container(head: bytes, suffix: str) -> str:
    if head[:4] in (b"RIFF", b"RIFX", b"RF64"):
        return "WAV"
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    raise AudioError("not a WAV, FLAC, OGG or MP3 file (unknown header)")


def _decode(path: Path, encoding: str) -> Audio:
    try:
        import soundfile
    except ImportError:
        raise AudioError(
            "reading audio needs soundfile: pip install 'speech-tuner[audio]'"
        ) from None
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, ValueError) as exc:
        if encoding == "WAV":
            raise AudioError("not a WAV file (no RIFF/WAVE header)") from None
        raise AudioError(f"cannot decode {encoding}: {_reason(exc)}") from None
    samples = np.ascontiguousarray(data.T)
    np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    return Audio(samples, int(rate), encoding)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if text.startswith("Error opening") and ": " in text else text


def _check_audio(audio: Audio) -> None:
    if not MIN_RATE <= audio.rate <= MAX_RATE:
        raise AudioError(
            f"sample rate {audio.rate} Hz is outside the supported {MIN_RATE}..{MAX_RATE} Hz"
        )
    if audio.channels not in (1, 2):
        raise AudioError(f"{audio.channels} channels: only mono and stereo are supported")
    if audio.samples.shape[1] == 0:
        raise AudioError("no audio samples")


def check_wav(path: Path, head: bytes, size: int) -> tuple[int, int]:
    """Walk a WAV's chunks, checking each size against the file; (format tag, bits) when sound."""
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
                tag, channels, rate, block_align, bits = fmt
                if not MIN_RATE <= rate <= MAX_RATE:
                    raise AudioError(
                        f"sample rate {rate} Hz is outside the supported {MIN_RATE}..{MAX_RATE} Hz"
                    )
                if channels not in (1, 2):
                    raise AudioError(f"{channels} channels: only mono and stereo are supported")
                if chunk_size < block_align:
                    raise AudioError("no audio samples")
                return tag, bits
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
