"""Running the per-file analysis on a Dask distributed cluster (`--cluster ADDRESS`).

One task per file, submitted through a sliding window so the client holds a bounded number of
futures and results whatever the number of files; each result is gathered as soon as it is ready
and released at once. Failure handling is Dask's own:

- a file whose analysis raises is reported with its error (after `RETRIES` further tries, for the
  passing network errors of object storage); known bad input (an unreadable recording, broken
  JSON) is a value the per-file function returns, not raised, so it is not tried again;
- a worker that dies costs only the tasks it held: the scheduler runs them again elsewhere, and a
  file that has killed `distributed.scheduler.allowed-failures` + 1 workers is reported as failed;
- every file gives exactly one outcome, whatever was retried.

The workers need speech-tuner (with the extras the analysis uses) and the fsspec backend of the
inputs' URLs; local paths are made absolute, for workers that share the filesystem.
"""

from __future__ import annotations

import importlib.metadata
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from tuner.errors import Problem, TunerError
from tuner.runner import Outcome
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
MIN_WINDOW = 32


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


def run_on_cluster(
    func: Callable[[I], R], inputs: Sequence[I], address: str
) -> Iterator[Outcome[I, R]]:
    """func(input) for every input on the cluster; one Outcome per input, as each finishes."""
    if not inputs:
        return
    client = connect(address)
    from distributed import as_completed

    run_id = uuid.uuid4().hex[:12]
    threads = sum(client.nthreads().values()) or 1
    window = max(MIN_WINDOW, PER_THREAD * threads)
    todo = iter(enumerate(inputs))
    index_of: dict[str, int] = {}
    # Results are gathered in the background as tasks finish; errors come back as values.
    finished = as_completed(loop=client.loop, with_results=True, raise_errors=False)

    def submit() -> bool:
        nxt = next(todo, None)
        if nxt is None:
            return False
        index, item = nxt
        key = f"speech-tuner-{run_id}-{index}"
        future = client.submit(func, item, key=key, retries=RETRIES)
        index_of[key] = index
        finished.add(future)
        return True

    try:
        while len(index_of) < window and submit():
            pass
        for future, value in finished:
            index = index_of.pop(future.key)
            result, error = _collect(future, value)
            future.release()
            del future, value
            yield Outcome(index, inputs[index], result, error)
            submit()
    finally:
        client.close()


def _collect(future: Any, value: Any) -> tuple[Any, str | None]:
    """(result, error) of one finished task, whatever became of it."""
    from distributed import KilledWorker

    if future.status == "finished":
        return value, None
    if future.status == "cancelled":
        raise _problem("the cluster cancelled the run (was the scheduler restarted?)")
    exc = future.exception()
    if isinstance(exc, KilledWorker):
        return None, (
            f"{exc.allowed_failures + 1} workers died while analysing it "
            "(a file too large for a worker's memory?)"
        )
    return None, describe(exc)
