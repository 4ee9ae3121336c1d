"""The editor driven by keys through Textual's Pilot, checked on its state and on the files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, Static, Switch

from tuner import presets
from tuner.tui.app import TunerApp, make_app
from tuner.tui.screens.confirm_quit import ConfirmQuitScreen
from tuner.tui.screens.editor import EditorScreen
from tuner.tui.screens.switch_preset import SwitchPresetScreen
from tuner.tui.widgets.param_editor import ParamEditor
from tuner.tui.widgets.preset_list import PresetList
from tuner.tui.widgets.timeline import Timeline

pytestmark = pytest.mark.anyio

SIZE = (120, 40)


def editor(app: TunerApp) -> EditorScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, EditorScreen)
    return screen


async def type_into(app: TunerApp, pilot: object, key: str, text: str) -> None:
    # Rows below the first screenful are built after the first frame: on a busy machine that
    # can take more than one pause.
    for _ in range(100):
        await pilot.pause()  # type: ignore[attr-defined]
        if app.screen.query(f"#edit-{key}"):
            break
    field = app.screen.query_one(f"#edit-{key}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press(*text)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def row_lines(app: TunerApp, key: str) -> list[str]:
    """The text of a param's row as drawn: name, (editor,) unit and range, help, messages."""
    return str(editor(app).query_one(ParamEditor).row(key).render()).splitlines()


def message_under(app: TunerApp, key: str) -> str:
    return "\n".join(line for line in row_lines(app, key)[3:])


def saved(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text())["params"]  # type: ignore[no-any-return]


async def test_typing_a_value_marks_it_changed_and_updates_the_previews() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "end_of_speech_timeout", "900")
        screen = editor(app)
        assert screen.session.changes() == {"end_of_speech_timeout": (500, 900)}
        python = str(screen.query_one("#preview-python .export-text", Static).render())
        assert '"end_of_speech_timeout": 900,' in python
        await pilot.press("ctrl+t")  # the TOML tab: drawn when shown
        await pilot.pause()
        toml = str(screen.query_one("#preview-toml .export-text", Static).render())
        assert "end_of_speech_timeout = 900" in toml
        assert "was 500" in row_lines(app, "end_of_speech_timeout")[0]
        assert "1 unsaved change" in str(screen.query_one("#title", Static).render())


async def test_an_invalid_value_shows_the_models_message_and_cannot_be_saved(
    presets_dir: Path,
) -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "end_of_speech_timeout", "200")
        assert message_under(app, "end_of_speech_timeout") == (
            "✗ 200 is below the minimum of 250 ms"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not (presets_dir / "normal.toml").exists()
        assert "cannot save" in str(editor(app).query_one("#status", Static).render())


async def test_warnings_are_shown_apart_from_errors() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "turn_detection_timeout", "600")
        text = message_under(app, "turn_detection_timeout")
        assert text.startswith("⚠") and "not shorter than end_of_speech_timeout" in text
        assert editor(app).session.errors() == {}


async def test_saving_a_builtin_writes_a_user_preset_that_shadows_it(presets_dir: Path) -> None:
    builtin = (presets.builtin_dir() / "normal.toml").read_text()
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = editor(app)
        assert "shadows the built-in normal" in str(screen.query_one("#status", Static).render())
        assert screen.session.unsaved() == 0
        assert screen.session.saved.source == "user"
    assert saved(presets_dir / "normal.toml")["barge_min_words"] == 4
    assert (presets.builtin_dir() / "normal.toml").read_text() == builtin
    assert presets.load("normal").params.barge_min_words == 4


async def test_save_as_asks_a_valid_name_and_writes_a_new_preset(presets_dir: Path) -> None:
    app = make_app("quick")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "end_of_speech_timeout", "350")
        await pilot.press("ctrl+n")
        await pilot.pause()
        name = app.screen.query_one("#save-as-name", Input)
        name.value = ""
        await pilot.press(*"Bad Name", "enter")
        await pilot.pause()
        assert "not a valid preset name" in str(app.screen.query_one("#save-as-error").render())
        name.value = ""
        await pilot.press(*"brisk", "enter")
        await pilot.pause()
        assert editor(app).session.name == "brisk"
        assert editor(app).session.unsaved() == 0
    assert saved(presets_dir / "brisk.toml")["end_of_speech_timeout"] == 350
    assert not (presets_dir / "quick.toml").exists()


async def test_revert_puts_the_focused_field_back_and_revert_all_every_field() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "7")
        await type_into(app, pilot, "end_of_speech_timeout", "950")
        await pilot.press("ctrl+r")
        await pilot.pause()
        screen = editor(app)
        assert screen.query_one("#edit-end_of_speech_timeout", Input).value == "500"
        assert screen.session.changes() == {"barge_min_words": (2, 7)}
        await screen.run_action("revert_all")
        await pilot.pause()
        assert screen.session.unsaved() == 0
        assert screen.query_one("#edit-barge_min_words", Input).value == "2"


async def test_quitting_with_unsaved_changes_asks_and_cancel_keeps_the_app() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "3")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        assert "unsaved" in str(app.screen.query_one(".dialog-message").render())
        await pilot.click("#cancel")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.is_running
        assert editor(app).session.unsaved() == 1


async def test_quit_then_save_writes_the_file_and_exits(presets_dir: Path) -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "3")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
    assert app.return_code == 0
    assert saved(presets_dir / "normal.toml")["barge_min_words"] == 3


async def test_quitting_without_changes_exits_at_once() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not any(isinstance(s, ConfirmQuitScreen) for s in app.screen_stack)
    assert app.return_code == 0


