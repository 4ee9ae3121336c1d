"""Every way out of the editor asks first or keeps the unsaved edits, which come back next time."""

from __future__ import annotations

import json
import signal
import tomllib
from pathlib import Path

import pytest
from pty_app import PtyApp
from textual.widgets import Input

from tuner.tui.app import TunerApp, make_app
from tuner.tui.screens.confirm_quit import ConfirmQuitScreen
from tuner.tui.screens.editor import EditorScreen
from tuner.tui.screens.restore_draft import RestoreDraftScreen

pytestmark = pytest.mark.anyio

SIZE = (120, 40)


def editor(app: TunerApp) -> EditorScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, EditorScreen)
    return screen


async def change_barge_min_words(app: TunerApp, pilot: object, text: str = "3") -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    await editor(app).jump_to("barge_min_words")
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("ctrl+u", *text)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_quit_from_the_command_palette_asks_first_with_unsaved_changes() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await change_barge_min_words(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quit")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        assert app.is_running


async def test_textuals_own_quit_action_asks_first_too() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await change_barge_min_words(app, pilot)
        titles = [c.title for c in app.get_system_commands(editor(app))]
        # One Quit in the palette, the one that asks.
        assert [t for t in titles if t.startswith("Quit")] == ["Quit (ctrl+q)"]
        await app.run_action("quit")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        assert app.is_running


async def test_ctrl_c_does_not_quit_and_says_how() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await editor(app).jump_to("audible_latency")  # a switch: ctrl+c is not copy there
        await pilot.pause()
        await pilot.press("enter", "ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert editor(app).session.unsaved() == 1
        assert "ctrl+q quits" in str(editor(app).query_one("#status").render())


async def test_unsaved_edits_are_kept_in_a_draft_on_every_change(presets_dir: Path) -> None:
    draft = presets_dir / ".drafts" / "normal.json"
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await change_barge_min_words(app, pilot, "7")
        assert json.loads(draft.read_text())["fields"] == {"barge_min_words": "7"}
        await pilot.press("ctrl+u", "2")  # back to the value on disk: nothing to keep
        await pilot.pause()
        assert not draft.exists()
        await pilot.press("ctrl+u", "4", "4")
        await pilot.pause()
        assert json.loads(draft.read_text())["fields"] == {"barge_min_words": "44"}
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not draft.exists()  # saved: the file holds it now


async def test_a_draft_is_offered_back_the_next_time_the_preset_opens(presets_dir: Path) -> None:
    first = make_app("normal")
    async with first.run_test(size=SIZE) as pilot:
        await change_barge_min_words(first, pilot, "5")
        field = editor(first).query_one("#edit-end_of_speech_timeout", Input)
        field.focus()
        await pilot.press("ctrl+u", "1", "0", "0")  # invalid: comes back as typed
        await pilot.pause()
        # The app ends without asking (as after a crash or a closed terminal).
    second = make_app("normal")
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(second.screen, RestoreDraftScreen)
        await pilot.click("#restore")
        await pilot.pause()
        screen = editor(second)
        assert screen.session.changes()["barge_min_words"] == (2, 5)
        assert screen.query_one("#edit-barge_min_words", Input).value == "5"
        assert screen.query_one("#edit-end_of_speech_timeout", Input).value == "100"
        assert "below the minimum" in screen.session.errors()["end_of_speech_timeout"]
    third = make_app("normal")
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(third.screen, RestoreDraftScreen)
        await pilot.click("#discard")
        await pilot.pause()
        assert editor(third).session.unsaved() == 0
    assert not (presets_dir / ".drafts" / "normal.json").exists()


async def test_discarding_on_quit_forgets_the_draft(presets_dir: Path) -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await change_barge_min_words(app, pilot)
        assert (presets_dir / ".drafts" / "normal.json").exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert not (presets_dir / ".drafts" / "normal.json").exists()


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_closing_the_terminal_or_a_kill_keeps_the_edits(
    presets_dir: Path, signum: signal.Signals
) -> None:
    """The real program in a pseudo-terminal, ended by a signal with an unsaved edit."""
    with PtyApp(["edit", "normal"], presets_dir) as app:
        app.wait_for(b"attention_timeout")
        app.write(b"\x15")  # ctrl+u: attention_timeout emptied, an unsaved change
        app.wait_for(b"1 unsaved change")
        app.write(b"0")  # attention_timeout = 0 (off)
        app.wait_for(b'"attention_timeout": 0')
        app.kill(signum)
        app.wait_exit()
    draft = json.loads((presets_dir / ".drafts" / "normal.json").read_text())
    assert draft["fields"] == {"attention_timeout": "0"}
    assert not (presets_dir / "normal.toml").exists()  # nothing saved without asking
    # And the next run offers it back, then saves it.
    with PtyApp(["edit", "normal"], presets_dir) as app:
        app.wait_for(b"Unsaved edits found")
        app.write(b"\r")  # "Restore them" has the focus
        app.wait_for(b"restored 1 unsaved edit")
        app.write(b"\x13")  # ctrl+s
        app.wait_for_file(presets_dir / "normal.toml")
        app.write(b"\x11")
        assert app.wait_exit() == 0
    assert (
        tomllib.loads((presets_dir / "normal.toml").read_text())["params"]["attention_timeout"] == 0
    )
