"""The model accepts exactly what SignalWire's schema accepts, and says why it refuses the rest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import run_cli
from pydantic import ValidationError

from tuner.model import SpeechTiming
from tuner.params import GROUPS, PARAM_NAMES, SPECS, by_group

NUMERIC = [n for n in PARAM_NAMES if SPECS[n].minimum is not None]


def error_of(**params: Any) -> str:
    with pytest.raises(ValidationError) as exc:
        SpeechTiming(**params)
    errors = exc.value.errors()
    assert len(errors) == 1
    return str(errors[0]["msg"])


def test_every_numeric_param_has_a_range_a_unit_or_a_help_line() -> None:
    assert len(NUMERIC) >= 15
    for name in PARAM_NAMES:
        assert SPECS[name].help, name
        assert SPECS[name].group in GROUPS


def test_groups_cover_every_param_once() -> None:
    seen = [n for _, names in by_group() for n in names]
    assert sorted(seen) == sorted(PARAM_NAMES)


@pytest.mark.parametrize("name", NUMERIC)
def test_bounds_are_inclusive_and_one_past_them_is_refused(name: str) -> None:
    spec = SPECS[name]
    assert spec.minimum is not None and spec.maximum is not None
    lo, hi = spec.minimum, spec.maximum
    assert SpeechTiming(**{name: lo}).values()[name] == lo
    assert SpeechTiming(**{name: hi}).values()[name] == hi
    below, above = lo - 1, hi + 1
    if spec.off is not None and below == spec.off:
        below = lo - 2
    assert "below the minimum" in error_of(**{name: below}) or spec.off is not None
    assert "above the maximum" in error_of(**{name: above}) or spec.off is not None


def test_attention_timeout_is_zero_or_ten_seconds_and_more() -> None:
    assert SpeechTiming(attention_timeout=0).attention_timeout == 0
    assert SpeechTiming(attention_timeout=10000).attention_timeout == 10000
    message = error_of(attention_timeout=5000)
    assert "5000" in message and "0 (off)" in message and "10000" in message
    assert "600001" in error_of(attention_timeout=600001)


def test_message_names_the_value_and_the_limit_with_its_unit() -> None:
    assert error_of(end_of_speech_timeout=200) == "200 is below the minimum of 250 ms"
    assert error_of(barge_min_words=100) == "100 is above the maximum of 99 words"


def test_a_boolean_is_not_a_number() -> None:
    assert "boolean" in error_of(barge_min_words=True)
    assert "boolean" in error_of(energy_level=False)


def test_whole_floats_become_integers_and_fractions_are_refused() -> None:
    values = SpeechTiming(end_of_speech_timeout=1000.0).values()
    assert values == {"end_of_speech_timeout": 1000}
    assert isinstance(values["end_of_speech_timeout"], int)
    assert "not a whole number" in error_of(end_of_speech_timeout=700.5)
    assert "not a whole number" in error_of(end_of_speech_timeout=float("inf"))


def test_numeric_strings_are_not_numbers() -> None:
    assert "without quotes" in error_of(end_of_speech_timeout="700")
    assert "not a whole number" in error_of(end_of_speech_timeout="soon")


def test_energy_level_takes_fractions() -> None:
    assert SpeechTiming(energy_level=52.5).energy_level == 52.5


@pytest.mark.parametrize("var", ["${eos}", "%{call.eos}"])
def test_swml_variables_are_accepted_where_the_schema_accepts_them(var: str) -> None:
    t = SpeechTiming(end_of_speech_timeout=var, enable_turn_detection=var, attention_timeout=var)
    assert t.values()["end_of_speech_timeout"] == var


def test_hard_stop_time_follows_its_pattern_and_refuses_variables() -> None:
    assert SpeechTiming(hard_stop_time="1h45m30s").hard_stop_time == "1h45m30s"
    assert "duration" in error_of(hard_stop_time="90 minutes")
    assert "duration" in error_of(hard_stop_time="${limit}")


def test_booleans_are_strict() -> None:
    assert "not true or false" in error_of(wait_for_user=1)
    assert "not true or false" in error_of(enable_turn_detection="yes")


def test_tts_number_format_is_one_of_two() -> None:
    assert SpeechTiming(tts_number_format="national").tts_number_format == "national"
    assert "international" in error_of(tts_number_format="local")


def test_unknown_keys_are_errors() -> None:
    with pytest.raises(ValidationError):
        SpeechTiming.model_validate({"end_of_speach_timeout": 500})


def warning_keys(**params: Any) -> list[str]:
    return [key for key, _ in SpeechTiming(**params).warnings()]


def test_speech_rate_always_warns_that_the_platform_ignores_it() -> None:
    (message,) = [m for k, m in SpeechTiming(speech_rate=0.9).warnings() if k == "speech_rate"]
    assert "ignores" in message and "Cartesia" in message


def test_turn_detection_not_shorter_than_end_of_speech_warns() -> None:
    assert "turn_detection_timeout" in warning_keys(
        end_of_speech_timeout=500, turn_detection_timeout=500
    )
    assert "turn_detection_timeout" not in warning_keys(
        end_of_speech_timeout=500, turn_detection_timeout=499
    )
    # With turn detection off the timeout is moot, which is its own warning.
    off = SpeechTiming(enable_turn_detection=False, turn_detection_timeout=900).warnings()
    assert [m for k, m in off if k == "turn_detection_timeout"] == [
        "has no effect while enable_turn_detection = false"
    ]


def test_barge_settings_while_barge_is_off_warn() -> None:
    keys = warning_keys(enable_barge=False, barge_min_words=3, transparent_barge=True)
    assert {"barge_min_words", "transparent_barge"} <= set(keys)
    assert "barge_min_words" not in warning_keys(enable_barge="complete", barge_min_words=3)


def test_unknown_barge_mode_warns() -> None:
    assert "enable_barge" in warning_keys(enable_barge="complete,sometimes")
    assert "enable_barge" not in warning_keys(enable_barge="complete,partial")


def test_transparent_barge_max_time_without_transparent_barge_warns() -> None:
    assert "transparent_barge_max_time" in warning_keys(
        transparent_barge=False, transparent_barge_max_time=5000
    )


def test_attention_timeout_too_close_to_end_of_speech_warns() -> None:
    assert "attention_timeout" in warning_keys(attention_timeout=10000, end_of_speech_timeout=6000)
    assert "attention_timeout" not in warning_keys(
        attention_timeout=10000, end_of_speech_timeout=5000
    )
    assert "attention_timeout" not in warning_keys(attention_timeout=0)


def test_malformed_vad_config_warns() -> None:
    assert "vad_config" in warning_keys(vad_config="fast")
    assert "vad_config" in warning_keys(vad_config="50:80")
    assert "vad_config" not in warning_keys(vad_config="50:20")


def test_every_bound_through_validate(tmp_path: Path) -> None:
    """min-1, min, max, max+1 of every numeric param, through the real command."""
    files: dict[str, bool] = {}
    for name in NUMERIC:
        spec = SPECS[name]
        assert spec.minimum is not None and spec.maximum is not None
        probes = {
            spec.minimum - 1: spec.off == spec.minimum - 1,
            spec.minimum: True,
            spec.maximum: True,
            spec.maximum + 1: False,
        }
        for i, (value, ok) in enumerate(probes.items()):
            path = tmp_path / f"{name}-{i}.toml"
            path.write_text(f"[params]\n{name} = {value!r}\n")
            files[str(path)] = ok
    result = run_cli("validate", "--format", "json", *files)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    for entry in report["files"]:
        assert entry["valid"] == files[entry["path"]], entry
        if not entry["valid"]:
            (problem,) = [p for p in entry["problems"] if p["severity"] == "error"]
            assert problem["line"] == 2 and problem["key"] in entry["path"]


def test_the_model_is_still_importable_from_tuner_params() -> None:
    """Code written when the model was declared in tuner.params keeps working."""
    from tuner import params

    assert params.SpeechTiming is SpeechTiming
    assert "SpeechTiming" in params.__all__
    with pytest.raises(AttributeError):
        params.NoSuchName  # noqa: B018
