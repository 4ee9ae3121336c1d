"""The editor's first frame is drawn from stand-ins (rows drawing their fields, the side tabs and
the latencies as text) that the real widgets replace right after it: the first frame must show
what the complete editor shows, so nothing moves or changes colour when they do."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_ready import until_complete
from rich.color import Color

from tuner.presets import BUILTIN_NAMES
from tuner.tui.app import TunerApp, make_app

pytestmark = [pytest.mark.anyio, pytest.mark.first_frame]

SIZES = [(80, 24), (120, 40)]
#: A cell as a person sees it: its character, its colours and its text style.
Cell = tuple[str, tuple[int, int, int] | None, tuple[int, int, int] | None, str]


def rgb(color: Color | None) -> tuple[int, int, int] | None:
    return tuple(color.get_truecolor()) if color is not None else None  # type: ignore[return-value]


def screen_cells(app: TunerApp) -> list[list[Cell]]:
    """Every cell of the screen as the compositor draws it now."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row: list[Cell] = []
        for segment in strip:
            style = segment.style
            for char in segment.text:
                if style is None:
                    row.append((char, None, None, ""))
                    continue
                flags = "".join(
                    flag
                    for flag, on in (("b", style.bold), ("i", style.italic), ("r", style.reverse))
                    if on
                )
                fg, bg = rgb(style.color), rgb(style.bgcolor)
                if style.reverse:  # as seen
                    fg, bg = bg, fg
                # The colour of a blank is never seen.
                row.append((char, fg if char != " " else None, bg, flags.replace("r", "")))
        rows.append(row)
    return rows


def differences(first: list[list[Cell]], complete: list[list[Cell]], skip: set[int]) -> list[str]:
    """Cells that differ beyond a tint no one can see (a few units of one colour)."""

    def close(a: tuple[int, int, int] | None, b: tuple[int, int, int] | None) -> bool:
        if a is None or b is None:
            return a == b
        return all(abs(x - y) <= 4 for x, y in zip(a, b, strict=True))

    out = []
    for y, (row_a, row_b) in enumerate(zip(first, complete, strict=True)):
        for x, (a, b) in enumerate(zip(row_a, row_b, strict=True)):
            if x in skip:
                continue
            same = a[0] == b[0] and a[3] == b[3] and close(a[1], b[1]) and close(a[2], b[2])
            if not same:
                out.append(f"({x},{y}) {a} -> {b}")
    return out


async def first_and_complete(app: TunerApp, size: tuple[int, int]) -> list[str]:
    async with app.run_test(size=size) as pilot:
        screen = app.screen_stack[0]
        frames: list[list[list[Cell]]] = []
        # As the first frame is painted (the stand-ins are replaced two refreshes later).
        screen.call_after_refresh(lambda: frames.append(screen_cells(app)))
        assert not screen.complete  # type: ignore[attr-defined]
        while not frames:
            await pilot.pause()
        first = frames[0]
        await until_complete(app, pilot)
        await pilot.pause()
        complete = screen_cells(app)
        # The params' scroll bar: its thumb's length depends on how many rows exist, and the
        # rows below the first screen are built after it.
        bar = screen.query_one("#params").vertical_scrollbar.region
        skip = set(range(bar.x, bar.right))
    # The footer's keys are drawn once the bindings are gathered, in both.
    return differences(first[:-1], complete[:-1], skip)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("name", BUILTIN_NAMES)
async def test_the_first_frame_of_each_builtin_is_the_complete_editor(
    name: str, size: tuple[int, int]
) -> None:
    assert await first_and_complete(make_app(name), size) == []


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_first_frame_of_a_user_preset_with_set_values_is_the_complete_editor(
    presets_dir: Path, size: tuple[int, int]
) -> None:
    # As a person writes one: extends a built-in, changes a number and a switch.
    (presets_dir / "support.toml").write_text(
        '[preset]\nextends = "normal"\n\n[params]\n'
        "attention_timeout = 20000\nwait_for_user = true\n",
        encoding="utf-8",
    )
    app = make_app(
        "support", overrides=["attention_timeout_prompt=Still with me?", "initial_sleep_ms=0"]
    )
    assert await first_and_complete(app, size) == []


async def test_the_garbage_collector_waits_for_the_editor_and_then_runs_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up pauses the cyclic collector (it would scan the whole heap again and again before
    the first frame); it must run again once the editor is complete, and after any way out."""
    import gc

    from tuner.tui.screens.editor import EditorScreen

    seen: dict[str, bool] = {}
    before = EditorScreen._after_first_frame

    async def after_first_frame(self: EditorScreen) -> None:
        seen["before complete"] = gc.isenabled()
        await before(self)

    monkeypatch.setattr(EditorScreen, "_after_first_frame", after_first_frame)

    async def look(pilot: object) -> None:
        await until_complete(app, pilot)
        await pilot.pause()  # type: ignore[attr-defined]
        seen["complete"] = gc.isenabled()
        app.exit()

    assert gc.isenabled()
    app = make_app("normal")
    await app.run_async(headless=True, size=(80, 24), auto_pilot=look)
    assert seen == {"before complete": False, "complete": True}
    assert gc.isenabled()

    # Quit before the editor is complete: the collector runs again all the same.
    early = make_app("normal")
    early.call_later(early.exit)
    await early.run_async(headless=True, size=(80, 24))
    assert gc.isenabled()
