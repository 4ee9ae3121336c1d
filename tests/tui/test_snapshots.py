"""Whole-screen SVG snapshots of the editor's main states at 80x24 and 120x40."""

from __future__ import annotations

from typing import Any

import pytest
from editor_ready import until_complete
from textual.pilot import Pilot

from tuner.tui.app import TunerApp, make_app

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_the_editor_opens_on_normal(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app("normal"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_an_invalid_set_value_opens_with_the_models_error(
    snap_compare: Any, size: tuple[int, int]
) -> None:
    app = make_app("elderly", overrides=["end_of_speech_timeout=200", "barge_min_words=4"])
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_the_diff_tab_lists_the_changes(snap_compare: Any, size: tuple[int, int]) -> None:
    async def show_diff(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, TunerApp)
        await until_complete(pilot.app, pilot)  # the side tabs are built after the first frame
        pilot.app.query_one("#side").active = "tab-diff"  # type: ignore[attr-defined]
        await pilot.pause()

    app = make_app("normal", overrides=["end_of_speech_timeout=900", "barge_min_words=3"])
    assert snap_compare(app, terminal_size=size, run_before=show_diff)


def test_the_quit_guard_says_unsaved(snap_compare: Any) -> None:
    app = make_app("normal", overrides=["barge_min_words=3"])
    assert snap_compare(app, press=["ctrl+q"], terminal_size=(80, 24))


def test_the_help_screen_lists_the_keys(snap_compare: Any) -> None:
    assert snap_compare(make_app("normal"), press=["f1"], terminal_size=(120, 40))
