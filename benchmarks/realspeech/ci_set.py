"""Build the small real-speech set for CI from its public sources.

    python benchmarks/realspeech/ci_set.py --lhotse LHOTSE [--out DIR]

LHOTSE is a checkout or bare git directory of github.com/lhotse-speech/lhotse (commit in
SOURCES.md), whose test fixtures carry a few real recordings under free licences: LibriSpeech
read speech (CC BY 4.0), an AMI meeting headset (CC BY 4.0), LJ Speech (public domain) and a
Common Voice clip (CC0). Unlike the larger set of assemble.py, these licences allow passing
the result on, so CI can measure pauses on real human speech: the audio is not kept in this
repository but beside it, as shared data (`shared/realspeech/ci` next to the checkout), or in
DIR (default benchmarks/.cache/realspeech-ci); `locate()` finds it, and REALSPEECH_CI names
another folder.

No word alignment of these clips is published with them, so the truth below was labelled here
from each clip's 10 ms level contour at its original rate, read like a word alignment: no word
is being said where the level stays 22 dB or more below the clip's speech level (its 90th
percentile) for 150 ms or more (dips under 30 ms of speech bridged), so a breath between two
phrases is part of the pause, as an aligner labels it. The same at 18 and 26 dB shows how firm
a gap is. A gap found at all three is a **required** pause (its edges at 22 dB); one that comes
and goes with the threshold (a soft syllable, a breathy edge, a clipped word at the start,
other talkers' crosstalk on a meeting headset) is **either**: a measured pause there is
neither a miss nor a false pause. Each clip is written
as 8 kHz G.711 mu-law in the telephone band with its speech at -26 dBov, like a phone call.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent))

from assemble import LEVEL_DBFS, Source, speech_power  # noqa: E402
from synth import band_limit  # noqa: E402

from tuner.audio.wavwrite import write_wav  # noqa: E402

OUT = HERE.parent / ".cache" / "realspeech-ci"
SHARED = Path("shared") / "realspeech" / "ci"
LHOTSE_COMMIT = "a79cc864e4275f6342bb94261313526a14d385fb"
F = "test/fixtures/"
Span = tuple[int, int]


@dataclass(frozen=True)
class Clip:
    name: str
    path: str  # in the lhotse repository
    licence: str
    speech: str  # what it is
    speech_ms: Span  # first word's start to last word's end
    pauses_ms: tuple[Span, ...] = ()  # required pauses
    either_ms: tuple[Span, ...] = ()  # pause or not, depending on the threshold


CLIPS: tuple[Clip, ...] = (
    Clip("libri-2412-153948-0000", f"{F}mix_cut_test/audio/storage/2412-153948-0000.flac",
         "CC BY 4.0", "LibriSpeech read speech, female", (480, 11040),
         ((1910, 2270), (7550, 8380)), ((3820, 4420), (10890, 11260))),
    Clip("libri-2412-153948-0001", f"{F}mix_cut_test/audio/storage/2412-153948-0001.flac",
         "CC BY 4.0", "LibriSpeech read speech, female", (560, 10500), ((6510, 7200),),
         ((1930, 2080), (2950, 3300), (4200, 4350), (9880, 10450))),
    Clip("libri-1088-134315-0000", f"{F}libri/libri-1088-134315-0000.wav", "CC BY 4.0",
         "LibriSpeech read speech, male", (0, 16040), ((8670, 9620),),
         ((870, 1060), (2210, 2780), (4780, 4930), (5710, 5890))),
    Clip("ami-es2011a-40s", f"{F}ami/ES2011a.Headset-0-40s-46s.wav", "CC BY 4.0",
         "AMI meeting, headset microphone, spontaneous, other talkers' crosstalk", (0, 4630),
         (), ((50, 350), (1010, 1460), (2790, 3360))),
    Clip("lj-002-0020", f"{F}ljspeech/storage/LJ002-0020.wav", "public domain",
         "LJ Speech read speech, female", (10, 1430)),
    Clip("lj-002-0035", f"{F}ljspeech/storage/LJ002-0035.wav", "public domain",
         "LJ Speech read speech, female", (0, 1440), ((330, 610),), ((660, 820),)),
    Clip("cv-en-651325", f"{F}common_voice_en_651325.mp3", "CC0",
         "Common Voice read sentence", (930, 2150)),
)  # fmt: skip


def locate() -> Path | None:
    """The folder of the built set: $REALSPEECH_CI, shared/realspeech/ci beside the checkout (or
    one level up, beside a worktrees folder), or the local cache; None when none has it."""
    root = HERE.parent.parent
    env = os.environ.get("REALSPEECH_CI")
    candidates = [Path(env)] if env else []
    candidates += [root.parent / SHARED, root.parent.parent / SHARED, OUT]
    return next((c for c in candidates if any(c.glob("*.json"))), None)


def truth(clip: Clip) -> dict[str, object]:
    a, b = clip.speech_ms
    silent = sum(e - s for s, e in (*clip.pauses_ms, *clip.either_ms) if a <= s and e <= b)
    return {
        "pauses_ms": [e - s for s, e in clip.pauses_ms],
        "pause_spans_ms": [list(p) for p in clip.pauses_ms],
        "either_spans_ms": [list(p) for p in clip.either_ms],
        "caller_speech_s": round((b - a - silent) / 1000, 3),
        "speech_spans_ms": [[a, b]],
    }


def build(src: Source, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for clip in CLIPS:
        raw = out / ("source" + Path(clip.path).suffix)
        raw.write_bytes(src.read(clip.path))
        x, rate = sf.read(str(raw), dtype="float32", always_2d=True)
        raw.unlink()
        y = band_limit(soxr.resample(x[:, 0], rate, 8000, "HQ").astype(np.float32), 8000)
        sig = y.astype(np.float64)
        sig *= 10 ** (LEVEL_DBFS / 20) / np.sqrt(speech_power(sig, 8000, [clip.speech_ms]))
        peak = float(np.abs(sig).max())
        if peak > 0.99:
            sig *= 0.99 / peak
        name = f"{clip.name}-8k-mulaw-clean.wav"
        write_wav(out / name, sig[None, :].astype(np.float32), 8000, "mulaw")
        doc = {
            "path": name, "rate": 8000, "encoding": "mulaw", "channels": 1,
            "caller_channel": 0, "snr_db": None, "condition": "8k-mulaw-clean",
            "duration_s": round(sig.size / 8000, 3), "split": "ci", "speaker": clip.name,
            "source": f"lhotse-speech/lhotse@{LHOTSE_COMMIT[:12]}:{clip.path}",
            "licence": clip.licence, "speech": clip.speech, **truth(clip),
        }  # fmt: skip
        (out / name).with_suffix(".json").write_text(json.dumps(doc, indent=1) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lhotse", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    build(Source(args.lhotse, LHOTSE_COMMIT), args.out)
    n = sum(len(c.pauses_ms) for c in CLIPS)
    print(f"wrote {len(CLIPS)} clips ({n} required pauses) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
