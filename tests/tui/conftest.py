"""Fixtures of the TUI tests: a tmp presets folder (never the user's) and no cursor blink."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def presets_dir(user_presets: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared tmp user presets folder, created; colours on, as in a real terminal."""
    user_presets.mkdir(exist_ok=True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return user_presets


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor makes screenshots differ from run to run.
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
