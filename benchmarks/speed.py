"""Speed of voice detection on one core, as multiples of real time: Silero and WebRTC, same audio.

    taskset -c 0 python benchmarks/speed.py

Generates one 8 kHz mu-law and one 16 kHz PCM call (espeak-ng), then times each detector over each
(median of 5 runs): the detector alone (the goal: Silero >= 150x real time, WebRTC >= 2000x),
and the whole analysis of the file (decoding, detection, pauses) for reference.

Each ratio is also given in CPU time (time.process_time): on a shared, loaded machine the wall
clock counts the time other programs held the core, the CPU time does not (it still pays for
their use of the caches). Compare the two, and the load (`uptime`), before reading a miss as a
slowdown.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _results import record
from synth import have_espeak, make_call

from tuner.audio.analysis import analyse_file
from tuner.audio.decode import read_audio
from tuner.audio.vad import speech_probabilities

GOALS = {"silero": 150.0, "webrtc": 2000.0}


def main() -> int:
    if not have_espeak():
        print("espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="speed-"))
    ok = True
    for rate, enc in ((8000, "mulaw"), (16000, "pcm16")):
        wav = tmp / f"call-{rate}.wav"
        make_call(wav, rate, enc, stereo=False, snr_db=10.0, turns=6, seed=7)
        audio = read_audio(wav)
        x = audio.samples[0]
        speeds: dict[str, float] = {}
        cpu: dict[str, float] = {}
        totals: dict[str, float] = {}
        for backend in GOALS:
            speech_probabilities(x[:rate], rate, backend)  # load the model outside the timing
            times, cpu_times = [], []
            for _ in range(5):
                t0, c0 = time.perf_counter(), time.process_time()
                speech_probabilities(x, rate, backend)
                times.append(time.perf_counter() - t0)
                cpu_times.append(time.process_time() - c0)
            speeds[backend] = audio.duration_s / statistics.median(times)
            cpu[backend] = audio.duration_s / statistics.median(cpu_times)
            whole = []
            for _ in range(5):
                t0 = time.perf_counter()
                analyse_file(str(wav), backend=backend)
                whole.append(time.perf_counter() - t0)
            totals[backend] = audio.duration_s / statistics.median(whole)
        print(f"{rate // 1000} kHz {enc}, {audio.duration_s:.1f} s of audio:")
        for backend, speed in speeds.items():
            good = speed >= GOALS[backend]
            ok &= good
            record(
                "speed",
                f"{backend} on one core, {rate // 1000} kHz {enc} (x real time)",
                round(speed),
                f">= {GOALS[backend]:g}",
                good,
            )
            print(
                f"  {backend:7} {speed:8.0f}x real time  (goal >= {GOALS[backend]:g}x) "
                f"{'ok' if good else 'MISSED GOAL'}; in CPU time {cpu[backend]:.0f}x; "
                f"whole analysis {totals[backend]:.0f}x"
            )
        print(f"  webrtc / silero: {speeds['webrtc'] / speeds['silero']:.1f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
