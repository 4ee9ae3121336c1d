"""Every SpeechTiming field agrees with `$defs.AIParams` of the installed SDK's schema.json.

An SDK update that moves a range, changes a type or a default, or drops a param fails here
loudly, naming the param. Checked two ways: the schema's keywords against each field's `Param`,
and the same probe values through SignalWire's schema (the SDK's own validator) and the model.
"""

from __future__ import annotations

import importlib.util
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from pydantic import ValidationError
from swml_helpers import SDKS

from tuner.model import SpeechTiming
from tuner.params import PARAM_NAMES, SPECS, Param

#: The documented extension: exported for the course material, absent from the schema.
EXTENSIONS = ("speech_rate",)
CHECKED = [name for name in PARAM_NAMES if name not in EXTENSIONS]
KIND_TYPES = {
    "integer": {"integer"},
    "number": {"number"},
    "boolean": {"boolean"},
    "text": {"string"},
    "choice": {"string"},
    "barge": {"string", "boolean"},
}


@cache
def schema(sdk: str) -> dict[str, Any]:
    spec = importlib.util.find_spec(sdk)
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def ai_params_validator(sdk: str) -> Any:
    full = schema(sdk)
    return jsonschema_rs.validator_for(
        {
            "$schema": full["$schema"],
            "$id": full["$id"],
            "$defs": full["$defs"],
            "$ref": "#/$defs/AIParams",
        }
    )


def resolve(sdk: str, node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema(sdk)["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def described(sdk: str, name: str) -> dict[str, Any]:
    """What the schema says of one param: types, bounds, consts, default, SWML variables."""
    prop = schema(sdk)["$defs"]["AIParams"]["properties"][name]
    swml_var = schema(sdk)["$defs"]["SWMLVar"]
    options = [resolve(sdk, o) for o in prop.get("anyOf", [prop])]
    values = [o for o in options if o is not swml_var]
    ranged = [o for o in values if "minimum" in o]
    consts = [o["const"] for o in values if "const" in o]
    return {
        "types": {o["type"] for o in values if "const" not in o or o["type"] == "string"},
        "minimum": prop.get("minimum", ranged[0]["minimum"] if ranged else None),
        "maximum": prop.get("maximum", ranged[0]["maximum"] if ranged else None),
        "consts": consts,
        "default": prop.get("default"),
    }


@pytest.fixture(params=SDKS)
def sdk(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_schema_param_of_the_model_is_in_the_sdks_schema(sdk: str) -> None:
    properties = schema(sdk)["$defs"]["AIParams"]["properties"]
    missing = [name for name in CHECKED if name not in properties]
    assert missing == [], f"{sdk}/schema.json no longer has {missing}"
    assert all(name not in properties for name in EXTENSIONS), "speech_rate is now real"
    assert all(SPECS[name].extension for name in EXTENSIONS)


@pytest.mark.parametrize("name", CHECKED)
def test_type_bounds_and_default_equal_the_sdks_schema(sdk: str, name: str) -> None:
    spec = SPECS[name]
    said = described(sdk, name)
    assert said["types"] == KIND_TYPES[spec.kind], f"{name}: type"
    assert (said["minimum"], said["maximum"]) == (spec.minimum, spec.maximum), f"{name}: range"
    assert said["default"] == spec.default, f"{name}: default"
    if spec.kind == "choice":
        assert set(said["consts"]) == set(spec.choices), f"{name}: choices"
    else:
        assert said["consts"] == ([spec.off] if spec.off is not None else []), f"{name}: off"


def probes(spec: Param) -> list[Any]:
    """Values on and around every edge of what a param accepts."""
    out: list[Any] = ["${eos}", "%{call.eos}", "plain text", "", True, False, None, [], {}]
    if spec.minimum is not None and spec.maximum is not None:
        lo, hi = spec.minimum, spec.maximum
        step = 1 if spec.kind == "integer" else 0.5
        out += [lo - step, lo, hi, hi + step, (lo + hi) / 2, str(int(lo)), float(int(hi))]
        out += [math.floor(lo) + 0.5, -1, 0]
    if spec.off is not None:
        out += [spec.off, float(spec.off), spec.off + 1]
    out += list(spec.choices) + [c.upper() for c in spec.choices]
    out += ["30m", "1h45m30s", "30 minutes", "complete,partial", "#", "50:20"]
    return out


def model_accepts(name: str, value: Any) -> bool:
    try:
        SpeechTiming.model_validate({name: value})
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("name", CHECKED)
def test_the_model_accepts_exactly_what_the_sdks_schema_accepts(sdk: str, name: str) -> None:
    validator = ai_params_validator(sdk)
    disagreements = []
    for value in probes(SPECS[name]):
        if value is None:  # None means "left out" in the model; JSON null is not a value
            continue
        by_schema = validator.is_valid({name: value})
        if model_accepts(name, value) != by_schema:
            disagreements.append(f"{value!r}: schema {'accepts' if by_schema else 'rejects'}")
    assert disagreements == [], f"{name}: {disagreements}"


@pytest.mark.parametrize("name", CHECKED)
def test_swml_variables_are_accepted_where_the_schema_accepts_them(sdk: str, name: str) -> None:
    by_schema = ai_params_validator(sdk).is_valid({name: "${eos}"})
    assert model_accepts(name, "${eos}") == by_schema
    assert SPECS[name].swml_var == by_schema
