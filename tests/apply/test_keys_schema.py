"""The key classifier against the installed SDKs' schema.json: every message about a key is true."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from swml_helpers import SDKS
from test_sdk_schema import schema

from tuner import aiparams, keys
from tuner.keys import NOT_TIMING, KeyKind, classify, signalwire_params, unknown_key_message
from tuner.params import PARAM_NAMES

ROOT = Path(__file__).resolve().parents[2]


def schema_keys(sdk: str) -> set[str]:
    return set(schema(sdk)["$defs"]["AIParams"]["properties"])


@pytest.mark.parametrize("sdk", SDKS)
def test_every_param_of_the_schema_is_known_and_never_called_unknown(sdk: str) -> None:
    for key in schema_keys(sdk):
        kind = classify(key)
        assert kind is not KeyKind.UNKNOWN, key
        if kind is KeyKind.SIGNALWIRE:
            assert unknown_key_message(key) == NOT_TIMING
            assert "did you mean" not in unknown_key_message(key)


def test_the_pinned_key_lists_are_the_newest_installed_schemas() -> None:
    sdk = next(sdk for sdk in keys.SDKS if sdk in SDKS)  # the successor when installed
    defs = schema(sdk)["$defs"]
    prompt = set().union(*(defs[name]["properties"] for name in keys._PROMPT_DEFS))
    verb = set(defs["AIObject"]["properties"]) - {"params"}
    for pinned, installed in (
        (aiparams.AI_PARAMS, schema_keys(sdk)),
        (aiparams.PROMPT_KEYS, prompt),
        (aiparams.AI_VERB_KEYS, verb),
    ):
        assert installed == pinned, (
            "tuner/aiparams.py is out of date; paste this list:\n"
            + "\n".join(f'        "{k}",' for k in sorted(installed))
        )


def test_the_model_is_the_timing_part_of_the_schema() -> None:
    for sdk in SDKS:
        assert set(PARAM_NAMES) - schema_keys(sdk) == {"speech_rate"}
    assert signalwire_params() == set().union(*(schema_keys(sdk) for sdk in SDKS))


def test_real_params_are_never_suggested_another_real_param() -> None:
    # The false suggestions seen on real agents, and the param pairs that are one edit apart.
    for key in ("enable_vision", "static_greeting", "ai_model", "thinking_model", "debug"):
        assert unknown_key_message(key) == NOT_TIMING
    for key in signalwire_params() - set(PARAM_NAMES):
        close = difflib.get_close_matches(key, signalwire_params() - {key}, n=1, cutoff=0.6)
        if close:
            assert "did you mean" not in unknown_key_message(key)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        # Typos found in real agents: the nearest real param, timing first.
        ("silence_timeout", 'unknown param (did you mean "speech_timeout"?)'),
        (
            "max_tokens",
            "unknown param: max_tokens is a prompt setting, not an ai.params one (set it with "
            "set_prompt_llm_params(max_tokens=...)); here it would be silently ignored; or did "
            'you mean "max_response_tokens"?',
        ),
        (
            "temperature",
            "unknown param: temperature is a prompt setting, not an ai.params one (set it with "
            "set_prompt_llm_params(temperature=...)); here it would be silently ignored",
        ),
        (
            "hints",
            "unknown param: hints is a key of the ai verb itself, not of ai.params (the agent's "
            "own methods set it); here it would be silently ignored",
        ),
        ("end_of_speach_timeout", 'unknown param (did you mean "end_of_speech_timeout"?)'),
        ("local_tzz", f'unknown param (did you mean "local_tz"? {NOT_TIMING})'),
        ("speaking_speed", "unknown param: it would be silently ignored on a live call"),
    ],
)
def test_unknown_keys_get_the_nearest_real_param(key: str, message: str) -> None:
    assert classify(key) is KeyKind.UNKNOWN
    assert unknown_key_message(key) == message


def test_without_any_sdk_installed_the_pinned_list_classifies(tmp_path: Path) -> None:
    # A fresh interpreter whose path holds tuner and pydantic but no SignalWire SDK.
    site = Path(json.__file__).parent  # the standard library only
    deps = tmp_path / "deps"
    deps.mkdir()
    import annotated_types
    import pydantic
    import pydantic_core
    import typing_extensions
    import typing_inspection

    for module in (pydantic, pydantic_core, annotated_types, typing_inspection):
        folder = Path(module.__file__ or "").parent
        (deps / folder.name).symlink_to(folder)
    (deps / "typing_extensions.py").symlink_to(typing_extensions.__file__ or "")
    (deps / "tuner").symlink_to(ROOT / "tuner")
    code = (
        "import importlib.util, sys\n"
        "assert importlib.util.find_spec('signalwire') is None\n"
        "assert importlib.util.find_spec('signalwire_agents') is None\n"
        "from tuner.keys import classify, unknown_key_message, schema_source, check_value\n"
        "print(classify('local_tz').value, classify('end_of_speech_timeout').value)\n"
        "print(unknown_key_message('enable_vision'))\n"
        "print(check_value('background_file_volume', 99))\n"
        "print(schema_source())\n"
        "print('signalwire' in sys.modules or 'signalwire_agents' in sys.modules)\n"
    )
    # -I -S: no site-packages, no PYTHONPATH; only the folders put on sys.path here.
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import sys; sys.path[:0] = [{str(deps)!r}, {str(site)!r}]\n" + code,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "signalwire timing",
        NOT_TIMING,
        "None",
        f"the copy pinned from {aiparams.PINNED_FROM} (no SignalWire SDK installed; values of "
        "params outside speech timing are not checked)",
        "False",
    ]
