"""Running one function over many files: in this process, in a pool of processes (`--jobs`), or on
a Dask distributed cluster (`--cluster`).

Every input gives exactly one `Outcome`, in the order the work finishes: its result, or the error
that stopped it. A file that fails never stops the others. Dask is imported only for a cluster run
(`tuner.cluster`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from tuner.sources import describe

if TYPE_CHECKING:
    from concurrent.futures import Future

I = TypeVar("I")  # noqa: E741 - the input type, as in the signature run(func: I -> R)
R = TypeVar("R")

#: Called as progress(done, total) after each outcome.
ProgressFn = Callable[[int, int], None]

#: Environment variable naming the scheduler, as Dask itself reads it.
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


class Outcome(NamedTuple, Generic[I, R]):
    """What became of one input: `result`, or `error` (a one-line reason) when it failed."""

    position: int
    input: I
    result: R | None
    error: str | None


class Guarded(Generic[I, R]):
    """`func` with any exception turned into (None, reason): one bad file is a line in the
    report, not the end of the run. A plain class so worker processes can receive it."""

    def __init__(self, func: Callable[[I], R]) -> None:
        self.func = func

    def __call__(self, item: I) -> tuple[R | None, str | None]:
        try:
            return self.func(item), None
        except MemoryError:
            return None, "too large to analyse in memory"
        except Exception as exc:
            return None, describe(exc)


def run(
    func: Callable[[I], R],
    inputs: Sequence[I],
    jobs: int = 1,
    cluster: str | None = None,
    progress: ProgressFn | None = None,
) -> Iterator[Outcome[I, R]]:
    """func(input) for every input, here with `jobs` processes or on the Dask scheduler at
    `cluster`; one Outcome per input, as each finishes."""
    if cluster:
        from tuner.cluster import run_on_cluster

        outcomes: Iterator[Outcome[I, R]] = (
            Outcome(index, inputs[index], result, error)
            for index, result, error in run_on_cluster(func, inputs, cluster)
        )
    else:
        outcomes = _run_local(func, inputs, jobs)
    total = len(inputs)
    for done, outcome in enumerate(outcomes, 1):
        yield outcome
        if progress is not None:
            progress(done, total)


#: The error of a file whose worker process died under it (killed, out of memory) twice.
DIED = "the worker process died while analysing it"


def _run_local(func: Callable[[I], R], inputs: Sequence[I], jobs: int) -> Iterator[Outcome[I, R]]:
    guarded = Guarded(func)
    if jobs <= 1 or len(inputs) < 2:
        for index, item in enumerate(inputs):
            result, error = guarded(item)
            yield Outcome(index, item, result, error)
        return
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    queue = deque(range(len(inputs)))
    # A process that dies breaks the whole pool and fails every file in it. Those files are run
    # again in a new pool, each alone, so only the one that kills its process is reported.
    suspects: deque[int] = deque()
    window = 4 * jobs  # enough queued to keep every process busy, few results held at once
    while queue or suspects:
        with ProcessPoolExecutor(max_workers=min(jobs, len(inputs))) as pool:
            broken = False
            while suspects and not broken:
                index = suspects.popleft()
                try:
                    result, error = pool.submit(guarded, inputs[index]).result()
                except BrokenProcessPool:
                    result, error, broken = None, DIED, True
                yield Outcome(index, inputs[index], result, error)
            pending: dict[Future[tuple[R | None, str | None]], int] = {}
            while not broken and (queue or pending):
                while queue and len(pending) < window:
                    index = queue.popleft()
                    pending[pool.submit(guarded, inputs[index])] = index
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    broken = True
                    done, _ = wait(pending)  # the rest fail at once
                for future in done:
                    index = pending.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        suspects.append(index)
                        continue
                    result, error = future.result()
                    yield Outcome(index, inputs[index], result, error)
            suspects = deque(sorted(suspects))


def scheduler_address(option: str | None) -> str | None:
    """The scheduler to use: `--cluster`, else $DASK_SCHEDULER_ADDRESS, else None (local)."""
    return option or os.environ.get(SCHEDULER_ENV) or None


@contextmanager
def progress_bar(noun: str, total: int, minimum: int = 2, where: str = "") -> Iterator[Any]:
    """A rich progress bar on stderr for `total` items ("analysing ━━━ 12/200 recordings"),
    or None when stderr is not a terminal, the run is small or SPEECH_TUNER_NO_PROGRESS is set."""
    stream = sys.stderr
    if (
        total < minimum
        or not (hasattr(stream, "isatty") and stream.isatty())
        or os.environ.get("SPEECH_TUNER_NO_PROGRESS")
    ):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    label = "analysing" + (f" on {where}" if where else "")
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(noun),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total)

        def update(done: int, _total: int) -> None:
            bar.update(task, completed=done)

        yield update
