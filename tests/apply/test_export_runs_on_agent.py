"""The Python export of each built-in preset, run against a real AgentBase, renders its JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from swml_helpers import rendered_params

from tuner.export import to_json, to_python
from tuner.presets import BUILTIN_NAMES, load


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_the_python_export_renders_ai_params_equal_to_the_json_export(
    AgentBase: Any, name: str
) -> None:
    preset = load(name)
    code = to_python(preset.params, name=name)
    agent = AgentBase(name="support")
    exec(compile(code, f"<export of {name}>", "exec"), {"agent": agent})
    rendered = rendered_params(agent)
    assert rendered == json.loads(to_json(preset.params))
    assert rendered  # a built-in sets params: an empty export would pass the equality


def test_the_python_export_with_overrides_and_swml_variables_runs_as_written(
    AgentBase: Any,
) -> None:
    from tuner.presets import with_overrides

    preset = with_overrides(
        load("elderly"),
        {"end_of_speech_timeout": "${eos}", "attention_timeout_prompt": 'Say "hi" \\ {ok}'},
    )
    agent = AgentBase(name="support")
    exec(to_python(preset.params), {"agent": agent})
    assert rendered_params(agent) == json.loads(to_json(preset.params))
