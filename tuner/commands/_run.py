"""What the per-file commands (`pauses`, `calls`) share: --jobs and --cluster, and running them."""

from __future__ import annotations

import argparse
import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from tuner.errors import Problem, TunerError

if TYPE_CHECKING:
    from tuner.runner import Outcome

R = TypeVar("R")

CLUSTER_HELP = (
    "run the per-file analysis on the Dask scheduler at ADDRESS (tcp://HOST:8786); default "
    "$DASK_SCHEDULER_ADDRESS unless --jobs is given. Needs speech-tuner[cluster] here and on the "
    "workers; inputs must be URLs (s3://, gs://, az://, https://) or paths the workers share"
)


class Input(NamedTuple):
    """One file: as the user named it (`shown`, in reports) and as a worker opens it."""

    shown: str
    location: str


def add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes on this machine (default 1; 0 = one per core)",
    )
    parser.add_argument("--cluster", metavar="ADDRESS", default=None, help=CLUSTER_HELP)


def _jobs(text: str) -> int:
    import os

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    return value or (os.cpu_count() or 1)


def run_options(args: argparse.Namespace) -> tuple[int, str | None]:
    """(jobs, scheduler address or None): an explicit --jobs keeps the run on this machine."""
    if args.cluster is not None and not args.cluster.strip():
        raise TunerError(Problem("needs the scheduler's address: tcp://HOST:8786", key="--cluster"))
    from tuner.runner import scheduler_address

    cluster = args.cluster or (None if args.jobs is not None else scheduler_address(None))
    return args.jobs or 1, cluster


def run_files(
    func: Callable[[Input], R],
    files: Sequence[str],
    args: argparse.Namespace,
    noun: str,
    progress_from: int = 2,
) -> Iterator[Outcome[Input, R]]:
    """func over `files` as --jobs/--cluster say, with a progress bar on a terminal; outcomes
    come back in the order of `files`, so every run of the same inputs gives the same report."""
    from tuner.runner import progress_bar, run
    from tuner.sources import portable

    jobs, cluster = run_options(args)
    items = [Input(f, portable(f) if cluster else f) for f in files]
    with progress_bar(noun, len(items), progress_from, where=cluster or "") as bar:
        yield from in_order(run(func, items, jobs, cluster, bar))


def in_order(outcomes: Iterable[Outcome[Any, R]]) -> Iterator[Outcome[Any, R]]:
    """Outcomes by index; those that finish early wait (small results) for the ones before."""
    waiting: list[tuple[int, Outcome[Any, R]]] = []
    following = 0
    for outcome in outcomes:
        heapq.heappush(waiting, (outcome.position, outcome))
        while waiting and waiting[0][0] == following:
            yield heapq.heappop(waiting)[1]
            following += 1
    while waiting:
        yield heapq.heappop(waiting)[1]
