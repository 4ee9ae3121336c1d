"""Caller turns for the editor's evidence: each payload read by `calls`' own reader (`read_call`).

Nothing is read here a second way: the endpointing waits, first responses (measured or the
labelled estimate), split-turn gaps, dialogue steps, barge-ins and attention timeouts are the
figures `speech-tuner calls` reports, kept per turn so the editor can replay them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tuner.whatif import Evidence


def call_inputs(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The payload files under `paths`, as `calls` finds them, and lines for the bad paths."""
    from tuner.calls import discover

    files, failures = discover(paths)
    return files, [f"{f.path}: {f.message}" for f in failures]


def read_calls(files: Sequence[Path], step: Callable[[str], None]) -> Evidence:
    """Every payload of `files`; what cannot be read becomes a note."""
    from tuner.calls import Failure, PayloadError, parse_file

    ev = Evidence()
    torn = 0
    for path in files:
        for item in parse_file(path):
            if isinstance(item, Failure):
                ev.notes.append(f"{item.path}: {item.message}")
                continue
            if not isinstance(item, tuple):
                torn += 1  # the last line of a log still being written
                continue
            where, payload = item
            if isinstance(payload, dict) and "assistant_turns" in payload and "calls" in payload:
                ev.notes.append(
                    f"{where}: a `calls --format json` report holds percentiles, not each turn; "
                    "give the call logs themselves"
                )
                continue
            try:
                read_payload(payload, ev, where)
            except PayloadError as exc:
                ev.notes.append(f"{where}: {exc}")
        step(path.name)
    if torn:
        ev.notes.append(f"{torn} unfinished last line(s) of JSON-lines logs skipped")
    _missing_fields(ev)
    return ev


def read_payload(payload: Any, ev: Evidence, where: str = "<payload>") -> None:
    """One post_conversation payload into `ev`, through `read_call` (PayloadError if it is not
    one)."""
    from tuner.calls import read_call
    from tuner.calls.payload import NO_STEP

    call = read_call(payload, where)
    for name, s in call.steps.items():
        key = "" if name == NO_STEP else name
        # An utterance the platform cut (split, or resumed by barging the reply early) is one
        # caller turn; the gap before its second part is a pause the live value cut.
        cut = [*s.split_gaps, *s.barge_gaps]
        ev.turns_by_step[key] += s.caller_turns - len(cut)
        ev.pause_ms += cut
        ev.pause_step += [key] * len(cut)
        ev.pause_sources["calls"] += len(cut)
        ev.wait_ms += s.endpointing
        ev.turn_step += [key] * len(s.endpointing)
        ev.first_ms += s.first_response
        ev.first_wait_ms += s.first_response_wait
        ev.first_step += [key] * len(s.first_response)
        ev.replies_by_step[key] += s.replies
        ev.barge_words += s.barge_words
        ev.barge_step += [key] * len(s.barge_words)
        ev.attention_ms += s.attention_timeout_ms
        unknown = s.attention_timeouts - len(s.attention_timeout_ms)
        ev.attention_ms += [None] * unknown
        ev.attention_step += [key] * s.attention_timeouts
    ev.first_estimated += sum(
        n for label, n in call.first_response_sources.items() if label.startswith("estimate")
    )
    ev.calls += 1


def _missing_fields(ev: Evidence) -> None:
    if ev.calls and not ev.wait_ms:
        ev.notes.append(
            f"call logs: no endpointing wait (speaking_to_final_event or eos_to_push_latency) "
            f"in the caller turns of {ev.calls} call{'s' if ev.calls != 1 else ''}: waits and "
            "first response cannot be recomputed"
        )
