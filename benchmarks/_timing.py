"""Shared timing for the benchmarks: fresh interpreters, interleaved rounds, medians, ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from _results import record

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the checkout's tuner, also when it is not installed
    sys.path.insert(0, str(ROOT))


def run_once(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> float:
    """Wall-clock seconds of one fresh process; fails loudly if the process fails."""
    start = time.perf_counter()
    done = subprocess.run(
        list(cmd),
        env=dict(env) if env is not None else None,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise SystemExit(
            f"benchmark command failed ({done.returncode}): {' '.join(cmd)}\n" + "\n".join(err)
        )
    return elapsed


def compare(
    cases: Mapping[str, Sequence[str]],
    rounds: int,
    env: Mapping[str, str] | None = None,
    warmup: int = 2,
) -> dict[str, float]:
    """Median seconds per case; the cases alternate within each round so drift hits all alike."""
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            run_once(cases[name], env)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for i in range(rounds):
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            samples[name].append(run_once(cases[name], env))
        if sys.stderr.isatty():
            print(f"\r  round {i + 1}/{rounds}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(
    title: str, medians: Mapping[str, float], subject: str, baseline: str, goal: float
) -> bool:
    """Print the medians and the ratio subject/baseline against its goal; True if met."""
    ratio = medians[subject] / medians[baseline]
    record(
        Path(sys.argv[0]).stem,
        title.split(")", 1)[-1].strip() if title.startswith("(") else title,
        round(ratio, 2),
        f"<= {goal}",
        ratio <= goal,
        f"{medians[subject] * 1000:.0f} ms / {medians[baseline] * 1000:.0f} ms",
    )
    print(f"{title}")
    for name, seconds in medians.items():
        print(f"  {name:<58} {seconds * 1000:8.1f} ms (median)")
    verdict = "ok" if ratio <= goal else "MISSED"
    print(f"  ratio (first / second): {ratio:.2f}  (goal <= {goal})  {verdict}")
    return ratio <= goal


def python_env(**extra: str) -> dict[str, str]:
    """The environment for measured processes: this checkout importable, no bytecode surprises."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def rounds_from_argv(default: int) -> int:
    """`--rounds N` on the command line, else the default."""
    if "--rounds" in sys.argv:
        return int(sys.argv[sys.argv.index("--rounds") + 1])
    return default
