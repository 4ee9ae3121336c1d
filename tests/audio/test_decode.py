"""Reading recordings: every WAV encoding, resampling, and clean errors for broken files."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tuner.audio.decode import AudioError, read_audio
from tuner.audio.resample import resample
from tuner.audio.wavwrite import ENCODINGS, write_wav

FIXTURES = Path(__file__).parent / "fixtures"

# Files written by sox from one 16-bit stereo reference, with the largest error each encoding's
# quantisation allows (8-bit PCM and G.711 are coarse near full scale).
SOX_FILES = {
    "pcm8.wav": ("PCM 8-bit", 2 / 128),  # sox dithers when it drops bits
    "pcm24.wav": ("PCM 24-bit", 1e-6),
    "pcm32.wav": ("PCM 32-bit", 1e-6),
    "float32.wav": ("float 32-bit", 1e-6),
    "mulaw.wav": ("mu-law", 0.032),
    "alaw.wav": ("A-law", 0.032),
}


@pytest.mark.parametrize("name", sorted(SOX_FILES))
def test_each_wav_encoding_written_by_sox_decodes_to_the_same_signal(name: str) -> None:
    ref = read_audio(FIXTURES / "ref-pcm16.wav")
    audio = read_audio(FIXTURES / name)
    encoding, tolerance = SOX_FILES[name]
    assert audio.encoding == encoding
    assert (audio.channels, audio.rate) == (2, 8000)
    assert audio.samples.shape == ref.samples.shape
    assert np.abs(audio.samples - ref.samples).max() <= tolerance
    assert np.abs(ref.samples).max() > 0.5  # the reference is a real signal, not silence


def test_a_44_1_khz_recording_is_read_and_resampled_for_the_detector() -> None:
    audio = read_audio(FIXTURES / "pcm24-44k.wav")
    assert (audio.rate, audio.channels) == (44100, 2)
    down = resample(audio.samples[0], 44100, 16000)
    ref = read_audio(FIXTURES / "ref-pcm16.wav").samples[0]  # 8 kHz: compare at 8 kHz
    again = resample(down, 16000, 8000)
    n = min(again.size, ref.size) - 40
    assert np.abs(again[20:n] - ref[20:n]).max() < 0.05


def test_a_tone_keeps_its_frequency_through_resampling() -> None:
    t = np.arange(48000) / 48000
    x = np.sin(2 * np.pi * 1000 * t).astype(np.float32)
    y = resample(x, 48000, 8000)
    spectrum = np.abs(np.fft.rfft(y[800:-800]))
    peak_hz = np.argmax(spectrum) * 8000 / (y.size - 1600)
    assert abs(peak_hz - 1000) < 5
    assert 0.9 < np.abs(y[800:-800]).max() < 1.05


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_round_trips_through_the_writer(tmp_path: Path, encoding: str) -> None:
    rng = np.random.default_rng(1)
    x = (rng.uniform(-0.8, 0.8, size=(2, 800))).astype(np.float32)
    path = write_wav(tmp_path / f"{encoding}.wav", x, 16000, encoding)
    audio = read_audio(path)
    assert audio.channels == 2 and audio.rate == 16000
    tolerance = {"pcm8": 1 / 128, "mulaw": 0.032, "alaw": 0.032}.get(encoding, 1e-4)
    assert np.abs(audio.samples - x).max() <= tolerance


def _header(
    data_size: int, rate: int = 8000, channels: int = 1, tag: int = 1, bits: int = 16
) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    return (
        b"RIFF"
        + struct.pack("<I", min(36 + data_size, 0xFFFFFFFF))
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", data_size)
    )


BROKEN = {
    "zero-length": (b"", "empty file"),
    "wrong header": (b"RIFX" + b"\0" * 60, "big-endian"),
    "not audio": (b"hello, this is a text file\n" * 4, "not a WAV file"),
    "truncated": (_header(16000) + b"\0" * 1000, "truncated"),
    "claims 4 GB": (_header(0xFFFFFFFF) + b"\0" * 100, "claims 4294967295 bytes"),
    "no data chunk": (_header(0)[:-8], "no data chunk"),
    "gsm encoding": (_header(100, tag=0x31, bits=8) + b"\0" * 100, "unsupported WAV encoding"),
    "5 channels": (_header(100, channels=5, bits=8, tag=1) + b"\0" * 100, "only mono and stereo"),
    "96 kHz": (_header(100, rate=96000) + b"\0" * 100, "outside the supported"),
    "no samples": (_header(0), "no audio samples"),
    "4 GB fmt chunk": (b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff" + b"\0" * 16, "broken fmt chunk"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_give_a_reason_not_a_traceback(tmp_path: Path, case: str) -> None:
    content, reason = BROKEN[case]
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=reason):
        read_audio(path)


def test_mp3_decodes_to_the_same_speech_as_the_wav_it_was_made_from() -> None:
    mp3 = read_audio(FIXTURES / "speech-8k-mono.mp3")  # lame -b 16 of the mu-law fixture
    wav = read_audio(FIXTURES / "speech-8k-mulaw-mono.wav")
    assert (mp3.encoding, mp3.rate, mp3.channels) == ("MP3", 8000, 1)
    assert abs(mp3.duration_s - wav.duration_s) < 0.3  # encoder padding only


def test_a_broken_mp3_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.mp3"
    bad.write_bytes(b"ID3" + b"\0" * 200)
    with pytest.raises(AudioError, match="MP3"):
        read_audio(bad)


def test_reading_without_the_extra_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['soundfile'] = None\n"
        "from tuner.audio.decode import read_audio, AudioError\n"
        "try:\n"
        f"    read_audio({str(FIXTURES / 'speech-8k-mono.mp3')!r})\n"
        "except AudioError as exc:\n"
        "    print(exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "pip install 'speech-tuner[audio]'" in proc.stdout, proc.stderr


def test_flac_is_read_like_the_wav_it_was_made_from() -> None:
    # The committed 16 kHz stereo call is stored losslessly as FLAC (SignalWire records FLAC too).
    audio = read_audio(FIXTURES / "calls" / "stereo16.flac")
    assert (audio.encoding, audio.rate, audio.channels) == ("FLAC", 16000, 2)
    assert np.abs(audio.samples).max() > 0.3
