"""Running an agent file's own code safely: as `python AGENT.py` would, but never serving.

While the code runs: `sys.argv` is `[AGENT.py]`, stdin is empty, prints go to stderr, binding a
network port fails (a process-wide audit hook, switched on only here), and code still running
after the time limit is stopped. What the code raised becomes one located `Problem`.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tuner.errors import Problem, TunerError


class _Stopped(BaseException):
    """Raised in the agent's code when it runs past the timeout (not an `Exception`)."""


# -- the port guard ----------------------------------------------------------------------------
_guard_depth = 0
_blocked: list[str] = []
_hook_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _guard_depth and event == "socket.bind" and len(args) == 2 and isinstance(args[1], tuple):
        address = ":".join(str(part) for part in args[1][:2])
        if len(args[1]) > 1 and args[1][1] != 0:  # port 0: a library probing for IPv6, say
            _blocked.append(address)
        raise PermissionError(f"speech-tuner check never opens a port ({address})")


@contextlib.contextmanager
def no_ports() -> Iterator[list[str]]:
    """While inside, binding a network socket fails; yields the addresses that were refused."""
    global _guard_depth, _hook_installed
    if not _hook_installed:  # an audit hook cannot be removed: install one, switch it on and off
        sys.addaudithook(_audit)
        _hook_installed = True
    start = len(_blocked)
    _guard_depth += 1
    try:
        yield _blocked
    finally:
        _guard_depth -= 1
        del _blocked[start:]


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the code inside after `seconds` (main thread only; elsewhere, no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Stopped(what)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- capturing what the file serves ------------------------------------------------------------


@contextlib.contextmanager
def sandbox(file: Path, timeout: float, what: str) -> Iterator[list[str]]:
    """The agent's code runs as `python FILE`: clean argv, no stdin, no ports, a time limit."""
    saved_argv, saved_stdin, saved_main = sys.argv, sys.stdin, sys.modules.get("__main__")
    folder = str(file.resolve().parent)
    sys.argv = [str(file)]
    sys.stdin = io.StringIO("")
    # The file's folder first, as `python AGENT.py` does; the working folder too, as
    # `python -m` does, for agents that import their project's packages from its root.
    added = [folder, *([] if os.getcwd() in sys.path else [os.getcwd()])]
    sys.path[:0] = added
    try:
        with (
            contextlib.redirect_stdout(sys.stderr),
            no_ports() as blocked,
            time_limit(timeout, f"{what} took over {timeout:g} s"),
        ):
            yield blocked
    except _Stopped as exc:  # the limit struck outside the agent's own code (the SDK's import)
        raise TunerError(Problem(f"stopped: {exc}", str(file))) from None
    finally:
        sys.argv, sys.stdin = saved_argv, saved_stdin
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        for entry in added:
            with contextlib.suppress(ValueError):
                sys.path.remove(entry)


def explain(exc: BaseException, file: Path, blocked: list[str]) -> Problem | None:
    """A located one-problem account of what the agent's code raised (None: a clean exit)."""
    if isinstance(exc, KeyboardInterrupt):
        raise exc
    line = _line_in(exc, file)
    ports = f"; it tried to open a port ({', '.join(blocked)})" if blocked else ""
    if isinstance(exc, SystemExit):
        if exc.code in (None, 0) and not blocked:
            return None
        code = exc.code if isinstance(exc.code, int) else 1
        said = f": {exc.code}" if isinstance(exc.code, str) else " (its message is above)"
        hint = "; an agent with its own command line must work without any" if code == 2 else ""
        return Problem(
            f"the agent file exited with status {code} while loading{said}{ports}. "
            f'It ran as "python {file.name}" with no arguments{hint}',
            str(file),
            line,
        )
    if isinstance(exc, _Stopped):
        return Problem(
            f"stopped: {exc}{ports} (does it serve, or wait for input, without "
            "AgentBase.run()/serve()?); --timeout gives it longer",
            str(file),
            line,
        )
    message = (
        "\n".join(traceback.format_exception_only(type(exc), exc)).strip() or type(exc).__name__
    )
    return Problem(f"cannot load the agent: {message}{ports}", str(file), line)


def _line_in(exc: BaseException, file: Path) -> int | None:
    """The line of the agent file the exception came through last."""
    resolved = str(file.resolve())
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in (resolved, str(file)):
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename in (resolved, str(file)):
        line = exc.lineno
    return line
