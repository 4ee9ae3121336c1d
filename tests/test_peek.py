"""Presets read without pydantic (`PresetStore.peek`, `judge_params`) agree with the model.

The editor draws its first frame from a preset read by the model's own `Param`s without
building the Pydantic model; these tests hold the two readings to the same values and the same
problems, on the built-ins, on user presets with `extends`, on the corpus of broken files, and
on values at and beyond every param's bounds.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tuner.errors import TunerError
from tuner.keys import unknown_key_message
from tuner.model import SpeechTiming
from tuner.params import PARAM_NAMES, SPECS, JudgedTiming
from tuner.presets import PresetStore, judge_params

CORPUS = Path(__file__).parent / "data" / "invalid"


def _same_preset(store: PresetStore, ref: str) -> None:
    peeked, loaded = store.peek(ref), store.load(ref)
    assert isinstance(peeked.params, JudgedTiming) and isinstance(loaded.params, SpeechTiming)
    assert peeked.params.values() == loaded.params.values()
    assert peeked.parent.values() == loaded.parent.values()
    for key in PARAM_NAMES:
        assert peeked.params.effective(key) == loaded.params.effective(key)
    assert peeked.params.warnings() == loaded.params.warnings()
    for attr in ("name", "description", "extends", "own", "origins", "source", "path", "lines"):
        assert getattr(peeked, attr) == getattr(loaded, attr), attr
    assert peeked.to_toml() == loaded.to_toml()


@pytest.mark.parametrize("name", ["quick", "normal", "elderly"])
def test_peek_reads_a_builtin_as_load_does(name: str, tmp_path: Path) -> None:
    _same_preset(PresetStore(tmp_path), name)


def test_peek_reads_user_presets_and_files_with_extends_as_load_does(tmp_path: Path) -> None:
    (tmp_path / "normal.toml").write_text(  # shadows the built-in it extends
        '[preset]\nextends = "normal"\n[params]\nbarge_min_words = 3\n'
    )
    (tmp_path / "night.toml").write_text(
        '[preset]\ndescription = "late calls"\nextends = "normal"\n'
        '[params]\nend_of_speech_timeout = 900.0\nspeech_rate = 0.9\nvad_config = "bad"\n'
        'attention_timeout = "${att}"\n'
    )
    lone = tmp_path / "elsewhere" / "lone.toml"
    lone.parent.mkdir()
    lone.write_text('[preset]\nextends = "../night.toml"\n[params]\nai_volume = -3\n')
    store = PresetStore(tmp_path)
    for ref in ("normal", "night", str(lone)):
        _same_preset(store, ref)
    # 900.0 is kept as the model keeps it, and the warnings are the model's
    assert store.peek("night").params.end_of_speech_timeout == 900
    assert {k for k, _ in store.peek("night").params.warnings()} >= {"speech_rate", "vad_config"}


@pytest.mark.parametrize(
    "name", [*sorted(p.name for p in CORPUS.glob("*.toml")), "cycle", "missing-parent"]
)
def test_peek_refuses_what_load_refuses_with_the_same_problems(name: str, tmp_path: Path) -> None:
    (tmp_path / "cycle.toml").write_text('[preset]\nextends = "cycle2"\n')
    (tmp_path / "cycle2.toml").write_text('[preset]\nextends = "cycle"\n')
    (tmp_path / "missing-parent.toml").write_text('[preset]\nextends = "nope"\n')
    store = PresetStore(tmp_path)
    ref = str(CORPUS / name) if name.endswith(".toml") else name
    with pytest.raises(TunerError) as peeked:
        store.peek(ref)
    with pytest.raises(TunerError) as loaded:
        store.load(ref)
    assert peeked.value.problems == loaded.value.problems
    assert peeked.value.problems


def _candidates(key: str) -> list[Any]:
    spec = SPECS[key]
    values: list[Any] = [None, True, False, "", "text", "${eos}", "%{eos}", "800", "true", 0, 1]
    values += [-1, 0.5, 1.0, 2.5, math.inf, math.nan, [1], {"a": 1}, 10**80]
    for bound in (spec.minimum, spec.maximum, spec.off):
        if bound is not None:
            values += [bound, bound - 1, bound + 1, float(bound), bound - 0.5, str(bound)]
    values += list(spec.choices) + [c.upper() for c in spec.choices]
    values += ["30s", "1h45m30s", "30 s", "complete,partial", "50:20"]
    return values


@pytest.mark.parametrize("key", PARAM_NAMES)
def test_judge_params_gives_the_models_verdict_on_every_value(key: str) -> None:
    for value in _candidates(key):
        kept, problems = judge_params({key: value})
        try:
            model = SpeechTiming.model_validate({key: value})
        except ValidationError as exc:
            assert kept is None, (key, value)
            assert [p.message for p in problems] == [e["msg"] for e in exc.errors()], value
        else:
            assert problems == [], (key, value)
            assert kept == model.values(), (key, value)
            assert type(kept.get(key)) is type(model.values().get(key)), (key, value)


def test_judge_params_names_an_unknown_key_as_the_model_refuses_it() -> None:
    with pytest.raises(ValidationError):
        SpeechTiming.model_validate({"end_of_speach_timeout": 800})
    kept, problems = judge_params({"end_of_speach_timeout": 800, "barge_min_words": 0})
    assert kept is None
    assert [(p.key, p.message) for p in problems] == [
        ("end_of_speach_timeout", unknown_key_message("end_of_speach_timeout")),
        ("barge_min_words", "0 is below the minimum of 1 word"),
    ]


def test_a_judged_timing_reads_like_the_model() -> None:
    values = {"speech_rate": 0.9, "end_of_speech_timeout": 400, "enable_turn_detection": False}
    judged, model = JudgedTiming(values), SpeechTiming(**values)
    assert judged == model and judged.values() == model.values()
    assert list(judged.values()) == list(model.values())  # declaration order
    assert judged.barge_min_words is None and judged.effective("barge_min_words") is None
    assert judged.effective("attention_timeout") == model.effective("attention_timeout")
    assert judged.warnings() == model.warnings()
    assert judged.holding({"ai_volume": 2}).values() == {"ai_volume": 2}
    with pytest.raises(AttributeError):
        judged.no_such_param  # noqa: B018
