"""Hand-written WAV/G.711 reader and windowed-sinc resampler against soundfile and soxr.

    taskset -c 0 python benchmarks/bench_io.py

Prints, for each: decode and resample speed (x real time, median of 5, and the ratio library /
hand-written), the largest sample difference between the two readers, the resamplers' error on
a 1 kHz tone and their leakage of a tone above the new Nyquist (aliasing), and which files of
the broken-file corpus (tests/audio/test_decode.py) each reader refuses with an error rather
than decoding garbage or crashing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "audio"))

import _handwritten  # noqa: E402

from tuner.audio.wavwrite import write_wav  # noqa: E402


def timed(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def hand_resample(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    return _handwritten.sinc_resample(x, rate, target)


def soxr_resample(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    import soxr

    return soxr.resample(x, rate, target, quality="HQ")


def main() -> int:
    import soundfile as sf
    from test_decode import BROKEN

    tmp = Path(tempfile.mkdtemp(prefix="io-"))
    rng = np.random.default_rng(0)
    seconds = 120
    print(f"decoding {seconds} s of audio (x real time; higher is faster)")
    for rate, enc in ((8000, "mulaw"), (16000, "pcm16"),
                               (44100, "pcm24")):  # fmt: skip
        x = (0.3 * rng.standard_normal((2, rate * seconds))).clip(-1, 1).astype(np.float32)
        path = write_wav(tmp / f"{enc}.wav", x, rate, enc)
        mine = _handwritten.read_wav(path)
        lib = sf.read(str(path), dtype="float32", always_2d=True)[0].T
        diff = float(np.abs(mine.samples - lib).max())
        t_hand = timed(lambda p=path: _handwritten.read_wav(p))
        t_lib = timed(lambda p=path: sf.read(str(p), dtype="float32", always_2d=True))
        print(f"  {rate // 1000:>2} kHz {enc:6} stereo: hand-written {seconds / t_hand:7.0f}x  "
              f"soundfile {seconds / t_lib:7.0f}x  ratio soundfile/hand {t_hand / t_lib:5.2f}  "
              f"max difference {diff:.2e}")  # fmt: skip
    print("resampling one channel (x real time), and accuracy")
    for rate, target in ((44100, 16000), (48000, 8000), (16000, 8000)):
        t = np.arange(rate * 60) / rate
        tone = np.sin(2 * np.pi * 1000 * t).astype(np.float32)
        high = np.sin(2 * np.pi * (target * 0.55) * t).astype(np.float32)  # above new Nyquist
        ref = np.sin(2 * np.pi * 1000 * np.arange(target * 60) / target).astype(np.float32)
        row = []
        times = {}
        for name, fn in (("hand-written", hand_resample), ("soxr", soxr_resample)):
            times[name] = timed(lambda f=fn, x=tone, a=rate, b=target: f(x, a, b), runs=3)
            y = fn(tone, rate, target)
            n = min(y.size, ref.size)
            mid = slice(target, n - target)
            err = float(np.sqrt(np.mean((y[mid] - ref[mid]) ** 2)))
            alias = fn(high, rate, target)
            leak = 20 * np.log10(
                np.sqrt(np.mean(alias[target:-target] ** 2)) / np.sqrt(0.5) + 1e-12
            )
            row.append(
                f"{name} {60 / times[name]:7.0f}x tone rms error {err:.1e} alias {leak:6.1f} dB"
            )
        print(f"  {rate} -> {target}: " + "; ".join(row)
              + f"; ratio soxr/hand {times['hand-written'] / times['soxr']:.1f}")  # fmt: skip
    print("broken-file corpus: refused with an error (ok) or read (BAD)")
    for case in sorted(BROKEN):
        content, _reason = BROKEN[case]
        p = tmp / "broken.wav"
        p.write_bytes(content)
        out = []
        for name, fn in (("hand-written", lambda p=p: _handwritten.read_wav(p)),
                         ("soundfile", lambda p=p: sf.read(str(p), dtype="float32"))):  # fmt: skip
            try:
                fn()
                out.append(f"{name}: BAD (read)")
            except Exception as exc:
                out.append(f"{name}: ok ({type(exc).__name__}: {str(exc)[:50]})")
        print(f"  {case:15} " + " | ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
