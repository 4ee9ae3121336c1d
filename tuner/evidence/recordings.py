"""Callers' pauses for the editor's evidence: recordings through `pauses`' own analysis, or its
saved `--format json` result. numpy is imported only in the child process that analyses audio."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tuner.whatif import Evidence

NEEDS_AUDIO = "needs numpy and a voice detector: pip install 'speech-tuner[audio]'"


def audio_inputs(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """The recordings (and saved results) under `paths`, listed as `pauses` lists them."""
    from tuner.audio.defaults import AUDIO_SUFFIXES
    from tuner.sources import expand

    files, errors = expand(paths, AUDIO_SUFFIXES)
    return [Path(f) for f in files], [f"{path}: {reason}" for path, reason in errors]


def read_recordings(
    files: Sequence[Path], step: Callable[[str], None], cancelled: Callable[[], bool], jobs: int
) -> Evidence:
    ev = Evidence()
    audio = [str(p) for p in files if p.suffix.lower() != ".json"]
    for saved in files:
        if saved.suffix.lower() == ".json":
            _pauses_json(saved, ev)
            step(saved.name)
    if audio and importlib.util.find_spec("numpy") is None:
        for name in audio:
            ev.notes.append(f"{name}: {NEEDS_AUDIO}")
            step(Path(name).name)
        return ev
    for path, outcome in _analyse_all(audio, cancelled, jobs):
        if isinstance(outcome, str):
            ev.notes.append(f"{path}: {outcome}")
        else:
            pauses, turn_ends, speech_s = outcome
            # Each recording's caller turns: every turn end, plus the turn it ends in.
            _add_pauses(ev, pauses, turn_ends + (1 if speech_s > 0 else 0), "recordings")
            ev.recordings += 1
        step(Path(path).name)
    return ev


def analyse_recording(path: str) -> tuple[list[int], int, float] | str:
    """One recording through `pauses`' own analysis: (pauses in ms, turn ends, caller speech
    in s), or why it cannot be read."""
    from tuner.audio.analysis import analyse_file
    from tuner.audio.decode import AudioError

    try:
        result = analyse_file(path)
    except AudioError as exc:
        return str(exc)
    except MemoryError:
        return "too large to analyse in memory"
    except (ValueError, OSError) as exc:
        return f"cannot analyse: {exc}"
    return list(result.pauses_ms), result.turn_ends, result.caller_speech_s


def _analyse_all(
    files: Sequence[str], cancelled: Callable[[], bool], jobs: int
) -> Iterator[tuple[str, tuple[list[int], int, float] | str]]:
    """(path, result) per recording, in order; stops early once `cancelled()` says so.

    With `jobs` > 0 the analysis runs in a child process (`python -m tuner.evidence.recordings`):
    the voice detector then never holds the interpreter lock the editor's keys need, and a
    cancelled run ends at once (the child is killed) instead of finishing the file it is on.
    """
    if jobs <= 0 or not files:
        for path in files:
            if cancelled():
                return
            yield path, analyse_recording(path)
        return
    import select
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "tuner.evidence.recordings", *files],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    fd, pending, done = child.stdout.fileno(), b"", 0
    try:
        while done < len(files) and not cancelled():
            if not select.select([fd], [], [], 0.1)[0]:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                item = json.loads(line)
                done += 1
                outcome = item.get("error")
                yield (
                    item["path"],
                    outcome or (item["pauses_ms"], item["turn_ends"], item["speech_s"]),
                )
        for path in files[done:] if not cancelled() else ():
            yield path, "the analysis stopped before this recording (out of memory?)"
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()


def _serve(paths: Sequence[str]) -> None:
    """The child of `_analyse_all`: one JSON line per recording, as soon as it is measured."""
    for path in paths:
        outcome = analyse_recording(path)
        if isinstance(outcome, str):
            item: dict[str, Any] = {"path": path, "error": outcome}
        else:
            pauses, turn_ends, speech_s = outcome
            item = {"path": path, "pauses_ms": pauses, "turn_ends": turn_ends, "speech_s": speech_s}
        print(json.dumps(item), flush=True)


def _add_pauses(ev: Evidence, pauses: Sequence[float], turns: int | None, source: str) -> None:
    ev.pause_ms.extend(float(p) for p in pauses)
    ev.pause_step.extend("" for _ in pauses)
    ev.pause_sources[source] += len(pauses)
    if turns is None:
        ev.turns_known = False
    else:
        ev.turns_by_step[""] += turns


def _pauses_json(path: Path, ev: Evidence) -> None:
    """A saved `pauses --format json` result: each file's pauses (and turn ends, where given)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        ev.notes.append(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}")
        return
    listed = doc.get("pauses") if isinstance(doc, dict) else None
    if isinstance(listed, list):  # every measured pause, one object each
        by_file: dict[str, list[float]] = {}
        for item in listed:
            if isinstance(item, dict) and isinstance(item.get("duration_ms"), (int, float)):
                by_file.setdefault(str(item.get("file", "")), []).append(item["duration_ms"])
        files = doc.get("files") if isinstance(doc.get("files"), list) else []
        turns = _json_turns(files) if files else None
        _add_pauses(ev, [p for ps in by_file.values() for p in ps], turns, "recordings")
        ev.recordings += max(len(by_file), len(files))
        return
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("pauses_ms"), list) for f in files
    ):
        ev.notes.append(
            f"{path}: not a `speech-tuner pauses --format json` result (no files[].pauses_ms)"
        )
        return
    pauses = [p for f in files for p in f["pauses_ms"] if isinstance(p, (int, float))]
    _add_pauses(ev, pauses, _json_turns(files), "recordings")
    ev.recordings += len(files)


def _json_turns(files: Sequence[Any]) -> int | None:
    """Caller turns of saved results, when every file says how many turn ends it had."""
    total = 0
    for f in files:
        ends = f.get("turn_ends") if isinstance(f, dict) else None
        if isinstance(ends, list):
            ends = len(ends)
        if not isinstance(ends, int):
            return None
        total += ends + 1
    return total


# -- call logs -----------------------------------------------------------------------------------

if __name__ == "__main__":
    import sys

    _serve(sys.argv[1:])
