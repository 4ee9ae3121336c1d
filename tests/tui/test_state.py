"""The editor's headless session: what it holds, judges, compares and saves, without Textual."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tuner.errors import TunerError
from tuner.presets import PresetStore, builtin_dir, parse_overrides
from tuner.tui.state import Session


@pytest.fixture
def store(presets_dir: Path) -> PresetStore:
    return PresetStore(presets_dir)


def test_a_session_opens_with_the_values_on_disk_and_nothing_unsaved(store: PresetStore) -> None:
    session = Session.open(store, "elderly")
    assert session.name == "elderly" and session.saved.source == "built-in"
    assert session.values == store.load("elderly").params.values()
    assert session.unsaved() == 0 and session.errors() == {} and session.changes() == {}


def test_overrides_open_as_unsaved_edits_and_a_rejected_one_keeps_its_text(
    store: PresetStore,
) -> None:
    items = ["barge_min_words=4", "end_of_speech_timeout=100", "wait_for_user=on"]
    session = Session.open(store, "normal", parse_overrides(items))
    assert session.value("barge_min_words") == 4
    assert session.invalid == {
        "end_of_speech_timeout": ("100", "100 is below the minimum of 250 ms"),
        "wait_for_user": ("on", '"on" is not true or false'),
    }
    # The rejected field keeps the last valid value; it still counts as a change.
    assert session.value("end_of_speech_timeout") == 500
    assert set(session.changes()) == {"barge_min_words", "end_of_speech_timeout", "wait_for_user"}


def test_typed_text_is_read_like_set_and_judged_by_the_model(store: PresetStore) -> None:
    session = Session.open(store, "normal")
    assert session.set_text("end_of_speech_timeout", " 800.0 ") is None
    assert session.value("end_of_speech_timeout") == 800
    assert isinstance(session.value("end_of_speech_timeout"), int)
    assert session.set_text("vad_config", "75") is None and session.value("vad_config") == "75"
    assert session.set_text("enable_barge", "on") is None
    assert session.warnings()["enable_barge"][0].startswith("unknown barge mode 'on'")
    assert session.set_text("barge_min_words", "0") == "0 is below the minimum of 1 word"
    assert session.set_text("barge_min_words", "") is None  # empty: the platform default
    assert session.value("barge_min_words") is None
    assert "barge_min_words" not in session.errors()


def test_fixing_a_rejected_field_clears_its_error(store: PresetStore) -> None:
    session = Session.open(store, "normal")
    session.set_text("ai_volume", "99")
    assert "ai_volume" in session.errors()
    session.set_text("ai_volume", "9")
    assert session.errors() == {} and session.value("ai_volume") == 9


def test_revert_and_revert_all_go_back_to_the_file(store: PresetStore) -> None:
    session = Session.open(store, "normal", parse_overrides(["ai_volume=3", "speech_rate=9"]))
    session.revert("speech_rate")
    assert "speech_rate" not in session.invalid and session.value("speech_rate") == 1.0
    assert session.unsaved() == 1
    session.revert_all()
    assert session.unsaved() == 0 and session.value("ai_volume") == 0


def test_compare_lists_effective_differences_with_another_preset(store: PresetStore) -> None:
    session = Session.open(store, "normal")
    diff = session.compare(store.load("elderly"))
    assert diff["end_of_speech_timeout"] == (800, 500)
    session.set("end_of_speech_timeout", 800)
    assert "end_of_speech_timeout" not in session.compare(store.load("elderly"))


def test_saving_a_built_in_writes_a_user_copy_that_becomes_the_reference(
    store: PresetStore, presets_dir: Path
) -> None:
    builtin = (builtin_dir() / "normal.toml").read_text()
    session = Session.open(store, "normal", parse_overrides(["barge_min_words=3"]))
    assert session.target() == presets_dir / "normal.toml"
    assert session.shadows_builtin()
    path = session.save()
    assert path == presets_dir / "normal.toml"
    assert (builtin_dir() / "normal.toml").read_text() == builtin
    assert session.saved.source == "user" and session.unsaved() == 0
    assert tomllib.loads(path.read_text())["params"]["barge_min_words"] == 3


def test_a_preset_that_extends_another_saves_only_what_differs(
    store: PresetStore, presets_dir: Path
) -> None:
    (presets_dir / "child.toml").write_text(
        '[preset]\nextends = "normal"\n[params]\nai_volume = 2\n'
    )
    session = Session.open(store, "child")
    session.set("barge_min_words", 5)
    session.set("end_of_speech_timeout", 500)  # the parent's own value: nothing to write
    session.save()
    written = tomllib.loads((presets_dir / "child.toml").read_text())
    assert written == {
        "preset": {"extends": "normal"},
        "params": {"ai_volume": 2, "barge_min_words": 5},
    }


def test_save_as_writes_a_new_user_preset_and_opens_it(
    store: PresetStore, presets_dir: Path
) -> None:
    session = Session.open(store, "quick", parse_overrides(["ai_volume=1"]))
    assert not session.shadows_builtin("brisk")
    path = session.save("brisk")
    assert path == presets_dir / "brisk.toml" and session.name == "brisk"
    assert not (presets_dir / "quick.toml").exists()
    with pytest.raises(TunerError):
        session.target("Not A Name")


def test_a_preset_opened_by_path_is_saved_in_place(store: PresetStore, tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "Mine.toml"
    path.parent.mkdir()
    path.write_text("[params]\nai_volume = 1\n")
    session = Session.open(store, str(path))
    assert session.target() == path
    session.set("ai_volume", 2)
    assert session.save() == path
    assert path.read_text() == "[params]\nai_volume = 2\n"


def test_an_invalid_field_blocks_saving_and_nothing_is_written(
    store: PresetStore, presets_dir: Path
) -> None:
    session = Session.open(store, "normal", parse_overrides(["ai_volume=99"]))
    with pytest.raises(TunerError) as exc:
        session.save()
    assert str(exc.value) == "ai_volume: 99 is above the maximum of 50 steps"
    assert not (presets_dir / "normal.toml").exists()


def test_a_change_on_disk_since_opening_is_noticed(store: PresetStore, presets_dir: Path) -> None:
    (presets_dir / "mine.toml").write_text("[params]\nai_volume = 1\n")
    session = Session.open(store, "mine")
    assert not session.changed_on_disk()
    (presets_dir / "mine.toml").write_text("[params]\nai_volume = 7\n")
    assert session.changed_on_disk()
    session.save()
    assert not session.changed_on_disk()
