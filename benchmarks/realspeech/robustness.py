"""How steady the pause measurement is on the real-speech set when the line changes.

    python benchmarks/realspeech/robustness.py [REAL_DIR]

Takes the 8 kHz mu-law clean recordings of the set assemble.py builds (default
benchmarks/.cache/realspeech) and measures them with the default detector as they are, 12 dB
quieter, 6 dB louder, with a faint hiss (white noise at -65 and -55 dBFS, i.e. 39 and 29 dB under
the speech) and with 50 Hz mains hum at -50 dBFS: a phone line's level and floor vary from call to
call, and the measurement should not swing with them. Prints, for each half of the set, the
pause MAE and p90 (ms), missed pauses of 400 ms or more and false pauses (score.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score import Score

from tuner.audio.analysis import mono_pauses
from tuner.audio.decode import read_audio
from tuner.audio.defaults import DEFAULT_BACKEND
from tuner.audio.vad import speech_segments

DEFAULT_DIR = Path(__file__).resolve().parent.parent / ".cache" / "realspeech"

#: (label, gain in dB, added noise: None, a white-noise level in dBFS, or "hum")
LINES: list[tuple[str, float, float | str | None]] = [
    ("as recorded", 0.0, None),
    ("12 dB quieter", -12.0, None),
    ("6 dB louder", 6.0, None),
    ("hiss at -65 dBFS", 0.0, -65.0),
    ("hiss at -55 dBFS", 0.0, -55.0),
    ("50 Hz hum at -50 dBFS", 0.0, "hum"),
]


def altered(x: np.ndarray, rate: int, gain_db: float, noise: float | str | None,
            rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    y = x * 10 ** (gain_db / 20)
    if noise == "hum":
        y = y + 10 ** (-50 / 20) * np.sqrt(2) * np.sin(2 * np.pi * 50 * np.arange(y.size) / rate)
    elif isinstance(noise, float):
        y = y + rng.normal(0.0, 10 ** (noise / 20), y.size)
    return np.clip(y, -1.0, 1.0).astype(np.float32)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    wavs = sorted(args.folder.glob("*-8k-mulaw-clean.wav"))
    if not wavs:
        print(f"no real-speech set in {args.folder}: python benchmarks/realspeech/assemble.py "
              "--sppas DIR --emur DIR", file=sys.stderr)  # fmt: skip
        return 1
    files = [(w, json.loads(w.with_suffix(".json").read_text())) for w in wavs]
    audio = {w: read_audio(str(w)) for w, _ in files}
    print(f"{len(files)} recordings, 8 kHz mu-law clean, {DEFAULT_BACKEND}")
    for label, gain_db, noise in LINES:
        rng = np.random.default_rng(1)
        scores: dict[str, Score] = {}
        for wav, truth in files:
            au = audio[wav]
            x = altered(au.samples[0], au.rate, gain_db, noise, rng)
            spans, _ = mono_pauses(speech_segments(x, au.rate, DEFAULT_BACKEND), 10000)
            scores.setdefault(str(truth["split"]), Score()).add(truth, spans)
        cells = []
        for half, score in sorted(scores.items()):
            f = score.figures(DEFAULT_BACKEND)
            cells.append(f"{half} MAE {f['mae_ms']:4.0f} p90 {f['p90_ms']:4.0f} "
                         f"missed>=400 {f['missed_400']:.0f} false {f['false']:.0f}")  # fmt: skip
        print(f"  {label:22} " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
