"""Generate recordings with known pauses (espeak-ng) and their truth files, for the benchmarks.

    python benchmarks/make_speech.py OUT_DIR [--count N] [--seed S] [--noise KIND]
    python benchmarks/make_speech.py OUT_DIR --profile heldout --count 4 --seed 900

Writes, for each seed, 8 kHz mu-law and 16 kHz PCM, mono and stereo (agent on channel 1), clean
and with noise at 10 dB SNR: NAME.wav plus NAME.json (the inserted pauses, in order, with their
positions). Needs `espeak-ng` on the PATH (apt-get install espeak-ng).

Profiles: `calls` (default) is the set the detector edges were first calibrated on: five voices,
150-190 words per minute, customer-call sentences trimmed to their audible part, one noise kind.
`tune` and `heldout` are harder and differ from it and from each other in voices and texts: other
voices and variants, 130-200 words per minute, comma-heavy and one-word sentences, noise cycling
through white, pink and babble by seed, and every other seed keeping espeak-ng's own silence around
each sentence (as a generator that does not trim would). Tune on `tune`; report `heldout`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from synth import CALLER_VOICES, NOISES, have_espeak, make_call

VARIANTS = [
    (rate, encoding, stereo, snr)
    for rate, encoding in ((8000, "mulaw"), (16000, "pcm16"))
    for stereo in (False, True)
    for snr in (None, 10.0)
]


@dataclass(frozen=True)
class Profile:
    voices: tuple[str, ...]
    texts: str
    wpm: tuple[int, int]
    mixed: bool  # noise cycles white/pink/babble and trimming alternates, by seed


PROFILES = {
    "calls": Profile(tuple(CALLER_VOICES), "calls", (150, 190), mixed=False),
    "tune": Profile(
        ("en-us+m3", "en-gb+f4", "en-029+f2", "en-gb-scotland+m6", "en-us-nyc"),
        "mixed",
        (130, 200),
        mixed=True,
    ),
    "heldout": Profile(
        ("en-us", "en-gb-x-rp", "en+f3", "en+m7", "en-gb-x-gbclan+f1", "en-us+m5"),
        "mixed-heldout",
        (130, 200),
        mixed=True,
    ),
}
MIXED_NOISES = ("white", "pink", "babble")


def generate(
    out: Path, count: int, seed: int, noise: str = "band", profile: str = "calls"
) -> list[Path]:
    prof = PROFILES[profile]
    paths = []
    for i in range(count):
        s = seed + i
        kind = MIXED_NOISES[s % len(MIXED_NOISES)] if prof.mixed else noise
        trim_speech = not (prof.mixed and s % 2)
        for rate, encoding, stereo, snr in VARIANTS:
            cond = (
                "clean" if snr is None else f"snr{snr:g}" + ("" if kind == "band" else f"-{kind}")
            )
            name = (
                f"call{s:03d}-{rate // 1000}k-{encoding}-{'stereo' if stereo else 'mono'}"
                f"-{cond}{'' if trim_speech else '-padded'}.wav"
            )
            make_call(
                out / name,
                rate,
                encoding,
                stereo,
                snr,
                turns=4,
                seed=s,
                noise=kind,
                voices=prof.voices,
                wpm_range=prof.wpm,
                texts=prof.texts,
                trim_speech=trim_speech,
            )
            paths.append(out / name)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=3, help="calls per variant (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--noise",
        choices=NOISES,
        default="band",
        help="noise for the 10 dB SNR files of the calls profile: white in the speech band "
        "(default), white, pink, babble",
    )
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="calls",
        help="voices, texts and noise (default calls; tune and heldout: see above)",
    )
    args = parser.parse_args()
    if not have_espeak():
        print("espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    paths = generate(args.out, args.count, args.seed, args.noise, args.profile)
    print(f"wrote {len(paths)} recordings and their .json truth to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
