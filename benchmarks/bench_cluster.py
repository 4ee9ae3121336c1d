"""A Dask cluster on this machine against `--jobs 2`, and the client's memory on a big archive.

Run: python benchmarks/bench_cluster.py [--recordings N] [--rounds R] [--turns T]

1. Overhead: `pauses` on N short recordings (default 200 of 6 s: slices of the speech fixtures
   of tests/audio) with `--jobs 2` and with `--cluster` on a scheduler and two single-threaded
   workers started here beforehand (as a user's cluster is already running). Wall time of the
   whole command, median of R interleaved rounds; ratio cluster / jobs 2, goal <= 1.3. Both
   reports must be identical.
2. Memory: `calls` on T call-log turns (default 1,000,000 user and assistant entries, in
   JSON-lines files of payloads shaped like SignalWire's sample) with `--cluster`: the peak
   resident memory of the client process (the workers parse), goal <= 200 MB; next to it the same
   run with `--jobs 1`, where one process does everything.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _results import record
from _timing import ROOT, compare, python_env
from bench_calls import make_payload

FIXTURES = ROOT / "tests" / "audio" / "fixtures"
#: What docs/archives.md recommends for workers running speech-tuner: no statistical profiler
#: (it samples every thread's stack every 10 ms, a cost on pure-Python work).
WORKER_ENV = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
MEASURE = (
    "import json, resource, sys\n"
    "from tuner.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(json.dumps({'code': code, 'peak_kb': peak}), file=sys.stderr)\n"
)


class Cluster:
    """`dask scheduler` and `dask worker --nworkers 2 --nthreads 1` on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[subprocess.Popen[bytes]] = []
        self.address = ""

    def __enter__(self) -> Cluster:
        info = self.folder / "scheduler.json"
        dask = [sys.executable, "-m", "dask"]
        log = (self.folder / "dask.log").open("wb")
        common = {"stdout": log, "stderr": subprocess.STDOUT, "cwd": self.folder}
        self.procs.append(subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(info)], **common))  # type: ignore[call-overload]  # fmt: skip
        deadline = time.monotonic() + 120
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.2)
        self.address = json.loads(info.read_text())["address"]
        self.procs.append(subprocess.Popen(
            [*dask, "worker", self.address, "--nworkers", "2", "--nthreads", "1",
             "--no-dashboard", "--host", "127.0.0.1", "--local-directory",
             str(self.folder / "workers")], env=python_env(**WORKER_ENV), **common))  # type: ignore[call-overload]  # fmt: skip
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def make_recordings(folder: Path, n: int, seconds: float = 6.0) -> float:
    """n short recordings: consecutive `seconds`-long slices of the speech fixtures (calls with a
    caller and an agent, mono and stereo, 8 and 16 kHz), taken round-robin, written as 16-bit
    WAV; returns minutes of audio."""
    import soundfile

    slices: list[tuple[Any, int]] = []
    for src in sorted(FIXTURES.rglob("*")):
        if src.suffix not in (".wav", ".flac") or src.stat().st_size < 50_000:
            continue
        samples, rate = soundfile.read(str(src), dtype="int16", always_2d=True)
        step = int(rate * seconds)
        slices += [(samples[i : i + step], rate) for i in range(0, len(samples) - step + 1, step)]
    folder.mkdir()
    for i in range(n):
        samples, rate = slices[i % len(slices)]
        soundfile.write(str(folder / f"call{i:04}.wav"), samples, rate, subtype="PCM_16")
    return n * seconds / 60


def make_call_logs(folder: Path, turns: int, per_file: int = 500) -> tuple[int, int, int]:
    """JSON-lines files of payloads until `turns` user and assistant entries; (files, calls, turns)."""
    rng = random.Random(17)
    folder.mkdir()
    made = calls = files = 0
    while made < turns:
        lines = []
        for _ in range(per_file):
            payload = make_payload(rng, calls)
            made += sum(1 for e in payload["call_log"] if e.get("role") in ("user", "assistant"))
            calls += 1
            lines.append(json.dumps(payload))
            if made >= turns:
                break
        (folder / f"day{files:04}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        files += 1
    return files, calls, made


def peak_mb(args: list[str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=python_env(SPEECH_TUNER_NO_PROGRESS="1"),
        check=False,
        text=True,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"calls failed: {done.stderr[-2000:]}")
    return float(result["peak_kb"]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recordings", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--turns", type=int, default=1_000_000)
    parser.add_argument(
        "--part", choices=("overhead", "memory", "both"), default="both", help="what to measure"
    )
    args = parser.parse_args()
    met = True
    with tempfile.TemporaryDirectory() as tmp, Cluster(Path(tmp)) as cluster:
        if args.part in ("overhead", "both"):
            met &= overhead(Path(tmp), cluster.address, args.recordings, args.rounds)
        if args.part in ("memory", "both"):
            met &= memory(Path(tmp), cluster.address, args.turns)
    return 0 if met else 1  # 1: ran, but a goal was missed


def overhead(tmp: Path, address: str, recordings: int, rounds: int) -> bool:
    folder = tmp / "recordings"
    minutes = make_recordings(folder, recordings)
    print(f"pauses on {recordings} recordings ({minutes:.0f} min of audio), "
          f"cluster of 2 single-threaded workers at {address}")  # fmt: skip
    base = [sys.executable, "-m", "tuner", "pauses", str(folder), "--format", "json"]
    cases = {"cluster": [*base, "--cluster", address], "jobs 2": [*base, "--jobs", "2"]}
    outputs = [
        subprocess.run(cmd, capture_output=True, text=True, env=python_env()).stdout
        for cmd in cases.values()
    ]
    assert outputs[0] == outputs[1] and outputs[0], "the two reports differ"
    medians = compare(cases, rounds, env=python_env(), warmup=0)
    for name, seconds in medians.items():
        print(f"  {name:<8} {seconds:6.2f} s")
    ratio = medians["cluster"] / medians["jobs 2"]
    met = ratio <= 1.3
    print(f"  ratio cluster / jobs 2: {ratio:.2f}  (goal <= 1.3)  {'ok' if met else 'MISSED'}")
    record("cluster", f"pauses --cluster / --jobs 2 ({recordings} recordings)", round(ratio, 2),
           "<= 1.3", met, f"{medians['cluster']:.1f} s vs {medians['jobs 2']:.1f} s")  # fmt: skip
    return met


def memory(tmp: Path, address: str, turns: int) -> bool:
    logs = tmp / "logs"
    files, calls, made = make_call_logs(logs, turns)
    size = sum(p.stat().st_size for p in logs.iterdir()) / 1e6
    print(f"calls on {made:,} turns ({calls:,} calls, {files} files, {size:.0f} MB)")
    on_cluster = peak_mb(["calls", str(logs), "--cluster", address, "--format", "json"])
    one_process = peak_mb(["calls", str(logs), "--jobs", "1", "--format", "json"])
    print(f"  client peak memory with --cluster: {on_cluster:6.0f} MB  (goal <= 200 MB)")
    print(f"  one process, --jobs 1:             {one_process:6.0f} MB")
    record("cluster", f"client peak memory, calls on {made:,} turns", round(on_cluster),
           "<= 200 MB", on_cluster <= 200, f"--jobs 1: {one_process:.0f} MB")  # fmt: skip
    return on_cluster <= 200


if __name__ == "__main__":
    os.environ.setdefault("SPEECH_TUNER_NO_PROGRESS", "1")
    sys.exit(main())
