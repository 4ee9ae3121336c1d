"""Speech with known pauses for measuring the pause analysis: espeak-ng sentences and silences.

Each sentence is synthesised, trimmed to its first and last audible 5 ms, resampled and band-limited
(300-3400 Hz for 8 kHz telephony), then placed after an exact silence; the silences are the truth.
Stereo files put an agent (another voice) on the other channel at the caller's turn ends. Noise is
added at a given SNR relative to the speech's own level.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tuner.audio.decode import Samples, read_audio
from tuner.audio.resample import resample
from tuner.audio.wavwrite import write_wav

CALLER_LINES = [
    "I am calling about the bill I got this morning.",
    "My account number starts with four seven two.",
    "The charge on the twelfth looks wrong to me.",
    "I would like to move my appointment to Friday.",
    "Can you tell me when the technician will arrive?",
    "We moved house last month and the internet stopped working.",
    "I already tried turning the router off and on again.",
    "It is the second time this has happened this week.",
    "My daughter usually handles this but she is away.",
    "The order number is on the email you sent me.",
    "I just want to know why the price went up.",
    "Could you send the receipt to my new address?",
    "Yes that is right, the one on Maple Street.",
    "Actually wait, let me find my card first.",
    "I think the payment went through on Tuesday.",
    "We need two rooms for the weekend of the fourth.",
    "Please cancel the old plan once the new one starts.",
    "I do not remember the password I set up.",
    "The delivery was supposed to come yesterday afternoon.",
    "Is there someone I can talk to about a refund?",
]
AGENT_LINES = [
    "Thanks, let me look that up for you.",
    "I can help with that. One moment please.",
    "Okay, I see the account here.",
    "Got it. Is there anything else?",
    "Sure, I have updated that for you.",
]
CALLER_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp"]
AGENT_VOICE = "en-us+f3"


@dataclass
class Truth:
    """What was inserted: the caller's within-turn pauses in order, and the turn-end gaps."""

    path: str
    rate: int
    encoding: str
    channels: int
    caller_channel: int
    snr_db: float | None
    duration_s: float = 0.0
    pauses_ms: list[int] = field(default_factory=list)
    turn_ends_ms: list[int] = field(default_factory=list)
    caller_speech_s: float = 0.0
    pause_spans_ms: list[tuple[int, int]] = field(default_factory=list)


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, voice: str, wpm: int, rate: int) -> Samples:
    """One sentence from espeak-ng at `rate`, band-limited, trimmed to its audible part."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "s.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), text],
            check=True,
            capture_output=True,
        )
        audio = read_audio(wav)
    # Trim the synthesiser's own silence first (it is digital silence there), then filter with
    # padding and cut back to the trimmed span, so no filter ringing lengthens the clip.
    x = resample(trim(audio.samples[0], audio.rate), audio.rate, rate)
    pad = np.zeros(rate // 4, np.float32)
    return band_limit(np.concatenate([pad, x, pad]), rate)[pad.size : pad.size + x.size]


def band_limit(x: Samples, rate: int) -> Samples:
    """Telephone band (300-3400 Hz) at 8 kHz; 80-7000 Hz at 16 kHz."""
    lo, hi = (300.0, 3400.0) if rate <= 8000 else (80.0, 7000.0)
    spec = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(x.size, 1.0 / rate)
    # Raised-cosine edges 100 Hz wide: a brick-wall mask would ring across the whole clip.
    width = 100.0
    gain = np.clip((freqs - (lo - width)) / width, 0, 1) * np.clip(
        (hi + width - freqs) / width, 0, 1
    )
    spec *= 0.5 - 0.5 * np.cos(np.pi * gain)
    return np.fft.irfft(spec, n=x.size).astype(np.float32)


def trim(x: Samples, rate: int) -> Samples:
    """Cut leading and trailing silence: keep from the first to the last 5 ms frame within 50 dB
    of the loudest frame."""
    n = rate // 200
    frames = x[: x.size // n * n].reshape(-1, n)
    level = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1) + 1e-12)
    loud = np.flatnonzero(level > level.max() * 10 ** (-50 / 20))
    return x[loud[0] * n : (loud[-1] + 1) * n].copy()


def make_call(
    out: Path,
    rate: int = 8000,
    encoding: str = "mulaw",
    stereo: bool = False,
    snr_db: float | None = None,
    turns: int = 4,
    seed: int = 0,
    pause_range: tuple[int, int] = (300, 1500),
    noise: str = "band",
) -> Truth:
    """Write one generated recording and return (and write beside it, as .json) its truth."""
    rng = np.random.default_rng(seed)
    voice = CALLER_VOICES[seed % len(CALLER_VOICES)]
    wpm = int(rng.integers(150, 190))
    caller: list[Samples] = []
    agent: list[Samples] = []
    truth = Truth(str(out), rate, encoding, 2 if stereo else 1, 0, snr_db)
    lead = np.zeros(int(0.5 * rate), np.float32)
    caller.append(lead)
    agent.append(lead)
    lines = rng.permutation(len(CALLER_LINES))
    li = 0
    pos = lead.size

    def note_pause(gap: int) -> None:
        start_ms = round(pos * 1000 / rate)
        truth.pauses_ms.append(gap)
        truth.pause_spans_ms.append((start_ms, start_ms + gap))

    for turn in range(turns):
        for k in range(int(rng.integers(2, 4))):
            if k:
                gap = int(rng.integers(pause_range[0], pause_range[1] + 1))
                note_pause(gap)
                pos += _append(caller, agent, np.zeros(gap * rate // 1000, np.float32), None)
            s = speak(CALLER_LINES[lines[li % len(lines)]], voice, wpm, rate)
            li += 1
            truth.caller_speech_s += s.size / rate
            pos += _append(caller, agent, s, None)
        if turn == turns - 1:
            break
        if stereo:
            gap = int(rng.integers(300, 800))
            truth.turn_ends_ms.append(gap)
            pos += _append(caller, agent, np.zeros(gap * rate // 1000, np.float32), None)
            reply = speak(AGENT_LINES[turn % len(AGENT_LINES)], AGENT_VOICE, 175, rate)
            pos += _append(caller, agent, None, reply)
            after = np.zeros(int(rng.integers(300, 700)) * rate // 1000, np.float32)
            pos += _append(caller, agent, after, None)
        else:
            # Mono: a turn gap the analysis cannot tell from a pause, so it is a pause too.
            gap = int(rng.integers(pause_range[0], pause_range[1] + 1))
            note_pause(gap)
            pos += _append(caller, agent, np.zeros(gap * rate // 1000, np.float32), None)
    _append(caller, agent, lead, None)
    c, a = np.concatenate(caller), np.concatenate(agent)
    if snr_db is not None:
        c = _add_noise(c, rate, snr_db, rng, noise)
        if stereo:
            a = _add_noise(a, rate, snr_db, rng, noise)
    samples = np.stack([c, a]) if stereo else c[None, :]
    peak = float(np.abs(samples).max())
    samples = samples * (0.7 / peak if peak > 0 else 1.0)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_wav(out, samples, rate, encoding)
    truth.duration_s = round(samples.shape[1] / rate, 3)
    truth.caller_speech_s = round(truth.caller_speech_s, 3)
    out.with_suffix(".json").write_text(json.dumps(asdict(truth), indent=2) + "\n")
    return truth


def _append(
    caller: list[Samples], agent: list[Samples], c: Samples | None, a: Samples | None
) -> int:
    """Advance both channels by the same length: speech on one, silence on the other."""
    n = max(0 if c is None else c.size, 0 if a is None else a.size)
    caller.append(c if c is not None else np.zeros(n, np.float32))
    agent.append(a if a is not None else np.zeros(n, np.float32))
    return n


NOISES = ("band", "white", "pink")


def _add_noise(
    x: Samples, rate: int, snr_db: float, rng: np.random.Generator, kind: str = "band"
) -> Samples:
    """Gaussian noise at `snr_db` below the level of the speech (silence excluded): white limited
    to the speech band ("band"), white over the whole band, or pink (-3 dB per octave)."""
    speech = x[np.abs(x) > 1e-4]
    power = float(np.mean(speech.astype(np.float64) ** 2)) if speech.size else 1e-6
    noise = rng.standard_normal(x.size).astype(np.float32)
    if kind == "band":
        noise = band_limit(noise, rate)
    elif kind == "pink":
        spec = np.fft.rfft(noise)
        freqs = np.fft.rfftfreq(x.size, 1.0 / rate)
        spec[1:] /= np.sqrt(freqs[1:])
        spec[0] = 0
        noise = np.fft.irfft(spec, n=x.size).astype(np.float32)
    noise *= np.sqrt(power / 10 ** (snr_db / 10) / float(np.mean(noise.astype(np.float64) ** 2)))
    return (x + noise).astype(np.float32)
