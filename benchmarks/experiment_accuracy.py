"""How often `calls --by preset` claims a difference that is not there, and finds one that is.

Run: python benchmarks/experiment_accuracy.py [--seeds N] [--calls N [N ...]]
On generated experiment logs (tests/experiment/payloads.py, shaped like SignalWire's
post_conversation sample), for each number of calls per preset:
  - false claims: presets that truly behave the same; a claim on any of the seven figures
    counts (goal: at most 5% of experiments),
  - found: `elderly` truly cuts off 3 caller turns in 100 against `normal`'s 8; how often the
    cut-off difference is found with the right sign, and how often with the wrong one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "experiment"))

from _results import record
from payloads import Arm, experiment_logs

from tuner.experiment.adapter import from_payload
from tuner.experiment.compare import compare

SAME = [Arm("normal"), Arm("elderly")]
CUTS_MORE = [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03)]
GOAL = 0.05


def run(arms: list[Arm], calls: int, seed: int) -> tuple[bool, int]:
    """(any figure claimed, sign of a claimed cut-off difference or 0)."""
    records = [from_payload(p) for p in experiment_logs(arms, calls, seed)]
    c = compare(records, seed=seed).comparisons[0]
    cut = next(d for d in c.differences if d.figure.key == "cut_offs_per_100_turns")
    return bool(c.clear), (0 if not cut.clear else (1 if cut.diff > 0 else -1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=200, help="experiments per size (200)")
    parser.add_argument(
        "--calls", type=int, nargs="+", default=[20, 30, 100], help="calls per preset"
    )
    args = parser.parse_args()
    ok = True
    print(
        f"{'calls/preset':>12} {'false claims':>14} {'found (right sign)':>19} {'wrong sign':>11}"
    )
    for n in args.calls:
        false = sum(run(SAME, n, 10_000 + s)[0] for s in range(args.seeds))
        signs = [run(CUTS_MORE, n, 20_000 + s)[1] for s in range(args.seeds)]
        rate = false / args.seeds
        print(
            f"{n:>12} {false:>5}/{args.seeds} {rate:>6.1%} {signs.count(-1):>11}/{args.seeds}"
            f" {signs.count(1):>6}/{args.seeds}"
        )
        record(
            "experiment_accuracy",
            f"false claims at {n} calls per preset",
            round(rate, 3),
            f"<= {GOAL:.0%}",
            rate <= GOAL,
            f"cut-off difference found {signs.count(-1)}/{args.seeds}, wrong sign {signs.count(1)}",
        )
        ok = ok and rate <= GOAL and signs.count(1) == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
