"""What the editor shows: one rule for invalid values, nothing cut at 80x24, focus always seen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tuner.params import PARAM_NAMES, SPECS
from tuner.tui.app import TunerApp, make_app
from tuner.tui.commands import ParamCommands
from tuner.tui.screens.editor import EditorScreen
from tuner.tui.widgets.param_editor import ParamEditor
from tuner.tui.widgets.param_row import ParamRow
from tuner.tui.widgets.timeline import Timeline

pytestmark = pytest.mark.anyio

SMALL, LARGE = (80, 24), (120, 40)
TCSS = Path(__file__).resolve().parents[2] / "tuner" / "tui" / "app.tcss"


def editor(app: TunerApp) -> EditorScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, EditorScreen)
    return screen


def preview(app: TunerApp, kind: str) -> str:
    return str(editor(app).query_one(f"#preview-{kind} .export-text", Static).render())


async def typed(app: TunerApp, pilot: object, key: str, text: str) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    await editor(app).jump_to(key)
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("ctrl+u", *text)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_copy_is_refused_while_a_value_is_invalid() -> None:
    app = make_app("normal")
    async with app.run_test(size=LARGE) as pilot:
        await typed(app, pilot, "end_of_speech_timeout", "200")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == ""
        status = str(editor(app).query_one("#status").render())
        assert status.startswith("cannot copy: end_of_speech_timeout: 200 is below the minimum")


async def views_of(app: TunerApp, pilot: Pilot[None]) -> tuple[str, str, int, str]:
    timeline = editor(app).query_one(Timeline)
    python = preview(app, "python")
    await pilot.press("ctrl+t")  # the TOML tab: drawn when shown
    await pilot.pause()
    return (
        python,
        preview(app, "toml"),
        timeline.turns["silence"].wait_ms,
        timeline.note,
    )


async def test_an_invalid_value_is_shown_the_same_way_typed_or_from_set(
    presets_dir: Path,
) -> None:
    typed_app = make_app("normal")
    async with typed_app.run_test(size=LARGE) as pilot:
        await typed(typed_app, pilot, "end_of_speech_timeout", "200")
        from_typing = await views_of(typed_app, pilot)
    (presets_dir / ".drafts" / "normal.json").unlink()  # not offered to the next app
    set_app = make_app("normal", overrides=["end_of_speech_timeout=200"])
    async with set_app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        await pilot.pause()
        from_set = await views_of(set_app, pilot)
    for typed_view, set_view in zip(from_typing, from_set, strict=True):
        assert typed_view == set_view
    python, toml, wait_ms, note = from_set
    # The value on disk is used, and every view says so.
    assert wait_ms == 500
    assert note == "⚠ end_of_speech_timeout: '200' is invalid: using 500, the value on disk"
    assert "# ⚠ end_of_speech_timeout: '200' is invalid: using 500" in python
    assert '"end_of_speech_timeout": 500,' in python
    assert "# ⚠ end_of_speech_timeout: '200' is invalid" in toml


async def test_an_invalid_value_not_set_on_disk_uses_the_platform_default() -> None:
    app = make_app("normal", overrides=["speech_event_timeout=99999"])
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        assert "using the platform default 1400" in preview(app, "python")
        assert '"speech_event_timeout"' not in preview(app, "python").split("\n", 2)[2]


async def test_the_cannot_save_message_goes_once_the_value_is_fixed() -> None:
    app = make_app("normal")
    async with app.run_test(size=LARGE) as pilot:
        await typed(app, pilot, "end_of_speech_timeout", "200")
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = editor(app).query_one("#status")
        assert "cannot save" in str(status.render())
        await pilot.press("ctrl+u", "8", "0", "0")
        await pilot.pause()
        assert str(status.render()) == ""


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
async def test_no_number_default_or_was_value_is_cut(size: tuple[int, int]) -> None:
    """Every row with a change (so it shows "● was …"): its field fits its placeholder and its
    longest value, and every line of its text is whole within the row's width."""
    overrides = []
    for key in PARAM_NAMES:
        spec = SPECS[key]
        if spec.kind in ("integer", "number") and spec.minimum is not None:
            overrides.append(f"{key}={spec.minimum:g}")
    app = make_app("normal", overrides=overrides)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        params = editor(app).query_one(ParamEditor)
        await params.build_all()
        await pilot.pause()
        for row in params.query(ParamRow):
            width = row.content_region.width
            lines = str(row.render()).splitlines()
            was = [line for line in lines if "● was" in line]
            if row.state.changed:
                assert was and "…" not in was[0], row.key
            field = row.editor
            if isinstance(field, Input) and "-text" not in field.classes:
                needed = max(len(field.placeholder), len(f"{row.spec.maximum:g}")) + 1
                assert field.content_region.width >= needed - 1, (row.key, field.size)
            for line in lines[:2]:
                # The name line and the field's line: never longer than the row (never cut).
                assert len(line.rstrip()) <= width, (row.key, line)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
