"""Speech with known pauses for measuring the pause analysis: espeak-ng sentences and silences.

Each sentence is synthesised, trimmed to its first and last audible 5 ms, resampled and band-limited
(300-3400 Hz for 8 kHz telephony), then placed after an exact silence; the silences are the truth.
With `trim_speech=False` the synthesiser's own silence around each sentence (espeak-ng adds about
10 ms before and 300 ms after an utterance) stays in, as a generator that does not trim would
leave it; the truth is then still the real silent gap between the audible speech: the inserted
silence plus that padding. Stereo files put an agent (another voice) on the other channel at the
caller's turn ends. Noise is added at a given SNR relative to the speech's own level: white in the
speech band, white, pink, or babble (several other voices talking at once).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
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
#: Comma-heavy lines and short replies: many short gaps inside a sentence that must not be taken
#: for pauses, and sentences barely longer than a word. Two disjoint pools of each, so the
#: detector can be tuned on one and checked on the other (see `TEXT_SETS`).
COMMA_LINES = [
    "Well, okay, so, the thing is, I paid it, but then, on Monday, it bounced.",
    "Yes, no, I mean, the first one, not the second, the first.",
    "Right, so, my name is Anna, A, N, N, A, and the number is five, five, two.",
    "Hmm, let me see, it was, uh, the twelfth, or maybe, the thirteenth.",
    "Look, honestly, I do not know, maybe, if you could, check again?",
    "So, first, the router, then, the modem, and, finally, the phone.",
    "Sure, fine, whatever works, Tuesday, Wednesday, either, really.",
    "Okay, so, it starts, it stops, it starts again, and then, nothing.",
    "Two, four, six, eight, that is the code, I think, or close to it.",
    "Oh, right, sorry, yes, the address, it is, um, ten, Oak Lane.",
]
SHORT_LINES = [
    "Yes.",
    "No.",
    "Okay.",
    "Right.",
    "Sure, thanks.",
    "Hold on.",
    "Maybe.",
    "Got it.",
    "Fine.",
    "Hello?",
    "Not yet.",
    "That is it.",
]
COMMA_LINES_HELDOUT = [
    "Listen, I tried, really, twice, no, three times, and, still, nothing.",
    "First, my card, then, my phone, and, oh, my keys, all gone.",
    "Yeah, well, see, the bill says forty, but, last month, it was thirty.",
    "Um, hang on, it is, er, seven, nine, one, then, two, zero.",
    "So, basically, we want, if possible, a refund, or, at least, credit.",
    "Okay, okay, I get it, but, still, why, why now, and why me?",
    "It was, what, Friday, no, Saturday, late, after dinner, I think.",
    "Sorry, the line, it keeps, you know, cutting, in and out.",
    "Right, then, March, April, May, every month, the same charge.",
    "Well, honestly, if it works, fine, if not, cancel it, please.",
]
SHORT_LINES_HELDOUT = [
    "Yep.",
    "Nope.",
    "Uh huh.",
    "Thanks.",
    "Wait.",
    "Exactly.",
    "Go on.",
    "I see.",
    "Really?",
    "Please.",
    "All done.",
    "Good.",
]
#: The sentence pools of each text set; a call draws each sentence from one pool at random.
TEXT_SETS: dict[str, tuple[list[str], ...]] = {
    "calls": (CALLER_LINES,),
    "mixed": (CALLER_LINES, COMMA_LINES, SHORT_LINES),
    "mixed-heldout": (COMMA_LINES_HELDOUT, SHORT_LINES_HELDOUT, COMMA_LINES_HELDOUT),
}
CALLER_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp"]
AGENT_VOICE = "en-us+f3"
#: Voices the babble noise is made of.
BABBLE_VOICES = ["en-us+m1", "en-gb+f2", "en-029+m4", "en-us+f5", "en-gb-scotland+m2"]


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
    return speak_padded(text, voice, wpm, rate, trim_speech=True)[0]


@lru_cache(maxsize=1024)
def speak_padded(
    text: str, voice: str, wpm: int, rate: int, trim_speech: bool = True
) -> tuple[Samples, int, int]:
    """One sentence from espeak-ng at `rate`, band-limited, and where its audible part starts and
    ends (samples). Trimmed: the clip is the audible part. Untrimmed: espeak-ng's own silence
    before and after the speech stays in the clip. Cached: callers must not change the clip."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "s.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), text],
            check=True,
            capture_output=True,
        )
        audio = read_audio(wav)
    raw = audio.samples[0]
    lo, hi = audible_span(raw, audio.rate)
    # Trim the synthesiser's own silence first (it is digital silence there), then filter with
    # padding and cut back to the trimmed span, so no filter ringing lengthens the clip.
    x = resample(raw[lo:hi].copy() if trim_speech else raw, audio.rate, rate)
    pad = np.zeros(rate // 4, np.float32)
    y = band_limit(np.concatenate([pad, x, pad]), rate)[pad.size : pad.size + x.size]
    if trim_speech:
        return y, 0, y.size
    a = min(y.size, round(lo * rate / audio.rate))
    b = min(y.size, round(hi * rate / audio.rate))
    # Keep the padding digital silence, as the synthesiser wrote it (the filter rings into it).
    y[:a] = 0.0
    y[b:] = 0.0
    return y, a, b


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
    lo, hi = audible_span(x, rate)
    return x[lo:hi].copy()


def audible_span(x: Samples, rate: int) -> tuple[int, int]:
    """(first, end) sample of the audible part: the first to the last 5 ms frame within 50 dB of
    the loudest frame."""
    n = rate // 200
    frames = x[: x.size // n * n].reshape(-1, n)
    level = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1) + 1e-12)
    loud = np.flatnonzero(level > level.max() * 10 ** (-50 / 20))
    return int(loud[0] * n), int((loud[-1] + 1) * n)


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
    voices: Sequence[str] = CALLER_VOICES,
    wpm_range: tuple[int, int] = (150, 190),
    texts: str = "calls",
    trim_speech: bool = True,
) -> Truth:
    """Write one generated recording and return (and write beside it, as .json) its truth.

    The caller speaks in voice `voices[seed % len(voices)]` at a speed drawn from `wpm_range`,
    sentences from the pools of `TEXT_SETS[texts]`. The truth's pauses are the silent gaps between
    the audible speech: the inserted silence, plus espeak-ng's own padding when `trim_speech` is
    off."""
    rng = np.random.default_rng(seed)
    voice = voices[seed % len(voices)]
    wpm = int(rng.integers(wpm_range[0], wpm_range[1]))
    pools = TEXT_SETS[texts]
    caller: list[Samples] = []
    agent: list[Samples] = []
    truth = Truth(str(out), rate, encoding, 2 if stereo else 1, 0, snr_db)
    lead = np.zeros(int(0.5 * rate), np.float32)
    caller.append(lead)
    agent.append(lead)
    lines = rng.permutation(len(pools[0]))
    li = 0
    pos = lead.size
    audible_end = pos  # where the caller's last audible speech ended (samples)

    def next_line() -> str:
        nonlocal li
        if len(pools) == 1:
            li += 1
            return pools[0][int(lines[(li - 1) % len(lines)])]
        pool = pools[int(rng.integers(len(pools)))]
        return pool[int(rng.integers(len(pool)))]

    def say(gap_before: bool) -> None:
        """The caller's next sentence; with `gap_before`, the silence since the last one is a
        pause of the truth."""
        nonlocal pos, audible_end
        s, a, b = speak_padded(next_line(), voice, wpm, rate, trim_speech)
        if gap_before:
            start_ms = round(audible_end * 1000 / rate)
            gap = round((pos + a - audible_end) * 1000 / rate)
            truth.pauses_ms.append(gap)
            truth.pause_spans_ms.append((start_ms, start_ms + gap))
        truth.caller_speech_s += (b - a) / rate
        audible_end = pos + b
        pos += _append(caller, agent, s, None)

    def silence(ms: int) -> None:
        nonlocal pos
        pos += _append(caller, agent, np.zeros(ms * rate // 1000, np.float32), None)

    pending = False
    for turn in range(turns):
        for k in range(int(rng.integers(2, 4))):
            if k:
                silence(int(rng.integers(pause_range[0], pause_range[1] + 1)))
            say(k > 0 or pending)
        pending = False
        if turn == turns - 1:
            break
        if stereo:
            gap = int(rng.integers(300, 800))
            truth.turn_ends_ms.append(gap + round((pos - audible_end) * 1000 / rate))
            silence(gap)
            reply = speak(AGENT_LINES[turn % len(AGENT_LINES)], AGENT_VOICE, 175, rate)
            pos += _append(caller, agent, None, reply)
            silence(int(rng.integers(300, 700)))
        else:
            # Mono: a turn gap the analysis cannot tell from a pause, so it is a pause too.
            silence(int(rng.integers(pause_range[0], pause_range[1] + 1)))
            pending = True
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


NOISES = ("band", "white", "pink", "babble")


def _add_noise(
    x: Samples, rate: int, snr_db: float, rng: np.random.Generator, kind: str = "band"
) -> Samples:
    """Noise at `snr_db` below the level of the speech (silence excluded): Gaussian white limited
    to the speech band ("band"), white over the whole band, pink (-3 dB per octave), or babble
    (six other voices talking at once, never pausing together)."""
    speech = x[np.abs(x) > 1e-4]
    power = float(np.mean(speech.astype(np.float64) ** 2)) if speech.size else 1e-6
    if kind == "babble":
        noise = babble(x.size, rate, rng)
    else:
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


def babble(n: int, rate: int, rng: np.random.Generator, talkers: int = 6) -> Samples:
    """`n` samples of several voices talking over each other, each sentence after the last with
    no gap, every talker at the same level and starting at a random point."""
    pool = [line for lines in TEXT_SETS["mixed"] for line in lines]
    out = np.zeros(n, np.float32)
    for t in range(talkers):
        voice = BABBLE_VOICES[t % len(BABBLE_VOICES)]
        parts: list[Samples] = []
        total = 0
        while total < n + rate:
            clip = speak(
                pool[int(rng.integers(len(pool)))], voice, int(rng.integers(150, 190)), rate
            )
            clip = clip / (np.sqrt(np.mean(clip.astype(np.float64) ** 2)) + 1e-9)
            parts.append(clip.astype(np.float32))
            total += clip.size
        stream = np.concatenate(parts)
        off = int(rng.integers(0, rate))
        out += stream[off : off + n]
    return out
