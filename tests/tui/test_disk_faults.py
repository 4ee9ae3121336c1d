"""Saving from the editor onto a full or read-only disk: the error is shown, no edit is lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tuner import presets
from tuner.tui.app import make_app
from tuner.tui.screens.editor import EditorScreen

pytestmark = pytest.mark.anyio


async def edit_and_save(folder: Path) -> tuple[EditorScreen, str]:
    app = make_app("normal", presets_dir=folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen_stack[0]
        assert isinstance(screen, EditorScreen)
        prompt = screen.query_one("#edit-attention_timeout_prompt", Input)
        prompt.focus()
        prompt.value = "x" * 30000  # far more than the disk has room for
        field = screen.query_one("#edit-barge_min_words", Input)
        field.focus()
        field.value = ""
        await pilot.press("5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(screen.query_one("#status", Static).render())
        assert screen.session.changes()["barge_min_words"][1] == 5
        assert field.value == "5" and len(prompt.value) == 30000
        return screen, status


async def test_a_full_disk_shows_the_error_and_keeps_every_edit(small_disk: Path) -> None:
    folder = small_disk / "presets"
    folder.mkdir()
    (small_disk / "filler").write_bytes(b"\0" * (40 * 1024))
    _, status = await edit_and_save(folder)
    assert "No space left on device" in status
    assert "your edits are kept" in status
    # Nothing half-written (the drafts folder holds the unsaved edits, when there is room).
    assert [p.name for p in folder.iterdir()] in ([], [".drafts"])
    assert not [p for p in (folder / ".drafts").glob("*") if p.suffix != ".json"]


async def test_a_read_only_disk_shows_the_error_and_keeps_every_edit(small_disk: Path) -> None:
    folder = small_disk / "presets"
    presets.save(presets.from_params("normal", {"ai_volume": 1}), folder)
    before = (folder / "normal.toml").read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    _, status = await edit_and_save(folder)
    assert "Read-only file system" in status
    assert (folder / "normal.toml").read_bytes() == before
