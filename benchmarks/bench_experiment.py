"""`calls --by preset` (read, per-call figures, bootstrap) next to plain `calls` on the same logs.

Run: python benchmarks/bench_experiment.py [--calls N] [--repeat R]
Writes N calls per preset (two presets) as JSON lines, shaped like SignalWire's
post_conversation sample (see tests/experiment/payloads.py), then times, interleaved in one
process, medians of R runs:
  - json.loads of every line (the floor: reading the files at all),
  - `speech-tuner calls` without --by (tuner.calls.analyse),
  - `speech-tuner calls --by preset` (every payload to its figures, then the comparison with
    4,000 resamples per preset),
  - the same resampling done plainly: per replicate, draw the calls with numpy, concatenate
    their turns and take np.percentile and the sums (timed on 200 replicates, per replicate).
The bootstrap is 4,000 times the work of one report by nature: the ratio to the plain report
is shown, not judged. Goal: the vectorised resampling is at least 5x faster per replicate
than the plain one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "experiment"))

from _results import record
from payloads import Arm, experiment_logs

from tuner.calls import analyse
from tuner.experiment.adapter import read_records
from tuner.experiment.compare import RESAMPLES, compare
from tuner.experiment.figures import CallFigures

GOAL = 5.0
PLAIN_REPLICATES = 200


def plain_bootstrap(records: list[CallFigures], replicates: int) -> float:
    """Seconds per replicate of a straightforward numpy bootstrap over calls."""
    import numpy as np

    rng = np.random.default_rng(0)
    by_preset: dict[str, list[CallFigures]] = {}
    for r in records:
        by_preset.setdefault(str(r.preset), []).append(r)
    start = time.perf_counter()
    for calls in by_preset.values():
        n = len(calls)
        for _ in range(replicates):
            drawn = [calls[i] for i in rng.integers(0, n, n)]
            sum(c.cut_offs for c in drawn) / max(1, sum(c.caller_turns for c in drawn))
            sum(c.barged_turns for c in drawn) / max(1, sum(c.agent_turns for c in drawn))
            sum(c.attention_timeouts for c in drawn) / n
            sum(c.ended_early is True for c in drawn) / n
            waits = np.concatenate([c.endpointing_ms for c in drawn])
            first = np.concatenate([c.first_response_ms for c in drawn])
            np.percentile(waits, 50)
            np.percentile(first, [50, 90])
    return (time.perf_counter() - start) / replicates


def by_preset(folder: Path) -> tuple[float, float, list[CallFigures]]:
    """(seconds reading to figures, seconds comparing, the figures)."""
    start = time.perf_counter()
    records = read_records([folder]).calls  # what `calls --by preset` reads
    read = time.perf_counter() - start
    start = time.perf_counter()
    compare(records, experiment="bench")
    return read, time.perf_counter() - start, records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per preset (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs (default 3)")
    args = parser.parse_args()

    arms = [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.05, endpointing=800)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        logs = experiment_logs(arms, args.calls, seed=1, experiment="bench")
        (folder / "calls.jsonl").write_text("".join(json.dumps(p) + "\n" for p in logs))
        floor, plain, read, comparing = [], [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for line in (folder / "calls.jsonl").read_text().splitlines():
                json.loads(line)
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            analyse([folder])
            plain.append(time.perf_counter() - start)
            r, c, records = by_preset(folder)
            read.append(r)
            comparing.append(c)
        naive = plain_bootstrap(records, PLAIN_REPLICATES)
    f, p, r, c = (statistics.median(x) for x in (floor, plain, read, comparing))
    ratio = (r + c) / p
    ours = c / RESAMPLES
    speedup = naive / ours
    total = 2 * args.calls
    print(f"{total} calls ({args.calls} per preset), medians of {args.repeat} runs")
    print(f"  json.loads of every payload          {f * 1000:8.0f} ms")
    print(f"  calls (plain report)                 {p * 1000:8.0f} ms")
    print(f"  calls --by preset: payloads->figures {r * 1000:8.0f} ms")
    print(f"  calls --by preset: comparison        {c * 1000:8.0f} ms")
    print(f"  --by preset / plain report           {ratio:8.2f}")
    print(f"  per replicate, plain numpy           {naive * 1000:8.2f} ms")
    print(f"  per replicate, calls --by preset     {ours * 1000:8.2f} ms")
    print(f"  speed-up                             {speedup:8.1f}x  (goal >= {GOAL}x)")
    record(
        "bench_experiment",
        f"bootstrap speed-up over a plain numpy loop, {total} calls",
        round(speedup, 1),
        f">= {GOAL}",
        speedup >= GOAL,
        f"comparison {c * 1000:.0f} ms; {ratio:.1f}x the plain calls report ({p * 1000:.0f} ms)",
    )
    return 0 if speedup >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
