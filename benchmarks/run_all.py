"""Run every benchmark of speech-tuner and print one table of figures, ratios and goals.

    python benchmarks/run_all.py            # full runs (about 10-15 minutes on 2 cores)
    python benchmarks/run_all.py --smoke    # few rounds: proves each benchmark runs (CI)
    python benchmarks/run_all.py --markdown # the table as Markdown, for the README

Each benchmark measures its subject next to a baseline in the same run and reports the ratio;
absolute times on a shared machine mean little. Benchmarks that need espeak-ng (recordings) are
reported as not run when it is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (script, arguments for a full run, arguments for a smoke run, needs espeak-ng)
BENCHMARKS: list[tuple[str, list[str], list[str], bool]] = [
    ("bench_import.py", [], ["--rounds", "3"], False),
    ("bench_agent_startup.py", [], ["--rounds", "3"], False),
    ("bench_cli.py", [], ["--rounds", "3"], False),
    ("bench_tui.py", ["--runs", "11"], ["--runs", "3"], False),
    (
        "bench_tui.py",
        ["--runs", "11", "--size", "120x40"],
        ["--runs", "3", "--size", "120x40"],
        False,
    ),
    ("bench_calls.py", [], ["--files", "200", "--repeat", "3"], False),
    ("bench_evidence.py", [], ["--changes", "20", "--no-editor"], False),
    ("bench_percall.py", [], ["--requests", "200", "--concurrency", "20", "--rounds", "1"], False),
    (
        "bench_cluster.py",
        [],
        ["--recordings", "20", "--rounds", "1", "--turns", "20000"],
        False,
    ),
    ("accuracy.py", [], [], True),
    ("speed.py", [], [], True),
]


#: Benchmarks whose figure is "on one core".
ONE_CORE = {"speed.py"}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="few rounds, to prove each runs")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", nargs="*", default=None, help="run only these scripts")
    args = parser.parse_args()

    rows: list[dict[str, object]] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.jsonl"
        env = {**os.environ, "SPEECH_TUNER_BENCH_RESULTS": str(results)}
        for script, full, smoke, needs_espeak in BENCHMARKS:
            if args.only is not None and script not in args.only:
                continue
            if needs_espeak and shutil.which("espeak-ng") is None:
                rows.append({"benchmark": script[:-3], "figure": "not run: needs espeak-ng",
                             "value": "", "goal": "", "met": None, "detail": ""})  # fmt: skip
                continue
            cmd = [sys.executable, str(HERE / script), *(smoke if args.smoke else full)]
            if script in ONE_CORE and shutil.which("taskset"):
                cmd = ["taskset", "-c", "0", *cmd]
            print(f"== {' '.join(cmd)}", file=sys.stderr, flush=True)
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, cwd=HERE.parent, check=False,
                                  stdout=sys.stderr)  # fmt: skip
            print(f"   ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
            if done.returncode not in (0, 1):  # 1 = ran, but a goal was missed
                failed.append(script)
        if results.exists():
            rows[:0] = [json.loads(line) for line in results.read_text().splitlines() if line]

    print(f"\nspeech-tuner benchmarks ({'smoke' if args.smoke else 'full'}), {machine()}")
    header = ("benchmark", "figure", "value", "goal", "met", "detail")
    table = [header] + [
        (str(r["benchmark"]), str(r["figure"]), str(r["value"]), str(r["goal"]),
         {True: "yes", False: "MISSED", None: "-"}[r["met"]],  # type: ignore[index]
         str(r["detail"]))
        for r in rows
    ]  # fmt: skip
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in table[1:]:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if failed:
        print(f"\nbenchmarks that did not run to the end: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
