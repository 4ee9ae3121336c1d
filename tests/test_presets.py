"""Presets are found, inherited, shadowed and saved the way DESIGN.md promises."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuner import presets
from tuner.errors import TunerError
from tuner.export import render, to_toml
from tuner.model import SpeechTiming


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(exc: pytest.ExceptionInfo[TunerError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_built_ins_follow_the_course_timing_table() -> None:
    eos = {n: presets.load(n).params.end_of_speech_timeout for n in ("quick", "normal", "elderly")}
    assert eos == {"quick": 300, "normal": 500, "elderly": 800}
    normal = presets.load("normal").params
    assert normal.attention_timeout == 10000
    assert normal.attention_timeout_prompt == "Are you still there?"
    assert normal.barge_min_words == 2


@pytest.mark.parametrize("name", presets.BUILTIN_NAMES)
def test_each_built_in_sets_the_core_params_with_a_reason(name: str) -> None:
    preset = presets.load(name)
    required = {
        "attention_timeout",
        "attention_timeout_prompt",
        "end_of_speech_timeout",
        "first_word_timeout",
        "turn_detection_timeout",
        "barge_min_words",
        "speech_rate",
        "ai_volume",
    }
    assert required <= set(preset.own)
    assert preset.source == "built-in" and preset.description
    lines = (presets.builtin_dir() / f"{name}.toml").read_text().splitlines()
    for key in required - {"attention_timeout_prompt"}:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
        assert lines[at - 1].startswith("#"), f"{name}.{key} has no comment saying why"
    # Only the documented speech_rate warning: the built-ins are otherwise consistent.
    assert [w.key for w in preset.warnings()] == ["speech_rate"]


def test_a_user_preset_extends_another_and_records_where_values_come_from(
    user_presets: Path,
) -> None:
    write(user_presets / "base.toml", '[preset]\nextends = "elderly"\n[params]\nai_volume = 9\n')
    write(
        user_presets / "child.toml",
        '[preset]\nextends = "base"\ndescription = "x"\n[params]\nend_of_speech_timeout = 900\n',
    )
    child = presets.load("child")
    assert child.params.end_of_speech_timeout == 900
    assert child.params.ai_volume == 9
    assert child.params.barge_min_words == 3
    assert child.origin("end_of_speech_timeout") == "this preset"
    assert child.origin("ai_volume") == "from base"
    assert child.origin("barge_min_words") == "from elderly"
    assert child.origin("speech_timeout") == "platform default"


def test_extends_cycles_and_missing_parents_are_clear_errors(user_presets: Path) -> None:
    write(user_presets / "a.toml", '[preset]\nextends = "b"\n')
    write(user_presets / "b.toml", '\n[preset]\nextends = "a"\n')
    with pytest.raises(TunerError) as exc:
        presets.load("a")
    assert "extends cycle: a -> b -> a" in messages(exc)[0]
    assert ":3: extends:" in messages(exc)[0]
    write(user_presets / "c.toml", '[preset]\nextends = "nromal"\n')
    with pytest.raises(TunerError) as exc:
        presets.load("c")
    assert 'c.toml:2: extends: cannot extend: unknown preset "nromal"' in messages(exc)[0]
    assert 'did you mean "normal"' in messages(exc)[0]


def test_a_user_preset_shadows_the_built_in_and_may_extend_it(user_presets: Path) -> None:
    write(user_presets / "normal.toml", '[preset]\nextends = "normal"\n[params]\nai_volume = 3\n')
    mine = presets.load("normal")
    assert mine.source == "user"
    assert mine.params.ai_volume == 3
    assert mine.params.end_of_speech_timeout == 500  # from the built-in it extends
    listed = {p.name: p.source for p in presets.list_presets()}
    assert listed == {"quick": "built-in", "normal": "user", "elderly": "built-in"}


def test_presets_dir_option_wins_over_the_environment(tmp_path: Path, user_presets: Path) -> None:
    write(tmp_path / "other" / "solo.toml", "[params]\nai_volume = 1\n")
    assert presets.load("solo", tmp_path / "other").params.ai_volume == 1
    with pytest.raises(TunerError):
        presets.load("solo")


def test_an_explicit_path_is_loaded_even_with_an_odd_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "My Agent.toml", "[params]\nbarge_min_words = 4\n")
    loaded = presets.load(str(path))
    assert loaded.source == "file" and loaded.params.barge_min_words == 4


@pytest.mark.parametrize("name", ["../evil", "a/b", "UPPER", "", "x" * 65, "sp ace", "dot.ted"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(TunerError) as exc:
        presets.check_name(name)
    assert "not a valid preset name" in messages(exc)[0]


def test_saving_a_built_in_writes_a_user_preset_that_shadows_it(user_presets: Path) -> None:
    normal = presets.load("normal")
    edited = presets.with_overrides(normal, {"end_of_speech_timeout": 650})
    path = presets.save(edited)
    assert path == user_presets / "normal.toml"
    assert (presets.builtin_dir() / "normal.toml").read_text().count("= 500") == 1
    reloaded = presets.load("normal")
    assert reloaded.source == "user" and reloaded.params.end_of_speech_timeout == 650


def test_saving_into_the_built_in_folder_is_refused() -> None:
    with pytest.raises(TunerError, match="never overwritten"):
        presets.save(presets.load("quick"), path=presets.builtin_dir() / "quick.toml")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    user_presets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write(user_presets / "keep.toml", "[params]\nai_volume = 1\n")
    before = old.read_text()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    preset = presets.with_overrides(presets.load("keep"), {"ai_volume": 2})
    with pytest.raises(TunerError, match="No space left on device"):
        presets.save(preset)
    assert old.read_text() == before
    assert sorted(p.name for p in user_presets.iterdir()) == ["keep.toml"]


def test_a_preset_that_extends_saves_only_what_differs(user_presets: Path) -> None:
    base = presets.load("normal")
    child = presets.from_params("support", {"end_of_speech_timeout": 650}, base=base)
    path = presets.save(child)
    text = path.read_text()
    assert 'extends = "normal"' in text
    assert "end_of_speech_timeout = 650" in text and "barge_min_words" not in text
    assert presets.load("support").params.barge_min_words == 2


@pytest.mark.parametrize("name", presets.BUILTIN_NAMES)
def test_toml_export_loads_back_to_the_same_values_and_is_stable(name: str, tmp_path: Path) -> None:
    first = render(presets.load(name), "toml")
    path = write(tmp_path / f"{name}-copy.toml", first)
    again = presets.load(str(path))
    assert again.params == presets.load(name).params
    assert render(again, "toml") == first


def test_exported_toml_of_every_value_type_round_trips(tmp_path: Path) -> None:
    params = SpeechTiming(
        end_of_speech_timeout="${eos}",
        enable_barge="complete,partial",
        energy_level=40.5,
        wait_for_user=True,
        hard_stop_time="1h5m",
        attention_timeout_prompt='Say "hi"\nthen wait',
        tts_number_format="national",
    )
    preset = presets.Preset("all", params=params, own=params.values())
    path = write(tmp_path / "all.toml", to_toml(preset))
    assert presets.load(str(path)).params == params


def test_assignments_parse_as_toml_values() -> None:
    parsed = presets.read_assignments(
        [
            "end_of_speech_timeout=650",
            "wait_for_user=true",
            'attention_timeout_prompt="Hello?"',
            "barge_match_string=cancel order",
            "energy_level=40.5",
            "end_of_speech_timeout=${eos}",
        ]
    )
    assert parsed == {
        "end_of_speech_timeout": "${eos}",
        "wait_for_user": True,
        "attention_timeout_prompt": "Hello?",
        "barge_match_string": "cancel order",
        "energy_level": 40.5,
    }
    with pytest.raises(TunerError) as exc:
        presets.read_assignments(["end_of_speech_timeout=9x", "nokey", "barge_min_word=2"])
    text = messages(exc)
    assert not any("9x" in m for m in text)  # values are the model's to judge, later
    assert any('"nokey" is not KEY=VALUE' in m for m in text)
    assert any('did you mean "barge_min_words"' in m for m in text)
