"""Preset names and references: what a valid name is, and whether a reference is a file path."""

from __future__ import annotations

import os
import re

from tuner.errors import Problem, TunerError

NAME_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
BUILTIN_NAMES = ("quick", "normal", "elderly")
#: Keys allowed in the `[preset]` table.
PRESET_KEYS = ("description", "extends")


def is_path(ref: str) -> bool:
    """Whether a preset reference names a file rather than a preset."""
    return "/" in ref or os.sep in ref or ref.endswith(".toml")


def check_name(name: str) -> str:
    """Return `name` if it is a valid preset name, else raise a TunerError saying why."""
    if not NAME_RE.match(name):
        raise TunerError(
            Problem(
                f'"{name}" is not a valid preset name: use 1-64 lowercase letters, digits, '
                '"-" or "_" (no "/" or "..")',
                key="name",
            )
        )
    return name
