"""Post_conversation payloads → `CallFigures`, read by `tuner.calls` (the one payload reader).

`tuner.calls.read_call` gives every per-turn list of one call; this maps it onto the small
record an experiment resamples. The figures mean what they mean in `speech-tuner calls`:
a cut-off is a caller turn starting within 1500 ms of the caller's own previous final (one
utterance split in two) or a reply barged in its first 1500 ms, counted once per caller turn;
the endpointing wait and the first response are per caller turn (measured, else estimated);
an early hang-up is a caller leaving unanswered, mid-reply or after an attention timeout.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuner.experiment.figures import CallFigures

if TYPE_CHECKING:
    from tuner.calls import Call, Failure


def from_call(call: Call) -> CallFigures:
    """The experiment's record of one call read by `tuner.calls.read_call`."""
    return CallFigures(
        preset=call.preset,
        experiment=call.experiment,
        caller_turns=call.caller_turns,
        cut_offs=call.split_turns + call.early_barges,
        agent_turns=call.assistant_turns,
        barged_turns=call.barged_turns,
        attention_timeouts=call.attention_timeouts,
        ended_early=None if call.ended == "unknown" else call.ended_early,
        endpointing_ms=tuple(call.endpointing),
        first_response_ms=tuple(call.first_response),
        where=call.where,
    )


def from_payload(payload: Any, where: str = "<payload>") -> CallFigures:
    """The figures of one call; raises `tuner.calls.PayloadError` for what is no payload."""
    from tuner.calls import read_call

    return from_call(read_call(payload, where))


@dataclass
class Records:
    """Every call read from files, what could not be read, and torn last lines skipped."""

    calls: list[CallFigures] = field(default_factory=list)
    errors: list[Failure] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)

    def extend(self, other: Records) -> None:
        self.calls.extend(other.calls)
        self.errors.extend(other.errors)
        self.incomplete.extend(other.incomplete)


def read_file(path: str | os.PathLike[str], into: Records | None = None) -> Records:
    """The calls of one file, streamed a payload at a time (a line at a time for JSON lines)."""
    from tuner.calls import PayloadError, read_call
    from tuner.calls.read import Failure, Incomplete, parse_file

    out = into if into is not None else Records()
    for item in parse_file(Path(path)):
        if isinstance(item, Incomplete):
            out.incomplete.append(item.path)
        elif isinstance(item, Failure):
            out.errors.append(item)
        else:
            where, payload = item
            try:
                out.calls.append(from_call(read_call(payload, where)))
            except PayloadError as exc:
                out.errors.append(Failure(where, str(exc)))
    return out


def _read_chunk(paths: list[str]) -> Records:
    out = Records()
    for path in paths:
        read_file(path, out)
    return out


def read_records(
    paths: Iterable[str | os.PathLike[str]],
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> Records:
    """Every call under `paths` (files, folders, JSON-lines files) as `CallFigures`, in file
    order; with `jobs` > 1 the files are read by that many worker processes."""
    from tuner.calls import discover
    from tuner.calls.analysis import over_files

    files, missing = discover(paths)
    out = Records(errors=list(missing))
    over_files(files, lambda path: read_file(path, out), _read_chunk, out.extend, progress, jobs)
    return out
