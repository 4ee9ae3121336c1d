"""Renderings of a preset: a TOML preset file, an `agent.set_params({...})` call, SWML JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from tuner.params import SPECS, Timing, Value

if TYPE_CHECKING:
    from tuner.presets import Preset

Format = Literal["toml", "python", "json"]
FORMATS: tuple[Format, ...] = ("toml", "python", "json")


def to_toml(preset: Preset, *, flatten: bool = False) -> str:
    """A preset file that loads back to the same values (see `Preset.to_toml`)."""
    return preset.to_toml(flatten=flatten)


def to_json(params: Timing | Mapping[str, Value], indent: int | None = 2) -> str:
    """Exactly the object that goes under SWML `ai.params`."""
    values = params.values() if isinstance(params, Timing) else dict(params)
    return json.dumps(values, indent=indent, ensure_ascii=False)


def _py_literal(value: Value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid Python
    return repr(value)


def to_python(
    params: Timing | Mapping[str, Value], agent: str = "agent", name: str | None = None
) -> str:
    """One `agent.set_params({...})` call that runs as written."""
    values = params.values() if isinstance(params, Timing) else dict(params)
    head = f"# speech-tuner preset: {name}\n" if name else ""
    if not values:
        return f"{head}{agent}.set_params({{}})\n"
    body = "".join(f"    {json.dumps(k)}: {_py_literal(v)},\n" for k, v in values.items())
    return f"{head}{agent}.set_params({{\n{body}}})\n"


def render(preset: Preset, fmt: Format) -> str:
    """The preset in one of the export formats."""
    if fmt == "toml":
        return to_toml(preset, flatten=True)
    if fmt == "python":
        return to_python(preset.params, name=preset.name)
    return to_json(preset.params) + "\n"


def preset_json_schema() -> dict[str, Any]:
    """JSON Schema of a preset file, for editors that check TOML against a schema."""
    from tuner.model import SpeechTiming

    params = SpeechTiming.model_json_schema()
    props: dict[str, Any] = {}
    for key, prop in params["properties"].items():
        prop.pop("title", None)
        prop.pop("default", None)
        if SPECS[key].default is not None:
            prop["default"] = SPECS[key].default
        props[key] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "speech-tuner preset",
        "description": "Speech-timing preset for a SignalWire AI agent (ai.params).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "preset": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "description": {"type": "string"},
                    "extends": {
                        "type": "string",
                        "description": "preset name or .toml path to start from",
                    },
                },
            },
            "params": {"type": "object", "additionalProperties": False, "properties": props},
        },
    }
