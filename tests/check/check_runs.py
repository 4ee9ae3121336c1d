"""Running `speech-tuner check` in a fresh process while watching it for listening sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Kills a check that hangs; far above what a check takes, so never a timing assertion.
HANG_GUARD_S = 90.0


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    #: Addresses the process listened on at any moment it was watched.
    listened: bool
    hung: bool


def free_port() -> int:
    """A TCP port nobody listens on now: the agents under test are told to serve on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[3] == "0A":  # 0A: LISTEN
                inodes.add(cols[9])
    return inodes


def listens(pid: int) -> bool:
    """Whether process `pid` holds a listening TCP socket right now (read from /proc)."""
    owned = set()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            owned.add(target[8:-1])
    return bool(owned & _listening_inodes())


def run_check(agent: Path, *args: str, cwd: Path | None = None) -> Run:
    """`python -m tuner check AGENT ARGS` in its own process, watched every few milliseconds.

    `-P` keeps the working folder off the path, as when the `speech-tuner` script runs.
    """
    # Files, not pipes: a full pipe would stall the process and look like a hang.
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "tuner", "check", str(agent), *args],
            stdout=out_file,
            stderr=err_file,
            text=True,
            cwd=cwd or agent.parent,
            env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        )
        start = time.monotonic()
        listened = hung = False
        while proc.poll() is None:
            if listens(proc.pid):
                listened = True
                break
            if time.monotonic() - start > HANG_GUARD_S:
                hung = True
                break
            time.sleep(0.01)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        out_file.seek(0)
        err_file.seek(0)
        return Run(proc.returncode, out_file.read(), err_file.read(), listened, hung)


def assert_clean(run: Run) -> None:
    """No port opened, no hang, no traceback."""
    assert not run.listened, f"check opened a listening socket\n{run.stderr[-2000:]}"
    assert not run.hung, f"check hung\n{run.stderr[-2000:]}"
    assert "Traceback" not in run.stderr, run.stderr