async def test_previews_wrap_long_strings_instead_of_cutting_them(size: tuple[int, int]) -> None:
    app = make_app("normal")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for kind in ("python",):
            text = editor(app).query_one(f"#preview-{kind} .export-text", Static)
            box = editor(app).query_one(f"#preview-{kind}")
            assert text.outer_size.width <= box.scrollable_content_region.width
            assert box.max_scroll_x == 0
            logical = preview(app, kind).count("\n") + 1
            assert text.size.height >= logical


async def test_the_focused_row_is_marked_with_theme_colours() -> None:
    app = make_app("normal")
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        params = editor(app).query_one(ParamEditor)
        focused, other = params.row("attention_timeout"), params.row("end_of_speech_timeout")
        assert app.focused is focused.editor
        assert focused.styles.border_left[0] == "outer"
        assert other.styles.border_left[0] in ("blank", "")
        assert focused.styles.background != other.styles.background
    css = TCSS.read_text()
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b(?![-\w])", re.sub(r"#[a-z][\w-]*", "", css))


async def test_the_palette_finds_every_param_by_name() -> None:
    app = make_app("normal")
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        provider = ParamCommands(editor(app))
        for key in PARAM_NAMES:
            hits = [hit async for hit in provider.search(key)]
            best = max(hits, key=lambda h: h.score)
            assert best.text == key


async def test_the_palette_jumps_to_a_param_and_shows_it() -> None:
    app = make_app("normal")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"barge_min_w")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        row = editor(app).query_one(ParamEditor).row("barge_min_words")
        assert app.focused is row.editor
        assert editor(app).query_one(ParamEditor).can_view_entire(row.editor)


async def test_the_focused_field_stays_in_view_while_rows_above_it_grow() -> None:
    app = make_app("normal")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        params = editor(app).query_one(ParamEditor)
        await params.build_all()  # every row below the first screen is there to grow
        row = params.row("end_of_speech_timeout")
        field = row.editor
        field.focus()
        await pilot.pause()
        # The field on the last line of the view.
        bottom = params.scrollable_content_region.bottom - 1
        params.scroll_to(y=params.scroll_y + field.region.y - bottom, animate=False, immediate=True)
        await pilot.pause()
        assert params.can_view_entire(field)
        # 9000 ms: attention_timeout (above) warns, its row grows by its warning's lines.
        await pilot.press("ctrl+u", *"9000")
        await pilot.pause()
        await pilot.pause()
        assert params.row("attention_timeout").state.warnings
        assert params.can_view_entire(field)


async def test_ctrl_t_puts_the_focus_in_the_tab_it_shows() -> None:
    app = make_app("normal")
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("ctrl+t", "ctrl+t")  # TOML, then Diff
        await pilot.pause()
        assert app.focused is editor(app).query_one("#compare-with")


async def test_messages_stay_in_the_status_line_and_never_cover_the_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app("elderly")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.click("#export")  # the default name, elderly.toml, in the working folder
        await pilot.pause()
        status = str(editor(app).query_one("#status").render())
        assert status == f"exported toml to {tmp_path / 'elderly.toml'}"
        assert not app._notifications
