"""apply_preset() on a real AgentBase, checked on the SWML the SDK renders."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from swml_helpers import rendered_params

from tuner import TunerError, active_preset, apply_preset, load, preset_params


def values(name: str) -> dict[str, Any]:
    return load(name).params.values()


def test_apply_preset_renders_exactly_the_presets_params(AgentBase: Any) -> None:
    agent = AgentBase(name="support")
    chosen = apply_preset(agent, "elderly")
    assert chosen.name == "elderly"
    assert rendered_params(agent) == values("elderly")
    assert active_preset(agent) == "elderly"


def test_keyword_overrides_replace_the_presets_values(AgentBase: Any) -> None:
    agent = AgentBase(name="support")
    assert values("elderly")["end_of_speech_timeout"] != 900
    apply_preset(agent, "elderly", end_of_speech_timeout=900, barge_min_words=4)
    assert rendered_params(agent) == {
        **values("elderly"),
        "end_of_speech_timeout": 900,
        "barge_min_words": 4,
    }


def test_without_a_name_the_preset_comes_from_the_environment(
    AgentBase: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEECH_TUNER_PRESET", "quick")
    agent = AgentBase(name="support")
    assert apply_preset(agent).name == "quick"
    assert rendered_params(agent) == values("quick")


def test_without_a_name_or_the_environment_variable_normal_is_applied(AgentBase: Any) -> None:
    agent = AgentBase(name="support")
    assert apply_preset(agent).name == "normal"
    assert rendered_params(agent) == values("normal")


def test_the_environment_can_name_a_user_preset(
    AgentBase: Any, presets_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (presets_dir / "calm.toml").write_text(
        '[preset]\nextends = "elderly"\n\n[params]\nend_of_speech_timeout = 1200\n'
    )
    monkeypatch.setenv("SPEECH_TUNER_PRESET", "calm")
    agent = AgentBase(name="support")
    apply_preset(agent)
    assert rendered_params(agent) == {**values("elderly"), "end_of_speech_timeout": 1200}


def test_an_explicit_name_wins_over_the_environment(
    AgentBase: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEECH_TUNER_PRESET", "quick")
    agent = AgentBase(name="support")
    apply_preset(agent, "elderly")
    assert rendered_params(agent) == values("elderly")


def test_a_preset_file_path_can_be_applied(AgentBase: Any, tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    path.write_text("[params]\nend_of_speech_timeout = 650\nenable_barge = false\n")
    agent = AgentBase(name="support")
    apply_preset(agent, str(path))
    assert rendered_params(agent) == {"end_of_speech_timeout": 650, "enable_barge": False}


def test_preset_params_is_the_dict_apply_preset_sets(AgentBase: Any) -> None:
    agent = AgentBase(name="support")
    agent.set_params(preset_params("quick", ai_volume=5))
    assert rendered_params(agent) == {**values("quick"), "ai_volume": 5}


def test_a_second_preset_replaces_the_first_and_keeps_the_agents_other_params(
    AgentBase: Any, tmp_path: Path
) -> None:
    only_eos = tmp_path / "eos.toml"
    only_eos.write_text("[params]\nend_of_speech_timeout = 1500\n")
    agent = AgentBase(name="support")
    agent.set_params({"temperature": 0.3, "ai_model": "gpt-4.1-nano"})
    apply_preset(agent, "elderly")
    apply_preset(agent, str(only_eos))
    assert rendered_params(agent) == {
        "temperature": 0.3,
        "ai_model": "gpt-4.1-nano",
        "end_of_speech_timeout": 1500,
    }


def broken_calls(tmp_path: Path) -> dict[str, tuple[dict[str, Any], str]]:
    bad_file = tmp_path / "fast.toml"
    bad_file.write_text("[params]\nend_of_speech_timeout = 200\n")
    return {
        "unknown name": ({"preset": "eldery"}, 'unknown preset "eldery" (did you mean "elderly"?)'),
        "invalid name": ({"preset": "Bad Name"}, "not a valid preset name"),
        "value out of range": (
            {"preset": "normal", "end_of_speech_timeout": 200},
            "200 is below the minimum of 250 ms",
        ),
        "misspelt override": (
            {"preset": "normal", "end_of_speach_timeout": 900},
            'did you mean "end_of_speech_timeout"',
        ),
        "bool for a number": ({"preset": "normal", "barge_min_words": True}, "is a boolean"),
        "file out of range": ({"preset": str(bad_file)}, "fast.toml:2: end_of_speech_timeout"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown name",
        "invalid name",
        "value out of range",
        "misspelt override",
        "bool for a number",
        "file out of range",
    ],
)
def test_an_invalid_preset_fails_loudly_before_the_agent_is_touched(
    AgentBase: Any, tmp_path: Path, case: str
) -> None:
    kwargs, expected = broken_calls(tmp_path)[case]
    agent = AgentBase(name="support")
    agent.set_params({"end_of_speech_timeout": 600, "temperature": 0.3})
    before = rendered_params(agent)
    with pytest.raises(TunerError) as error:
        apply_preset(agent, **kwargs)
    assert expected in str(error.value)
    assert rendered_params(agent) == before
    assert active_preset(agent) is None


def test_an_unknown_preset_in_the_environment_names_the_variable(
    AgentBase: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEECH_TUNER_PRESET", "quik")
    agent = AgentBase(name="support")
    with pytest.raises(TunerError) as error:
        apply_preset(agent)
    message = str(error.value)
    assert "$SPEECH_TUNER_PRESET" in message
    assert 'did you mean "quick"' in message
    assert rendered_params(agent) == {}


def test_warnings_of_the_preset_are_logged(
    AgentBase: Any, caplog: pytest.LogCaptureFixture
) -> None:
    agent = AgentBase(name="support")
    with caplog.at_level(logging.WARNING, logger="tuner"):
        apply_preset(agent, "normal", turn_detection_timeout=600)
    messages = [r.getMessage() for r in caplog.records if r.name == "tuner"]
    assert any("turn_detection_timeout" in m and "not shorter" in m for m in messages)
    assert rendered_params(agent)["turn_detection_timeout"] == 600


def test_an_injected_store_is_where_presets_are_found(AgentBase: Any, tmp_path: Path) -> None:
    from tuner.presets import PresetStore

    team = tmp_path / "team-presets"
    team.mkdir()
    (team / "calm.toml").write_text('[preset]\nextends = "elderly"\n[params]\nai_volume = 9\n')
    store = PresetStore(team)
    agent = AgentBase(name="support")
    apply_preset(agent, "calm", store=store, barge_min_words=4)
    assert rendered_params(agent) == {**values("elderly"), "ai_volume": 9, "barge_min_words": 4}
    assert preset_params("calm", store=store)["ai_volume"] == 9
    with pytest.raises(TunerError, match='unknown preset "calm"'):
        apply_preset(agent, "calm")  # not in the default folder
    with pytest.raises(TunerError, match="store or presets_dir, not both"):
        apply_preset(agent, "calm", store=store, presets_dir=team)
