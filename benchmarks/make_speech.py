"""Generate recordings with known pauses (espeak-ng) and their truth files, for the benchmarks.

    python benchmarks/make_speech.py OUT_DIR [--count N] [--seed S] [--noise band|white|pink]

Writes, for each seed, 8 kHz mu-law and 16 kHz PCM, mono and stereo (agent on channel 1), clean
and with noise at 10 dB SNR: NAME.wav plus NAME.json (the inserted pauses, in order, with their
positions). Needs `espeak-ng` on the PATH (apt-get install espeak-ng).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tuner.audio.synth import NOISES, have_espeak, make_call

VARIANTS = [
    (rate, encoding, stereo, snr)
    for rate, encoding in ((8000, "mulaw"), (16000, "pcm16"))
    for stereo in (False, True)
    for snr in (None, 10.0)
]


def generate(out: Path, count: int, seed: int, noise: str = "band") -> list[Path]:
    paths = []
    for i in range(count):
        for rate, encoding, stereo, snr in VARIANTS:
            name = (
                f"call{seed + i:03d}-{rate // 1000}k-{encoding}-{'stereo' if stereo else 'mono'}"
                f"-{'clean' if snr is None else f'snr{snr:g}'}.wav"
            )
            make_call(out / name, rate, encoding, stereo, snr, turns=4, seed=seed + i, noise=noise)
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
        help="noise for the 10 dB SNR files: white in the speech band (default), white, pink",
    )
    args = parser.parse_args()
    if not have_espeak():
        print("espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    paths = generate(args.out, args.count, args.seed, args.noise)
    print(f"wrote {len(paths)} recordings and their .json truth to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