async def test_opening_another_preset_with_unsaved_changes_asks_first() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "5")
        screen = editor(app)
        screen.query_one("#preset-list", PresetList).post_message(PresetList.Chosen("elderly"))
        await pilot.pause()
        assert isinstance(app.screen, SwitchPresetScreen)
        await pilot.click("#cancel")
        await pilot.pause()
        assert screen.session.name == "normal" and screen.session.unsaved() == 1
        screen.query_one("#preset-list", PresetList).post_message(PresetList.Chosen("elderly"))
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert screen.session.name == "elderly" and screen.session.unsaved() == 0
        assert screen.query_one("#edit-end_of_speech_timeout", Input).value == "800"


async def test_a_failed_save_shows_the_error_and_keeps_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the presets folder should be")
    app = make_app("normal", presets_dir=blocker / "presets")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = editor(app)
        assert "not saved, your edits are kept" in str(screen.query_one("#status", Static).render())
        assert screen.session.changes() == {"barge_min_words": (2, 6)}
        assert screen.query_one("#edit-barge_min_words", Input).value == "6"


async def test_set_values_open_as_unsaved_changes_and_an_invalid_one_shows_its_error() -> None:
    app = make_app("normal", overrides=["barge_min_words=3", "end_of_speech_timeout=100"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = editor(app)
        assert screen.session.changes() == {
            "end_of_speech_timeout": (500, 500),
            "barge_min_words": (2, 3),
        }
        assert screen.query_one("#edit-end_of_speech_timeout", Input).value == "100"
        assert message_under(app, "end_of_speech_timeout") == (
            "✗ 100 is below the minimum of 250 ms"
        )
        assert app.focused is screen.query_one("#edit-end_of_speech_timeout")


async def test_saving_over_a_file_changed_on_disk_asks_before_overwriting(
    presets_dir: Path,
) -> None:
    (presets_dir / "mine.toml").write_text("[params]\nbarge_min_words = 2\n")
    app = make_app("mine")
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "barge_min_words", "4")
        (presets_dir / "mine.toml").write_text("[params]\nbarge_min_words = 9\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "changed on disk" in str(app.screen.query_one(".dialog-message").render())
        await pilot.click("#cancel")
        await pilot.pause()
        assert saved(presets_dir / "mine.toml")["barge_min_words"] == 9
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#overwrite")
        await pilot.pause()
    assert saved(presets_dir / "mine.toml")["barge_min_words"] == 4


async def test_the_timeline_redraws_when_end_of_speech_timeout_changes() -> None:
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        timeline = editor(app).query_one(Timeline)
        assert timeline.turns["silence"].first_response_ms == 500 + 950
        await type_into(app, pilot, "end_of_speech_timeout", "1500")
        assert timeline.turns["silence"].first_response_ms == 1500 + 950
        assert "poor" in str(timeline.render())
        switch = editor(app).query_one("#edit-enable_turn_detection", Switch)
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert timeline.turns["detected"].wait_ms == 1500


async def test_the_copy_key_puts_the_set_params_call_on_the_clipboard() -> None:
    app = make_app("elderly")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard.startswith("# speech-tuner preset: elderly\nagent.set_params({")
    from signalwire_agents import AgentBase

    agent = AgentBase(name="copied")
    exec(app.clipboard, {"agent": agent})
    assert agent._params["end_of_speech_timeout"] == 800
    assert agent._params["barge_min_words"] == 3


async def test_export_writes_the_chosen_format_to_the_given_path(tmp_path: Path) -> None:
    target = tmp_path / "out" / "elderly.json"
    app = make_app("elderly")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-format").value = "json"  # type: ignore[attr-defined]
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export")
        await pilot.pause()
    assert '"end_of_speech_timeout": 800' in target.read_text()


async def test_every_key_is_in_the_help_screen_and_the_command_palette() -> None:
    from tuner.tui.keys import KEYS
    from tuner.tui.screens.help import keys_table

    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        commands = [c.title for c in app.get_system_commands(editor(app))]
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query_one("#help-keys")
    actions = list(keys_table().columns[1].cells)
    for binding in KEYS:
        assert binding.id and binding.tooltip
        assert any(title.startswith(binding.description) for title in commands)
        assert binding.description in actions
    assert "Revert all" in commands


async def test_keys_typed_faster_than_the_screen_updates_are_all_kept() -> None:
    """A terminal delivers a burst of keys in one read: the field handles them all before the
    screen sees the first change, and no echo of an earlier key may undo a later one."""
    app = make_app("normal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#edit-end_of_speech_timeout", Input)
        field.focus()
        await pilot.press("end")
        # backspace, backspace, 1, 5 -- each edits the field at once, as key handling does
        field.action_delete_left()
        field.action_delete_left()
        field.insert_text_at_cursor("1")
        field.insert_text_at_cursor("5")
        await pilot.pause()
        await pilot.pause()
        assert field.value == "515"
        assert editor(app).session.changes() == {"end_of_speech_timeout": (500, 515)}


@pytest.mark.parametrize(
    ("size", "order"),
    [
        ((120, 40), ["tab-toml", "tab-diff", "tab-python"]),
        ((80, 24), ["tab-toml", "tab-diff", "tab-presets", "tab-python"]),
    ],
)
async def test_ctrl_t_cycles_the_side_tabs_that_are_shown(
    size: tuple[int, int], order: list[str]
) -> None:
    from textual.widgets import TabbedContent

    app = make_app("normal", overrides=["barge_min_words=3"])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        tabs = editor(app).query_one("#side", TabbedContent)
        assert tabs.active == "tab-python"
        seen = []
        for _ in order:
            await pilot.press("ctrl+t")
            await pilot.pause()
            seen.append(tabs.active)
        assert seen == order
