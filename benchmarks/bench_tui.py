"""Time from launch to the first full frame: speech-tuner's editor vs a minimal Textual app.

Both run as fresh processes under a pseudo-terminal (80x24 by default), in the same run,
alternating; the time is from spawning the process to the moment its first frame is complete,
which each app reports by writing a marker after its first screen refresh. Prints the medians
and their ratio (goal: <= 1.5).

    python benchmarks/bench_tui.py [--runs 15] [--size 120x40]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = b"\x1b]777;first-frame\x07"

#: A minimal Textual app: one Static and a Footer.
BASELINE = """
import sys
from textual.app import App
from textual.widgets import Footer, Static

class Minimal(App):
    def compose(self):
        yield Static("hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        sys.__stdout__.write({mark!r}.decode()); sys.__stdout__.flush()
        self.exit()

Minimal().run()
"""

#: The real editor, as `speech-tuner edit normal` builds it.
TUNER = """
import sys
from tuner.tui.app import make_app

app = make_app("normal")
def done():
    sys.__stdout__.write({mark!r}.decode()); sys.__stdout__.flush()
    app.exit()
# The editor screen is the default screen: once it has mounted and refreshed, the frame is full.
app.call_later(lambda: app.screen.call_after_refresh(done))
app.run()
"""


def run_once(code: str, size: tuple[int, int], env: dict[str, str]) -> float:
    """Seconds from spawn to the first-frame marker, the program running under a pty."""
    cols, rows = size
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execve(sys.executable, [sys.executable, "-c", code], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    buf = b""
    elapsed = float("nan")
    deadline = start + 60
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if MARK in buf and elapsed != elapsed:
            elapsed = time.perf_counter() - start
            break
    # Let the app exit by itself; then reap it.
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 5)
            if not ready or not os.read(fd, 65536):
                break
        except OSError:
            break
    os.close(fd)
    os.waitpid(pid, 0)
    if elapsed != elapsed:
        raise RuntimeError("no first frame within 60 s")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", SPEECH_TUNER_PRESETS_DIR=tmp)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        baseline_code = BASELINE.format(mark=MARK)
        tuner_code = TUNER.format(mark=MARK)
        run_once(baseline_code, (cols, rows), env)  # warm the file cache
        run_once(tuner_code, (cols, rows), env)
        base, tuner = [], []
        for _ in range(args.runs):
            base.append(run_once(baseline_code, (cols, rows), env))
            tuner.append(run_once(tuner_code, (cols, rows), env))
    b, t = statistics.median(base), statistics.median(tuner)
    print(f"first full frame at {cols}x{rows}, median of {args.runs} runs each")
    print(f"  minimal Textual app   {b * 1000:7.0f} ms")
    print(f"  speech-tuner edit     {t * 1000:7.0f} ms")
    print(f"  ratio                 {t / b:7.2f}  (goal <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
