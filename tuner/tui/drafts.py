"""Unsaved edits kept on disk beside the user presets, so that no way out of the editor loses them.

A draft is written (atomically) on every change while there are unsaved changes, and removed on
save, on discard, and once every field is back at its value on disk. The next time the same preset
is opened, the editor offers it back. It holds each changed field as it was typed, so a value the
model rejects comes back with its text and its message.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from tuner.errors import TunerError
from tuner.presets import write_atomic
from tuner.tui.state import Session, field_text

#: The drafts' folder, inside the user presets folder (not a preset: never listed as one).
FOLDER = ".drafts"


def path(session: Session) -> Path:
    """Where the draft of the open preset lives: by name, or for a file by its full path."""
    folder = session.store.user_dir / FOLDER
    saved = session.saved
    if saved.source == "file" and saved.path is not None:
        real = str(Path(saved.path).resolve())
        digest = hashlib.sha1(real.encode(), usedforsecurity=False).hexdigest()[:12]
        return folder / f"file-{Path(real).stem}-{digest}.json"
    return folder / f"{saved.name}.json"


def fields(session: Session) -> dict[str, str]:
    """Every changed field as text, as it would be typed ("" = the platform default)."""
    out = {}
    for key in session.changes():
        invalid = session.invalid.get(key)
        out[key] = invalid[0] if invalid else field_text(session.value(key))
    return out


def write(session: Session) -> str | None:
    """Keep the unsaved edits (or remove the draft when there are none); the error, or None."""
    changed = fields(session)
    if not changed:
        return remove(session)
    target = path(session)
    text = json.dumps(
        {
            "preset": session.name,
            "file": str(session.target()),
            "written": datetime.now().isoformat(timespec="seconds"),
            "fields": changed,
        },
        indent=2,
    )
    try:
        write_atomic(target, text + "\n")
    except TunerError as exc:
        return str(exc.problems[0])
    return None


def read(session: Session) -> tuple[dict[str, str], str] | None:
    """The draft of the open preset, as (fields, when written), or None (none, or unreadable)."""
    try:
        data = json.loads(path(session).read_text(encoding="utf-8"))
        changed = data["fields"]
        when = str(data.get("written", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(changed, dict):
        return None
    return {str(k): str(v) for k, v in changed.items() if isinstance(v, (str, int, float))}, when


def remove(session: Session) -> str | None:
    """Forget the draft of the open preset; the error, or None."""
    try:
        path(session).unlink(missing_ok=True)
    except OSError as exc:
        return f"{path(session)}: {exc.strerror or exc}"
    return None


def restore(session: Session, changed: dict[str, str]) -> list[str]:
    """Apply a draft's fields to the session (each judged by the model); the keys applied."""
    from tuner.params import SPECS

    applied = []
    for key, text in changed.items():
        if key in SPECS:
            session.set_text(key, text)
            applied.append(key)
    return applied
