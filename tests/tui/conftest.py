"""Fixtures of the TUI tests: a tmp presets folder (never the user's), no cursor blink, and a
complete editor before a test looks at it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from editor_ready import until_complete
from textual.widgets import Input

from tuner.tui.app import TunerApp


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


@pytest.fixture(autouse=True)
def complete_editor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_test` hands over the editor once its real widgets have replaced the first frame's
    stand-ins (on a busy machine that takes more than one pause); tests marked `first_frame`
    look at the editor before that."""
    if request.node.get_closest_marker("first_frame"):
        return
    original = TunerApp.run_test

    @contextlib.asynccontextmanager
    async def run_test(self: TunerApp, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with original(self, *args, **kwargs) as pilot:
            await until_complete(self, pilot)
            yield pilot

    monkeypatch.setattr(TunerApp, "run_test", run_test)
