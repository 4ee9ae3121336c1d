"""Time from launch to the first full frame: speech-tuner's editor vs a minimal Textual app.

Both run as fresh processes under a pseudo-terminal (80x24 by default), in the same run,
alternating; the time is from spawning the process to the moment its first frame is complete,
which each app reports by writing a marker after its first screen refresh. The marker goes
through Textual's own output queue, so it reaches the terminal after the frame it follows; the
editor's output before it must hold the texts of a complete screen (title, params, previews,
timeline, keys), or the run fails. Prints the medians and the median of the runs' ratios (each
editor run over the minimal run just before it; goal: <= 1.5 at 80x24, <= 1.7 at larger sizes), when the editor is ready on every param (the first frame is drawn from
stand-ins: the real fields, side tabs and latency fields, and the rows below the first screen, are
built right after it), and what importing costs before either app can draw: Textual alone, the
model (pydantic and `tuner.model`, which the editor never needs: it reads presets with the
model's own `Param`s, without pydantic), the presets package, and the editor's modules.

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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import record
from _timing import python_env

ROOT = Path(__file__).resolve().parent.parent
MARK = b"\x1b]777;first-frame\x07"
READY = b"\x1b]777;ready\x07"

#: A minimal Textual app: one Static and a Footer.
BASELINE = """
from textual.app import App
from textual.widgets import Footer, Static

class Minimal(App):
    def compose(self):
        yield Static("hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        # Through the app's output queue: the marker follows the frame already queued.
        self._driver.write({mark!r}.decode() + {ready!r}.decode())
        self.exit()

Minimal().run()
"""

#: The real editor, as `speech-tuner edit normal` builds it.
TUNER = """
from tuner.params import PARAM_NAMES
from tuner.tui.app import make_app
from tuner.tui.widgets.param_row import ParamRow

app = make_app("normal")
def done():
    app._driver.write({mark!r}.decode())
    app.set_interval(0.002, ready)
def ready():
    # Every row built, and the first frame's stand-ins replaced by the real widgets.
    if app.screen.complete and len(app.screen.query(ParamRow)) == len(PARAM_NAMES):
        app._driver.write({ready!r}.decode())
        app.exit()
# The editor screen is the default screen: once it has mounted and refreshed, the frame is full.
app.call_later(lambda: app.screen.call_after_refresh(done))
app.run()
"""

#: Texts the editor's first frame must show at any size (plain runs of one style each).
FIRST_FRAME = [
    b"speech-tuner",
    b"Params",
    b"Attention",
    b"attention_timeout",
    b"set_params",
    b"Turn timeline",
    b"reply",
    b"save",
]


def run_once(code: str, size: tuple[int, int], env: dict[str, str]) -> tuple[float, float, bytes]:
    """Seconds from spawn to the first-frame marker and to the ready marker, and the output
    before the first-frame marker; the program runs under a pty."""
    cols, rows = size
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execve(sys.executable, [sys.executable, "-c", code], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    buf = b""
    first = ready = float("nan")
    deadline = start + 60
    while time.perf_counter() < deadline:
        ready_fds, _, _ = select.select([fd], [], [], 1)
        if not ready_fds:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        now = time.perf_counter()
        if first != first and MARK in buf:
            first = now - start
        if first == first and READY in buf:
            ready = now - start
            break
    # Let the app exit by itself; then reap it.
    while True:
        try:
            ready_fds, _, _ = select.select([fd], [], [], 5)
            if not ready_fds or not os.read(fd, 65536):
                break
        except OSError:
            break
    os.close(fd)
    os.waitpid(pid, 0)
    if first != first or ready != ready:
        raise RuntimeError("no first frame within 60 s:\n" + buf.decode(errors="replace")[-2000:])
    return first, ready, buf[: buf.index(MARK)]


#: What each app imports before it can draw, timed as fresh processes.
IMPORTS = {
    "textual (the minimal app's imports)": "import textual.app, textual.widgets",
    "tuner.model (pydantic and the model; not needed to draw)": "import tuner.model",
    "tuner.presets (the table of params, TOML, the key schema)": "import tuner.presets",
    "tuner.tui.app (everything the editor imports)": "import tuner.tui.app",
}


def time_import(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        os.execve(sys.executable, [sys.executable, "-c", code], env)
    os.waitpid(pid, 0)
    return time.perf_counter() - start


def goal_for(cols: int, rows: int) -> float:
    return 1.5 if (cols, rows) <= (80, 24) else 1.7


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        # As the other benchmarks: this checkout importable, and its bytecode cached as an
        # installed package has it (with PYTHONDONTWRITEBYTECODE set, every run would compile
        # the editor's modules again, and none of Textual's).
        env = python_env(TERM="xterm-256color", SPEECH_TUNER_PRESETS_DIR=tmp)
        baseline_code = BASELINE.format(mark=MARK, ready=READY)
        tuner_code = TUNER.format(mark=MARK, ready=READY)
        run_once(baseline_code, (cols, rows), env)  # warm the file cache
        _, _, frame = run_once(tuner_code, (cols, rows), env)
        missing = [t.decode() for t in FIRST_FRAME if t not in frame]
        if missing:
            print(f"the editor's first frame lacks {missing}", file=sys.stderr)
            return 1
        base, tuner, ready = [], [], []
        imports: dict[str, list[float]] = {name: [] for name in IMPORTS}
        for _ in range(args.runs):
            base.append(run_once(baseline_code, (cols, rows), env)[0])
            t_first, t_ready, _ = run_once(tuner_code, (cols, rows), env)
            tuner.append(t_first)
            ready.append(t_ready)
            for name, code in IMPORTS.items():
                imports[name].append(time_import(code, env))
    b, t, r = statistics.median(base), statistics.median(tuner), statistics.median(ready)
    # Each editor run against the minimal app's run just before it: a slow spell of the machine
    # (these are shared virtual machines) slows both runs of a pair, not one app's median.
    ratio = statistics.median(x / y for x, y in zip(tuner, base, strict=True))
    goal = goal_for(cols, rows)
    print(f"first full frame at {cols}x{rows}, median of {args.runs} runs each")
    print(f"  minimal Textual app   {b * 1000:7.0f} ms")
    print(f"  speech-tuner edit     {t * 1000:7.0f} ms")
    print(f"  ratio                 {ratio:7.2f}  (goal <= {goal}; median of the runs' ratios,")
    print(f"                                each editor run / the minimal run before it)")
    print(f"  ratio of the medians  {t / b:7.2f}")
    print(f"  every field ready     {r * 1000:7.0f} ms  (ratio {r / b:.2f})")
    print("python -c 'import ...' alone, median (a process start included):")
    for name, times in imports.items():
        print(f"  {statistics.median(times) * 1000:7.0f} ms  {name}")
    record(
        "bench_tui",
        f"editor first full frame / minimal Textual app, {cols}x{rows}",
        round(ratio, 2),
        f"<= {goal}",
        ratio <= goal,
        f"{t * 1000:.0f} ms / {b * 1000:.0f} ms; every field ready {r * 1000:.0f} ms",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
