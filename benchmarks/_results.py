"""Where each benchmark leaves its headline figures for `run_all.py` (when it asks for them)."""

from __future__ import annotations

import json
import os

ENV = "SPEECH_TUNER_BENCH_RESULTS"


def record(
    benchmark: str, figure: str, value: float, goal: str, met: bool, detail: str = ""
) -> None:
    """Append one figure to the file named by $SPEECH_TUNER_BENCH_RESULTS, if it is set."""
    path = os.environ.get(ENV)
    if not path:
        return
    row = {"benchmark": benchmark, "figure": figure, "value": value, "goal": goal, "met": met,
           "detail": detail}  # fmt: skip
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
