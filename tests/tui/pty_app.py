"""The real `speech-tuner` program under a pseudo-terminal, driven by bytes as a terminal sends
them (used to prove what Pilot cannot: keys arriving in one read, signals, closing the terminal)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]


class PtyApp:
    """`python -m tuner ARGS` in a 80x24 (or given) pseudo-terminal with its own presets folder."""

    def __init__(self, args: list[str], presets_dir: Path, size: tuple[int, int] = (80, 24)):
        self.args, self.presets_dir, self.size = args, presets_dir, size
        self.output = b""
        self.pid = 0
        self.fd = -1
        self.status: int | None = None

    def __enter__(self) -> PtyApp:
        env = dict(
            os.environ, TERM="xterm-256color", SPEECH_TUNER_PRESETS_DIR=str(self.presets_dir)
        )
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env.pop("NO_COLOR", None)
        cols, rows = self.size
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the program itself
            os.execve(sys.executable, [sys.executable, "-m", "tuner", *self.args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait_exit()
        os.close(self.fd)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def wait_for(self, text: bytes, timeout: float = 60) -> None:
        """Read the screen until `text` has been drawn (after what was read so far)."""
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while text not in self.output[start:] and time.monotonic() < deadline:
            if not self._read(0.1):
                break
        if text not in self.output[start:]:
            raise AssertionError(f"{text!r} never drawn:\n{self.output[-3000:]!r}")
        time.sleep(0.3)  # the frame is drawn; let the app settle onto it

    def settle(self, seconds: float = 1.0) -> None:
        """Keep reading (the app blocks if its output is not read) for a while."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read(0.05)

    def wait_for_file(self, path: Path, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not path.exists() and time.monotonic() < deadline:
            self._read(0.05)
        assert path.exists(), f"{path} never written:\n{self.output[-3000:]!r}"

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_exit(self, timeout: float = 30) -> int:
        """The exit status, reading the screen meanwhile."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            self._read(0.05)
        raise AssertionError(f"still running:\n{self.output[-3000:]!r}")

    def kill(self, signum: int) -> None:
        """Send a signal, as closing the terminal (SIGHUP) or `kill` (SIGTERM) does."""
        os.kill(self.pid, signum)
