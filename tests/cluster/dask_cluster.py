"""A real Dask cluster for the tests: `dask scheduler` and `dask worker` processes on 127.0.0.1.

Started the way an operator starts one by hand (the `dask` command line, a scheduler file), with
one single-threaded worker per process and no nanny, so a test can kill a worker by its pid.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).parent
DASK = [sys.executable, "-m", "dask"]
#: Bounded waits for processes to come up on a loaded machine; never asserted on.
START_LIMIT_S = 180


class DaskCluster:
    """A scheduler and `workers` worker processes; `address` once started."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        self.folder = folder
        self.count = workers
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.address = ""
        self._logs: list[IO[bytes]] = []

    def env(self) -> dict[str, str]:
        """Workers import the test tasks from this folder, and never touch the user's presets."""
        path = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, "PYTHONPATH": path, "SPEECH_TUNER_NO_PROGRESS": "1"}

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        self._logs.append(log)
        return subprocess.Popen(
            [*DASK, *args], stdout=log, stderr=subprocess.STDOUT, env=self.env(), cwd=self.folder
        )

    def start(self) -> DaskCluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        info = self.folder / "scheduler.json"
        self.scheduler = self._spawn(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(info)],
        )  # fmt: skip
        self.address = self._wait_for_address(info)
        for n in range(self.count):
            self.add_worker(f"w{n}")
        self.wait_for_workers(self.count)
        return self

    def add_worker(self, name: str) -> None:
        self.workers[name] = self._spawn(
            name,
            ["worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny",
             "--no-dashboard", "--host", "127.0.0.1", "--death-timeout", "60",
             "--local-directory", str(self.folder / name)],
        )  # fmt: skip

    def _wait_for_address(self, info: Path) -> str:
        deadline = time.monotonic() + START_LIMIT_S
        while time.monotonic() < deadline:
            assert self.scheduler is not None
            if self.scheduler.poll() is not None:
                raise RuntimeError(f"dask scheduler exited: {self.log('scheduler')}")
            try:
                return str(json.loads(info.read_text())["address"])
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise RuntimeError(f"dask scheduler did not start: {self.log('scheduler')}")

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_LIMIT_S, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=START_LIMIT_S)

    def tasks_done(self, prefix: str = "speech-tuner") -> int:
        """How many tasks of this name have finished on the cluster since it started."""
        from distributed import Client

        def count(dask_scheduler: Any) -> int:
            tp = dask_scheduler.task_prefixes.get(prefix)
            return 0 if tp is None else int(tp.state_counts.get("memory", 0))

        with Client(self.address, timeout=START_LIMIT_S, set_as_default=False) as client:
            return int(client.run_on_scheduler(count))

    def worker_pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.workers.items() if p.poll() is None}

    def kill_worker(self, name: str) -> None:
        """SIGKILL: the worker vanishes without a word to the scheduler, as on a lost machine."""
        proc = self.workers[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        procs: list[Any] = [*self.workers.values(), self.scheduler]
        for proc in procs:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in procs:
            if proc is None:
                continue
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self._logs:
            log.close()
