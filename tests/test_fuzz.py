"""Any document either loads to a valid preset or fails with the tool's own located error."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tuner.cli import main
from tuner.errors import TunerError
from tuner.model import SpeechTiming
from tuner.params import PARAM_NAMES
from tuner.presets import MAX_FILE_BYTES, parse_preset

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
keys = st.one_of(st.sampled_from(PARAM_NAMES), st.sampled_from(["preset", "params"]), odd_text)
scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    odd_text,
    st.text(max_size=5000),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.sampled_from(["${eos}", "%{x}", "1h2m", "complete,partial", "50:20", "national"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=20,
)
params_tables = st.dictionaries(st.sampled_from(PARAM_NAMES) | odd_text, values, max_size=12)
documents = st.fixed_dictionaries(
    {},
    optional={
        "params": st.one_of(params_tables, values),
        "preset": st.one_of(
            st.fixed_dictionaries(
                {}, optional={"description": values, "extends": st.one_of(odd_text, values)}
            ),
            values,
        ),
    },
).flatmap(lambda d: st.dictionaries(keys, values, max_size=3).map(lambda extra: {**extra, **d}))


def dumps(doc: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return None


def check(text: str, path: str = "fuzz.toml") -> None:
    try:
        loaded = parse_preset(text, path)
    except TunerError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == path and problem.message
            assert "Traceback" not in problem.message
        return
    # What loads is valid by the model's own rules.
    SpeechTiming.model_validate(loaded.params)


@FUZZ
@given(documents)
@example({"params": {"end_of_speech_timeout": 10**30}})
@example({"params": {"energy_level": math.nan}})
@example({"params": {"end_of_speech_timeout": dt.datetime(2020, 1, 1)}})
@example({"params": {"attention_timeout_prompt": "\u202e\x00\U0001f600" * 50}})
def test_any_toml_document_loads_or_fails_with_a_located_error(doc: dict[str, Any]) -> None:
    text = dumps(doc)
    if text is not None:
        check(text)


@FUZZ
@given(st.text(max_size=2000))
@example("[" * 5000)
@example("a = " + "[" * 5000)
@example("x = {" * 3000)
@example('[params]\nend_of_speech_timeout = """\n')
@example("[params]\nend_of_speech_timeout = 1" + "0" * 5000)
def test_any_text_loads_or_fails_with_a_located_error(text: str) -> None:
    check(text)


@FUZZ
@given(doc=documents)
def test_validate_and_export_never_crash_on_a_fuzzed_file(
    doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = dumps(doc)
    if text is None:
        return
    path = tmp_path / "fuzzed.toml"
    path.write_text(text, encoding="utf-8")
    for args in (["validate", str(path)], ["export", str(path), "--format", "python"]):
        code = main(args)
        out, err = capsys.readouterr()
        assert code in (0, 1)
        assert "Traceback" not in out + err
        if code == 1:
            assert err.startswith(str(path)), err


@FUZZ
@given(data=st.binary(max_size=3000))
def test_any_bytes_in_a_file_fail_cleanly(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bytes.toml"
    path.write_bytes(data)
    assert main(["validate", str(path)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_a_50_mb_file_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:
        fh.write(b"[params]\n")
        fh.seek(50 * 1024 * 1024)
        fh.write(b"\n")
    assert main(["validate", str(big)]) == 1
    err = capsys.readouterr().err
    assert f"a preset file is at most {MAX_FILE_BYTES}" in err


python_values = st.one_of(
    values,
    st.none(),
    st.binary(max_size=20),
    st.decimals(allow_nan=True),
    st.complex_numbers(),
    st.fractions(),
    st.builds(object),
    st.integers(min_value=-(10**400), max_value=10**400),
)


@FUZZ
@given(st.dictionaries(st.sampled_from(PARAM_NAMES), python_values, max_size=8))
def test_python_overrides_validate_or_fail_with_the_tools_error(params: dict[str, Any]) -> None:
    from tuner.presets import from_params

    try:
        preset = from_params("fuzz", params)
    except TunerError as exc:
        assert exc.problems and all(p.key in PARAM_NAMES and p.message for p in exc.problems)
        return
    assert set(preset.params.values()) <= set(params)
