"""Collecting call logs from a live agent: every post_conversation payload it receives, one JSON
line each, in a file per day, stamped with the preset the call ran with.

SignalWire sends a post_conversation payload only to agents whose SWML has a post prompt: the
SDK renders `post_prompt_url` (its `/post_prompt` route, which calls `on_summary`) only after
`agent.set_post_prompt(...)`. `record_calls` hooks `on_summary`, keeps the agent's own
`on_summary` working, and warns when no post prompt is set.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path
from typing import Any

#: The top-level key each recorded payload is stamped with.
STAMP = "speech_tuner"
#: The global_data keys a per-call preset puts into the SWML (shared with `use_call_presets`).
PRESET_KEY = "speech_tuner_preset"
EXPERIMENT_KEY = "speech_tuner_experiment"
#: Marks an agent whose class `record_calls` has already extended.
_RECORDER = "_speech_tuner_recorder"


class RecordingWarning(UserWarning):
    """`record_calls` was set up on an agent the platform will send no payloads to."""


def _log() -> Any:
    import logging

    return logging.getLogger("tuner")


def day_file(folder: Path, when: float | None = None) -> Path:
    """The JSON-lines file of a (UTC) day: FOLDER/calls-YYYY-MM-DD.jsonl."""
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() if when is None else when))
    return folder / f"calls-{day}.jsonl"


def stamp_of(payload: dict[str, Any], agent: Any) -> dict[str, str | None]:
    """The preset stamp: from the payload's global_data, else the agent's active preset."""
    from tuner.apply import active_preset

    data = payload.get("global_data")
    preset = experiment = None
    if isinstance(data, dict) and isinstance(data.get(PRESET_KEY), str):
        preset = data[PRESET_KEY]
        found = data.get(EXPERIMENT_KEY)
        experiment = found if isinstance(found, str) else None
    if preset is None:
        preset = active_preset(agent)
    return {"preset": preset, "experiment": experiment}


def append_line(path: Path, line: bytes) -> None:
    """Append one line (ending in "\\n"): the file holds whole lines, and at most an
    unterminated last one while a write is in flight.

    The line goes out in one `write` on a file opened for appending, under an exclusive lock
    (several worker processes may record at once), then fsync. The kernel can still end a
    large write early when its process is SIGKILLed, leaving the start of a line with no
    newline; the next append cuts the file back to its last whole line before writing, and
    `speech-tuner calls` skips such a tail (and says so) instead of reporting an error.
    """
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _drop_partial_tail(fd)
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock


def _drop_partial_tail(fd: int) -> None:
    size = os.fstat(fd).st_size
    if not size or os.pread(fd, 1, size - 1) == b"\n":
        return
    end = size
    while end > 0:  # find the last newline, reading back a block at a time
        start = max(0, end - 65536)
        block = os.pread(fd, end - start, start)
        cut = block.rfind(b"\n")
        if cut >= 0:
            os.ftruncate(fd, start + cut + 1)
            return
        end = start
    os.ftruncate(fd, 0)


class Recorder:
    """Writes payloads to the day files of one folder."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def write(self, payload: Any, agent: Any = None) -> Path | None:
        """Stamp and append one payload; None (and nothing written) if it is not an object."""
        if not isinstance(payload, dict):
            return None
        record = {**payload, STAMP: stamp_of(payload, agent)}
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        path = day_file(self.folder)
        append_line(path, line.encode("utf-8"))
        return path


def _has_post_prompt(agent: Any) -> bool | None:
    getter = getattr(agent, "get_post_prompt", None)
    if getter is None:
        return None
    try:
        return bool(getter())
    except Exception:
        return None


def record_calls(agent: Any, folder: str | os.PathLike[str]) -> Recorder:
    """Make `agent` store every post_conversation payload it receives in `folder`.

    One JSON line per payload, appended to `folder/calls-YYYY-MM-DD.jsonl` (UTC day), with a
    top-level `"speech_tuner": {"preset": ..., "experiment": ...}` taken from the call's
    global_data (`use_call_presets`) or else the agent's active preset (`apply_preset`). The
    agent's own `on_summary` still runs, after the payload is stored; a payload that cannot be
    stored is logged and never fails the request. Works with the `AgentBase` of
    `signalwire_agents` and of `signalwire`. Read the folder with `speech-tuner calls FOLDER`.

    The platform posts payloads only when the agent has a post prompt
    (`agent.set_post_prompt("Summarise the call.")`): without one, a RecordingWarning says so.
    """
    recorder = Recorder(folder)
    if _has_post_prompt(agent) is False:
        warnings.warn(
            "record_calls: the agent has no post prompt, so SignalWire will send it no "
            "post_conversation payloads to record; call agent.set_post_prompt(...) "
            '(e.g. "Summarise the call in one sentence.")',
            RecordingWarning,
            stacklevel=2,
        )
    if getattr(agent, _RECORDER, None) is not None:
        # Already recording: point the existing hook at the new folder.
        setattr(agent, _RECORDER, recorder)
        return recorder
    setattr(agent, _RECORDER, recorder)
    own = agent.__dict__.get("on_summary")
    if own is not None:  # an on_summary set on the instance: wrap that one
        agent.on_summary = _wrap_function(own, agent)
        return recorder
    base = type(agent)

    def on_summary(self: Any, summary: Any, raw_data: Any = None) -> Any:
        _store(self, raw_data)
        return base.on_summary(self, summary, raw_data)

    # A subclass made for this agent alone: the SDK's per-call copies are made from the
    # agent's class, so they record too, and `self` is the copy, as in the SDK's own hook.
    recording = type(
        base.__name__, (base,), {"on_summary": on_summary, "__module__": base.__module__}
    )
    agent.__class__ = recording
    return recorder


def _wrap_function(own: Any, agent: Any) -> Any:
    def on_summary(summary: Any, raw_data: Any = None) -> Any:
        _store(agent, raw_data)
        return own(summary, raw_data)

    return on_summary


#: Requests to the post-prompt route that are not a finished call's log.
_NOT_A_CALL = ("fetch_conversation",)


def _store(agent: Any, payload: Any) -> None:
    recorder = getattr(agent, _RECORDER, None) if agent is not None else None
    if recorder is None or (isinstance(payload, dict) and payload.get("action") in _NOT_A_CALL):
        return
    try:
        recorder.write(payload, agent)
    except Exception:  # the platform must get its 200; the agent's own hook must still run
        _log().exception("speech-tuner: could not record a post_conversation payload")
