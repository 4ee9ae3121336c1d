"""Running the per-file analysis on a Dask distributed cluster (`--cluster ADDRESS`).

Files go in batches of consecutive inputs (one task each, `batch_size`), submitted through a
sliding window so the client holds a bounded number of futures and results whatever the number of
files; each result is gathered as soon as it is ready and released at once.

Failure handling is Dask's own:

- a file whose analysis raises is reported with its error (after `RETRIES` further tries, for the
  passing network errors of object storage); known bad input (an unreadable recording, broken
  JSON) is a value the per-file function returns, not raised, so it is not tried again;
- a worker that dies costs only the tasks it held: the scheduler runs them again elsewhere, and
  the files of a task that has killed `distributed.scheduler.allowed-failures` + 1 workers are
  reported as failed;
- every file gives exactly one outcome, whatever was retried.

The workers need speech-tuner (with the extras the analysis uses) and the fsspec backend of the
inputs' URLs; local paths are made absolute, for workers that share the filesystem.
"""

from __future__ import annotations

import importlib.metadata
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from tuner.errors import Problem, TunerError
from tuner.sources import describe

I = TypeVar("I")  # noqa: E741
R = TypeVar("R")

#: Further tries of a task that raised (object storage's passing errors).
RETRIES = 1
#: Seconds to wait for the scheduler's first worker. Reaching the scheduler itself takes Dask's
#: own `distributed.comm.timeouts.connect` (30 s; $DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT).
WORKERS_TIMEOUT = 120
#: Tasks in flight per worker thread: enough that no worker waits on the client.
PER_THREAD = 4
MIN_WINDOW = 8
#: Files per task: see `batch_size`.
BATCHES_PER_THREAD = 8
MAX_BATCH = 64


def _problem(message: str) -> TunerError:
    return TunerError(Problem(message, key="--cluster"))


def connect(address: str) -> Any:
    """A Client on the scheduler at `address`, with at least one worker that can run our code."""
    try:
        from distributed import Client
    except ImportError:
        raise _problem(
            "needs the cluster extra here and on the workers: pip install 'speech-tuner[cluster]'"
        ) from None
    try:
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise _problem(f"cannot reach the Dask scheduler at {address}: {describe(exc)}") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        _check_workers(client)
    except TimeoutError:
        client.close()
        raise _problem(
            f"the scheduler at {address} has no workers (waited {WORKERS_TIMEOUT} s)"
        ) from None
    except TunerError:
        client.close()
        raise
    return client


def _check_workers(client: Any) -> None:
    """Every worker has speech-tuner, at this version: else each task would fail alike."""
    ours = importlib.metadata.version("speech-tuner")
    theirs = client.run(importlib.metadata.version, "speech-tuner", on_error="return")
    missing = sorted(w for w, v in theirs.items() if isinstance(v, BaseException))
    if missing:
        raise _problem(
            f"speech-tuner is not installed on worker(s) {', '.join(missing)}: "
            "pip install 'speech-tuner[cluster,audio]' there"
        )
    other = sorted({v for v in theirs.values() if v != ours})
    if other:
        raise _problem(
            f"the workers run speech-tuner {', '.join(other)}, this machine {ours}: "
            "install the same version on both"
        )


class Batch(Generic[I, R]):
    """Consecutive inputs in one task (fewer round trips through the scheduler): func on each,
    an input whose analysis raises tried `RETRIES` more times, then reported with its error."""

    def __init__(self, func: Callable[[I], R]) -> None:
        self.func = func

    def __call__(self, items: Sequence[I]) -> list[tuple[R | None, str | None]]:
        return [self._one(item) for item in items]

    def _one(self, item: I) -> tuple[R | None, str | None]:
        for attempt in range(RETRIES + 1):
            try:
                return self.func(item), None
            except MemoryError:
                return None, "too large to analyse in memory"
            except Exception as exc:
                if attempt == RETRIES:
                    return None, describe(exc)
        raise AssertionError("unreachable")


def batch_size(inputs: int, threads: int) -> int:
    """Files per task: at least BATCHES_PER_THREAD tasks for each worker thread (so the work
    stays balanced to the end), at most MAX_BATCH (so a lost worker costs little)."""
    return max(1, min(MAX_BATCH, inputs // (threads * BATCHES_PER_THREAD)))


def run_on_cluster(
    func: Callable[[I], R], inputs: Sequence[I], address: str
) -> Iterator[tuple[int, R | None, str | None]]:
    """func(input) for every input on the cluster: (index, result, error) for each, as each
    finishes."""
    if not inputs:
        return
    client = connect(address)
    from distributed import as_completed

    run_id = uuid.uuid4().hex[:12]
    threads = sum(client.nthreads().values()) or 1
    size = batch_size(len(inputs), threads)
    window = max(MIN_WINDOW, PER_THREAD * threads)  # tasks in flight
    task = Batch(func)
    starts = iter(range(0, len(inputs), size))
    first_of: dict[str, int] = {}
    # Results are gathered in the background as tasks finish; errors come back as values.
    finished = as_completed(loop=client.loop, with_results=True, raise_errors=False)

    def submit() -> bool:
        first = next(starts, None)
        if first is None:
            return False
        key = f"speech-tuner-{run_id}-{first}"
        finished.add(client.submit(task, inputs[first : first + size], key=key))
        first_of[key] = first
        return True

    try:
        while len(first_of) < window and submit():
            pass
        for future, value in finished:
            first = first_of.pop(future.key)
            outcomes = _collect(future, value, min(size, len(inputs) - first))
            future.release()
            del future, value
            for offset, (result, error) in enumerate(outcomes):
                yield first + offset, result, error
            submit()
    finally:
        client.close()


def _collect(future: Any, value: Any, count: int) -> list[tuple[Any, str | None]]:
    """(result, error) of each input of one finished task, whatever became of it."""
    from distributed import KilledWorker

    if future.status == "finished":
        return list(value)
    if future.status == "cancelled":
        raise _problem("the cluster cancelled the run (was the scheduler restarted?)")
    exc = future.exception()
    if isinstance(exc, KilledWorker):
        error = (
            f"{exc.allowed_failures + 1} workers died while analysing it "
            "(a file too large for a worker's memory?)"
        )
    else:
        error = describe(exc)
    return [(None, error)] * count
