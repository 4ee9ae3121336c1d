"""Keys typed into the editor: every key of a burst is kept, and changing back is no change."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from editor_ready import until_complete
from pty_app import PtyApp
from textual import events
from textual.widgets import Input, Switch

from tuner.tui.app import TunerApp, make_app
from tuner.tui.screens.editor import EditorScreen

pytestmark = pytest.mark.anyio

SIZE = (120, 40)
#: 50 keys, letters, digits, spaces and punctuation, as a person types a prompt.
BURST = "Are you still there? Say yes, 1 2 3, or hold on..."


def editor(app: TunerApp) -> EditorScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, EditorScreen)
    return screen


def burst(app: TunerApp, text: str) -> None:
    """Post every key at once, as the driver does with one read of a fast typist's keys: none
    is handled before the last is queued."""
    for char in text:
        key = "space" if char == " " else char
        app.post_message(events.Key(key, char))


def keys(text: str) -> list[events.Key]:
    return [events.Key("space" if c == " " else c, c) for c in text]


async def test_keys_typed_before_the_first_frame_land_in_the_first_field_in_order() -> None:
    """Keys that arrive before the fields exist (the first frame draws them as text) are held
    and handled, in the order typed, once the editor is complete: none is lost or reordered."""
    app = make_app("normal")
    for key in keys("5"):
        app.post_message(key)  # queued before the app has drawn anything
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await until_complete(app, pilot)
        await pilot.pause()
        field = screen.query_one("#edit-attention_timeout", Input)
        assert app.focused is field
        assert field.value == "100005"  # normal's 10000, then the key typed
        assert screen.session.value("attention_timeout") == 100005


@pytest.mark.first_frame
async def test_a_burst_typed_while_the_first_frame_shows_is_kept_exactly() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(app)
        assert not screen.complete  # the first frame: rows draw their fields, no editor yet
        assert not screen.query(Input)
        burst(app, BURST)
        await until_complete(app, pilot)
        await pilot.pause()
        field = screen.query_one("#edit-attention_timeout", Input)
        assert app.focused is field
        assert field.value == "10000" + BURST
        # Not a number: kept as typed, with the model's message.
        assert screen.session.invalid["attention_timeout"][0] == "10000" + BURST


async def test_a_50_key_burst_into_a_text_field_keeps_exactly_the_keys_typed() -> None:
    assert len(BURST) == 50
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#edit-attention_timeout_prompt", Input)
        field.focus()
        await pilot.press("ctrl+u")  # clear the field: the field's own key
        await pilot.pause()
        burst(app, BURST)
        await pilot.pause()
        await pilot.pause()
        assert field.value == BURST
        assert editor(app).session.value("attention_timeout_prompt") == BURST


async def test_digits_typed_with_no_pause_between_them_are_the_number_typed() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#edit-end_of_speech_timeout", Input)
        field.focus()
        await pilot.press("ctrl+u")
        for _ in range(4):
            burst(app, "800")
            await pilot.pause()
            assert field.value == "800"
            assert editor(app).session.value("end_of_speech_timeout") == 800
            await pilot.press("ctrl+u")
            await pilot.pause()


async def test_bound_keys_in_a_burst_take_effect_where_they_were_typed() -> None:
    """Backspace, the arrows and ctrl+u are bindings, which Textual runs only once the key has
    bubbled up to the app; in one read with typed characters they ran after the characters
    that followed them (`12`, backspace, `5` gave `12`). Here they land where they were typed."""
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#edit-end_of_speech_timeout", Input)
        field.focus()
        await pilot.pause()
        sequence = [
            ("ctrl+u", None), ("1", "1"), ("2", "2"), ("backspace", "\x7f"), ("5", "5"),
            ("left", None), ("9", "9"), ("end", None), ("0", "0"), ("0", "0"),
            ("backspace", "\x7f"),
        ]  # fmt: skip
        for key, char in sequence:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert field.value == "1950"
        assert editor(app).session.value("end_of_speech_timeout") == 1950


async def test_a_switch_turned_on_and_off_again_is_no_change(presets_dir: Path) -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = editor(app)
        await screen.jump_to("audible_latency")
        await pilot.pause()
        switch = screen.query_one("#edit-audible_latency", Switch)
        assert app.focused is switch
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.changes() == {"audible_latency": (None, True)}
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.unsaved() == 0
        assert "no unsaved changes" in str(screen.query_one("#title").render())
        # Save something else: the switch that went back is not written.
        await screen.jump_to("barge_min_words")
        await pilot.pause()
        await pilot.press("ctrl+u", "4", "ctrl+s")
        await pilot.pause()
    params = tomllib.loads((presets_dir / "normal.toml").read_text())["params"]
    assert params["barge_min_words"] == 4
    assert "audible_latency" not in params


async def test_typing_a_value_back_to_the_one_on_disk_is_no_change() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#edit-end_of_speech_timeout", Input)
        field.focus()
        await pilot.press("ctrl+u", "9", "0", "0")
        await pilot.pause()
        assert editor(app).session.unsaved() == 1
        await pilot.press("ctrl+u", "5", "0", "0")
        await pilot.pause()
        assert editor(app).session.unsaved() == 0


def test_keys_written_to_a_terminal_before_the_first_frame_are_saved(presets_dir: Path) -> None:
    """The real program: keys written the moment it starts, before it has drawn anything."""
    with PtyApp(["edit", "normal"], presets_dir) as app:
        app.write(b"5")  # into the first field, after normal's 10000
        app.wait_for(b"100005")
        app.write(b"\x13")  # ctrl+s
        app.wait_for_file(presets_dir / "normal.toml")
        app.write(b"\x11")  # ctrl+q: nothing unsaved, so it quits
        assert app.wait_exit() == 0
    params = tomllib.loads((presets_dir / "normal.toml").read_text())["params"]
    assert params["attention_timeout"] == 100005


def test_50_keys_and_editing_keys_written_to_a_terminal_at_once_are_saved_exactly(
    presets_dir: Path,
) -> None:
    """The real program under a pseudo-terminal, all in one write: tab to the prompt, ctrl+u,
    the 50 keys with backspaces, a left arrow and home among them, and ctrl+s. Each key takes
    effect where it was typed: the text lands in the prompt, the editing keys where they were
    pressed, and the save comes last."""
    with PtyApp(["edit", "normal"], presets_dir) as app:
        app.wait_for(b"attention_timeout")
        app.settle(0.5)
        typed = b"\t\x15" + BURST.encode() + b"\x7f\x7f\x7f!" + b"\x1b[D?" + b"\x1b[H>"
        app.write(typed + b"\x13")
        app.wait_for_file(presets_dir / "normal.toml")
        app.write(b"\x11")  # ctrl+q: nothing unsaved, so it quits
        assert app.wait_exit() == 0
    params = tomllib.loads((presets_dir / "normal.toml").read_text())["params"]
    assert params["attention_timeout_prompt"] == ">" + BURST[:-3] + "?!"


async def test_saving_from_the_editor_keeps_the_files_comments_and_order(
    presets_dir: Path,
) -> None:
    # A preset as a person writes one: their own comments and key order (unlike a generated one).
    (presets_dir / "support.toml").write_text(
        "# Support line: callers read out order numbers.\n"
        "[preset]\n"
        'description = "support"\n\n'
        "[params]\n"
        "barge_min_words = 3        # they say 'uh huh' a lot\n"
        "end_of_speech_timeout = 900\n"
    )
    app = make_app("support")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await editor(app).jump_to("barge_min_words")
        await pilot.pause()
        await pilot.press("ctrl+u", "5", "ctrl+s")
        await pilot.pause()
    assert (presets_dir / "support.toml").read_text() == (
        "# Support line: callers read out order numbers.\n"
        "[preset]\n"
        'description = "support"\n\n'
        "[params]\n"
        "barge_min_words = 5        # they say 'uh huh' a lot\n"
        "end_of_speech_timeout = 900\n"
    )


async def test_a_burst_across_fields_puts_each_key_in_the_field_it_was_typed_for() -> None:
    """Tab is the app's key: Textual runs it once it has gone down to the field and back up,
    while the keys typed after it were already on their way to the field that had the focus
    (`800`, tab, `5` in one read gave `8005` in the first field). Keys typed after a key bound
    above the field wait for it."""
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen.query_one("#edit-end_of_speech_timeout", Input)
        first.focus()
        await pilot.pause()
        typed = [("ctrl+u", None), *((c, c) for c in "800"), ("tab", "\t"), ("ctrl+u", None)]
        typed += [*((c, c) for c in "300"), ("shift+tab", None), ("backspace", "\x7f")]
        typed += [("9", "9")]
        for key, char in typed:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert first.value == "809" and app.focused is first
        session = editor(app).session
        assert session.value("end_of_speech_timeout") == 809
        changed = {k for k, (_, now) in session.changes().items() if now == 300}
        assert len(changed) == 1  # the field after end_of_speech_timeout holds 300
