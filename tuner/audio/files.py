"""Which files are recordings: the audio a folder holds, without importing numpy (the editor's
evidence lists recordings before the analysis, in its child process, needs numpy)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".mp3")


def expand(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files to analyse (folders searched for AUDIO_SUFFIXES), and (path, reason) of bad ones."""
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*") if f.suffix.lower() in AUDIO_SUFFIXES and f.is_file()
            )
            if not found:
                errors.append((raw, "no .wav, .flac, .ogg or .mp3 files in this folder"))
            files.extend(found)
        elif p.exists():
            files.append(raw)
        else:
            errors.append((raw, "no such file or folder"))
    return files, errors
