"""Waiting for the editor to be complete: its first frame is drawn from stand-ins, and the real
widgets (the side tabs with the Evidence tab, the fields) are built right after it."""

from __future__ import annotations

from typing import Any

from tuner.tui.app import TunerApp
from tuner.tui.screens.editor import EditorScreen


async def until_complete(app: TunerApp, pilot: Any) -> EditorScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, EditorScreen)
    for _ in range(100):
        if screen.complete:
            return screen
        await pilot.pause()
    raise AssertionError("the editor's widgets were never built")
