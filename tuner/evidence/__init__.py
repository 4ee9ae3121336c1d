"""Gathering the editor's evidence: callers' pauses from recordings, turns from call logs.

Recordings go through the same analysis as `speech-tuner pauses` (`tuner.audio.analysis`), and
its saved `--format json` results are read instead of re-analysing an archive. Call logs go
through the same reading as `speech-tuner calls` (`tuner.calls`). Every input that cannot be read
becomes a line in `Evidence.notes`, never an exception: the editor shows them and keeps working.
Nothing heavy is imported until `load` runs (numpy only for audio files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tuner.evidence.calllogs import call_inputs, read_calls
from tuner.evidence.recordings import audio_inputs, read_recordings
from tuner.whatif import Evidence, pooled

Progress = Callable[[int, int, str], None]


def load(
    recordings: Sequence[str] = (),
    calls: Sequence[str] = (),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    jobs: int = 0,
) -> Evidence:
    """The evidence under `recordings` and `calls` (files or folders); problems become notes.

    `progress(done, total, name)` follows each file; `cancelled()` is asked between files;
    `jobs` > 0 analyses recordings in a child process (see `recordings._analyse_all`).
    """
    rec_files, rec_notes = audio_inputs(recordings)
    call_files, call_notes = call_inputs(calls)
    total = len(rec_files) + len(call_files)
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, label)

    parts = [Evidence(notes=rec_notes + call_notes)]
    if rec_files:
        parts.append(read_recordings(rec_files, step, cancelled, jobs))
    if call_files:
        parts.append(read_calls(call_files, step))
    ev = pooled(parts)
    if not ev.notes and ev.empty() and (recordings or calls):
        ev.notes.append("no pauses, caller turns or replies were found in the inputs")
    return ev


def describe(ev: Evidence) -> str:
    """Where the evidence came from, in a line."""
    parts = []
    if ev.recordings:
        parts.append(f"{ev.recordings} recording{'s' if ev.recordings != 1 else ''}")
    if ev.calls:
        parts.append(f"{ev.calls} call{'s' if ev.calls != 1 else ''}")
    return " · ".join(parts) or "no evidence"
