"""Per-item functions the test workers run (importable there through PYTHONPATH)."""

from __future__ import annotations

import os
import time
from pathlib import Path


class Recorder:
    """Notes which worker started which item (one line each, appended), waits, returns the
    item's square: a task long enough that a worker can be killed in the middle of one."""

    def __init__(self, log: str, seconds: float) -> None:
        self.log = log
        self.seconds = seconds

    def __call__(self, item: int) -> int:
        from distributed import get_worker

        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(f"{item} {get_worker().name} {os.getpid()}\n")
        time.sleep(self.seconds)
        return item * item


def started(log: str) -> list[tuple[int, str]]:
    """(item, worker) for every start the Recorder noted."""
    path = Path(log)
    if not path.exists():
        return []
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(int(r[0]), r[1]) for r in rows if len(r) == 3]


def fail_on_multiples_of_three(item: int) -> int:
    if item % 3 == 0:
        raise ValueError(f"item {item} is a multiple of three")
    return item + 100


def exit_on_seven(item: int) -> int:
    """Ends its process the way the kernel's out-of-memory killer would: at once, no cleanup."""
    if item == 7:
        os._exit(9)
    return item * 10


_seen: set[int] = set()


def flaky_once(item: int) -> int:
    """Fails the first time it meets each item in this process, as a storage read that is reset
    once and then works."""
    if item not in _seen:
        _seen.add(item)
        raise ConnectionResetError(104, "Connection reset by peer")
    return item - 1
