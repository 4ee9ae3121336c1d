"""Run `speech-tuner check` on every agent file of some folders and tally the outcomes.

    python benchmarks/check_agents_tally.py FOLDER... [--timeout 60] [-v]

Each file runs in its own process with a hang guard, from the folder given (a project's root, as
its users would run it). Outcomes: loaded (the report came out,
exit 0 or 1), failed (a load error, exit 1 with no report), hung (killed at the timeout), and
whether the process ever had a listening TCP socket (it never should). Files that are not agents
(no AgentBase, AgentServer or SWMLService in them) are skipped.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

AGENTISH = re.compile(r"AgentBase|AgentServer|SWMLService|prefabs")


def listening_inodes() -> set[str]:
    """Inodes of every TCP socket in LISTEN state on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[3] == "0A":
                inodes.add(cols[9])
    return inodes


def listens(pid: int) -> bool:
    """Whether process `pid` holds a listening TCP socket now."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    owned = set()
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            owned.add(target[8:-1])
    return bool(owned & listening_inodes())


def run_one(path: Path, cwd: Path, timeout: float) -> tuple[str, bool, str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tuner", "check", str(path.resolve()), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )
    opened = False
    while proc.poll() is None and time.perf_counter() - start < timeout:
        opened = opened or listens(proc.pid)
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        proc.communicate()
        return "hung", opened, "", time.perf_counter() - start
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    last = (err.strip() or out.strip()).splitlines()[-1:] or [""]
    if proc.returncode in (0, 1) and out.lstrip().startswith("{"):
        return "loaded", opened, last[0][:300] if err.strip() else "", elapsed
    return "failed", opened, last[0][:300], elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    tally: Counter[str] = Counter()
    ports = 0
    slowest = 0.0
    for folder in args.folders:
        for path in sorted(folder.rglob("*.py")):
            if {"tests", "test"} & set(path.parts) or path.name.startswith("test_"):
                continue
            if not AGENTISH.search(path.read_text(encoding="utf-8", errors="replace")):
                continue
            outcome, opened, detail, elapsed = run_one(path, folder.resolve(), args.timeout)
            tally[outcome] += 1
            ports += opened
            slowest = max(slowest, elapsed)
            if args.verbose or outcome != "loaded" or opened:
                flag = " PORT OPENED" if opened else ""
                print(f"{outcome:<7} {elapsed:5.1f}s {path}{flag}\n        {detail}", flush=True)
    total = sum(tally.values())
    print(
        f"{total} agent files: {tally['loaded']} loaded, {tally['failed']} failed, "
        f"{tally['hung']} hung; {ports} opened a port; slowest {slowest:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
