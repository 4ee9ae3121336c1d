"""`PresetStore`: one injected object finds, lists, loads and saves presets; files it writes get
the umask's mode, and saving over a preset keeps what a person wrote in it."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tuner.cli import main
from tuner.presets import PresetStore, builtin_dir
from tuner.tui.app import make_app


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_store_is_its_folders_and_nothing_else(tmp_path: Path) -> None:
    builtins, users = tmp_path / "builtins", tmp_path / "users"
    builtins.mkdir()
    users.mkdir()
    (builtins / "base.toml").write_text("[params]\nbarge_min_words = 2\n")
    (users / "base.toml").write_text('[preset]\nextends = "base"\n[params]\nai_volume = 3\n')
    store = PresetStore(users, builtin=builtins)
    assert [(i.name, i.source) for i in store.list_presets()] == [("base", "user")]
    assert store.shadows_builtin("base") and not store.shadows_builtin("normal")
    base = store.load("base")
    assert base.params.values() == {"barge_min_words": 2, "ai_volume": 3}
    assert store.path_for("mine") == users / "mine.toml"


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_presets_get_the_mode_the_umask_allows(
    umask: int, expected: int, user_presets: Path
) -> None:
    old = os.umask(umask)
    try:
        store = PresetStore()
        path = store.save(store.load("normal").with_overrides({"ai_volume": 1}))
    finally:
        os.umask(old)
    assert mode(path) == expected


def test_every_way_of_saving_gives_0644_under_umask_022(
    umask_022: None, user_presets: Path, tmp_path: Path
) -> None:
    assert main(["new", "made", "--set", "ai_volume=1"]) == 0
    assert main(["export", "normal", "-o", str(tmp_path / "out.toml")]) == 0
    session = make_app("normal", overrides=["barge_min_words=3"]).session
    edited = session.save()
    for path in (user_presets / "made.toml", tmp_path / "out.toml", edited):
        assert mode(path) == 0o644, path


def test_a_preset_is_judged_by_the_model_once_per_file(
    monkeypatch: pytest.MonkeyPatch, user_presets: Path
) -> None:
    from tuner.presets import document

    user_presets.mkdir()
    (user_presets / "child.toml").write_text(
        '[preset]\nextends = "elderly"\n[params]\nai_volume = 1\n'
    )
    calls: list[object] = []
    real = document.judge_params

    def counting(params: Mapping[str, object], *args: Any, **kw: Any) -> Any:
        calls.append(params)
        return real(params, *args, **kw)

    monkeypatch.setattr(document, "judge_params", counting)
    for preset in (PresetStore().load("child"), PresetStore().peek("child")):
        assert preset.params.ai_volume == 1 and preset.params.end_of_speech_timeout == 800
    assert len(calls) == 4  # child.toml and elderly.toml for each, nothing else


# -- saving over a file keeps what a person wrote ----------------------------------------------
HAND_WRITTEN = """\
# Support line: callers read out order numbers, so give them time.
[preset]
description = "Support line"   # shown by `speech-tuner list`
extends = "normal"

[params]
# Order numbers are read in chunks: 900 ms keeps a pause inside a number.
end_of_speech_timeout   = 900     # ms
barge_min_words = 3 # a cough should not cut the agent off
# louder for the warehouse line
ai_volume = 4
"""


def test_saving_changes_only_the_edited_value_and_keeps_comments_and_layout(
    user_presets: Path,
) -> None:
    user_presets.mkdir()
    path = user_presets / "support.toml"
    path.write_text(HAND_WRITTEN)
    store = PresetStore()
    store.save(store.load("support").with_overrides({"end_of_speech_timeout": 1000}))
    assert path.read_text() == HAND_WRITTEN.replace("= 900     # ms", "= 1000     # ms")


def test_a_new_param_goes_beside_its_neighbours_and_a_removed_one_takes_its_comment(
    user_presets: Path,
) -> None:
    user_presets.mkdir()
    path = user_presets / "support.toml"
    path.write_text(HAND_WRITTEN)
    store = PresetStore()
    edited = store.load("support").with_overrides(
        {"first_word_timeout": 1200, "barge_min_words": None, "digit_timeout": 4000}
    )
    store.save(edited)
    text = path.read_text()
    lines = text.splitlines()
    # first_word_timeout follows end_of_speech_timeout, as in the model's order.
    at = next(i for i, line in enumerate(lines) if line.startswith("end_of_speech_timeout"))
    assert lines[at + 1].startswith("first_word_timeout = 1200  # ms, 0–10000;")
    assert "cough" not in text and "barge_min_words" not in text
    assert "# louder for the warehouse line\nai_volume = 4\n" in text
    assert lines[-1].startswith("digit_timeout = 4000  #")
    assert text.startswith("# Support line: callers read out order numbers")
    assert tomllib.loads(text)["params"] == {
        "end_of_speech_timeout": 900,
        "first_word_timeout": 1200,
        "ai_volume": 4,
        "digit_timeout": 4000,
    }
    again = store.load("support").params.values()
    # A param cleared in a preset that extends another falls back to the parent's value.
    assert again == {**edited.params.values(), "barge_min_words": 2}


def test_the_editor_saves_a_hand_written_preset_without_losing_its_comments(
    user_presets: Path,
) -> None:
    user_presets.mkdir()
    path = user_presets / "support.toml"
    path.write_text(HAND_WRITTEN)
    session = make_app("support", overrides=["ai_volume=6"]).session
    session.save()
    assert path.read_text() == HAND_WRITTEN.replace("ai_volume = 4", "ai_volume = 6")


def test_a_user_copy_of_a_built_in_keeps_the_built_ins_comments(user_presets: Path) -> None:
    store = PresetStore()
    path = store.save(store.load("elderly").with_overrides({"barge_min_words": 4}))
    built_in = (builtin_dir() / "elderly.toml").read_text()
    assert path.read_text() == built_in.replace("barge_min_words = 3", "barge_min_words = 4")


def test_a_preset_table_is_added_under_a_heading_comment_and_dropped_when_emptied(
    user_presets: Path,
) -> None:
    user_presets.mkdir()
    path = user_presets / "desk.toml"
    path.write_text("# Desk phones in the office.\n\n[params]\nai_volume = 1  # mine\n")
    store = PresetStore()
    preset = store.load("desk")
    preset.description = "Desk phones"
    store.save(preset)
    assert path.read_text() == (
        "# Desk phones in the office.\n\n"
        '[preset]\ndescription = "Desk phones"\n\n'
        "[params]\nai_volume = 1  # mine\n"
    )
    preset.description = ""
    store.save(preset)
    assert path.read_text() == "# Desk phones in the office.\n\n[params]\nai_volume = 1  # mine\n"


def test_text_that_cannot_be_edited_in_place_is_written_fresh(user_presets: Path) -> None:
    user_presets.mkdir()
    path = user_presets / "dotted.toml"
    path.write_text("params.ai_volume = 1\nparams.barge_min_words = 2\n")
    store = PresetStore()
    store.save(store.load("dotted").with_overrides({"ai_volume": 2}))
    assert tomllib.loads(path.read_text())["params"] == {"barge_min_words": 2, "ai_volume": 2}


def test_new_with_force_writes_a_fresh_file(user_presets: Path) -> None:
    user_presets.mkdir()
    (user_presets / "mine.toml").write_text("# old notes\n[params]\nai_volume = 1\n")
    assert main(["new", "mine", "--force", "--set", "ai_volume=2"]) == 0
    assert "old notes" not in (user_presets / "mine.toml").read_text()
