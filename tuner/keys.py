"""What a key under `ai.params` is: speech timing, another SignalWire param, or unknown.

One classifier for every surface (`validate`, `check`, `export --set`, the editor). Speech-timing
keys are the model's fields (`tuner/params.py`); the other SignalWire params are the keys of
`$defs.AIParams` in the installed SDK's `schema.json`, read as a file (the SDK itself is never
imported here). Without an SDK installed, the copy pinned in `tuner/aiparams.py` stands in.
"""

from __future__ import annotations

import difflib
import enum
import importlib.util
import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

from tuner import aiparams
from tuner.param import _fmt, quoted_message
from tuner.params import PARAM_NAMES

#: The SDK import names, newest first: the schema of the first one installed is used.
SDKS = ("signalwire", "signalwire_agents")
_DISTRIBUTIONS = {"signalwire": "signalwire-sdk", "signalwire_agents": "signalwire-agents"}

NOT_TIMING = "a SignalWire param, not speech timing: keep it in your agent code"
IGNORED = "it would be silently ignored on a live call"


class KeyKind(enum.Enum):
    """The three kinds of `ai.params` key."""

    #: A field of the speech-timing model: validated by the model.
    TIMING = "timing"
    #: A real SignalWire param outside speech timing (in `$defs.AIParams`).
    SIGNALWIRE = "signalwire"
    #: A key SignalWire does not know: the platform ignores it.
    UNKNOWN = "unknown"


def classify(key: str) -> KeyKind:
    """The kind of an `ai.params` key."""
    if key in PARAM_NAMES:
        return KeyKind.TIMING
    if key in signalwire_params():
        return KeyKind.SIGNALWIRE
    return KeyKind.UNKNOWN


def unknown_key_message(key: str) -> str:
    """Why a key is not a speech-timing param: the message every surface shows for it."""
    kind = classify(key)
    if kind is KeyKind.TIMING:
        raise ValueError(f"{key} is a speech-timing param")
    if kind is KeyKind.SIGNALWIRE:
        return NOT_TIMING
    prompt_keys, verb_keys = elsewhere()
    timing = difflib.get_close_matches(key, PARAM_NAMES, n=1, cutoff=0.6)
    if key in prompt_keys:
        hint = f'; or did you mean "{timing[0]}"?' if timing else ""
        return (
            f"unknown param: {key} is a prompt setting, not an ai.params one (set it with "
            f"set_prompt_llm_params({key}=...)); here it would be silently ignored{hint}"
        )
    if key in verb_keys:
        return (
            f"unknown param: {key} is a key of the ai verb itself, not of ai.params "
            "(the agent's own methods set it); here it would be silently ignored"
        )
    other = difflib.get_close_matches(key, sorted(signalwire_params()), n=1, cutoff=0.6)
    # The closer of the two, a timing param winning a tie.
    if timing and (
        not other
        or difflib.SequenceMatcher(None, key, timing[0]).ratio()
        >= difflib.SequenceMatcher(None, key, other[0]).ratio()
    ):
        return f'unknown param (did you mean "{timing[0]}"?)'
    if other:
        return f'unknown param (did you mean "{other[0]}"? {NOT_TIMING})'
    return f"unknown param: {IGNORED}"


# -- the SDK's schema ------------------------------------------------------------------------
def _schema_path(sdk: str) -> Path | None:
    """The SDK's bundled schema.json, found without importing the SDK."""
    try:
        spec = importlib.util.find_spec(sdk)
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "schema.json"
        if path.is_file():
            return path
    return None


@cache
def _schema(sdk: str) -> dict[str, Any] | None:
    path = _schema_path(sdk)
    if path is None:
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        props = doc["$defs"]["AIParams"]["properties"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return doc if isinstance(props, dict) else None


def installed_sdk() -> str | None:
    """The import name of the SDK whose schema is used, or None when none is installed."""
    return next((sdk for sdk in SDKS if _schema(sdk) is not None), None)


@cache
def signalwire_params() -> frozenset[str]:
    """Every key of `$defs.AIParams`: of the installed SDKs, else the pinned copy."""
    found = [
        frozenset(doc["$defs"]["AIParams"]["properties"])
        for doc in (_schema(sdk) for sdk in SDKS)
        if doc is not None
    ]
    return frozenset().union(*found) if found else aiparams.AI_PARAMS


#: The `$defs` whose keys are the prompt's settings.
_PROMPT_DEFS = ("AIPromptText", "AIPromptPom", "AIPostPromptText", "AIPostPromptPom")


@cache
def elsewhere() -> tuple[frozenset[str], frozenset[str]]:
    """Keys that belong elsewhere in the ai verb: (the prompt's settings, the verb's own keys)."""
    docs = [doc for doc in (_schema(sdk) for sdk in SDKS) if doc is not None]
    if not docs:
        return aiparams.PROMPT_KEYS, aiparams.AI_VERB_KEYS
    prompt: set[str] = set()
    verb: set[str] = set()
    for doc in docs:
        defs = doc["$defs"]
        for name in _PROMPT_DEFS:
            prompt |= set(defs.get(name, {}).get("properties", {}))
        verb |= set(defs.get("AIObject", {}).get("properties", {})) - {"params"}
    return frozenset(prompt), frozenset(verb)


def schema_source() -> str:
    """Where the list of SignalWire params comes from, for people."""
    sdk = installed_sdk()
    if sdk is None:
        return (
            f"the copy pinned from {aiparams.PINNED_FROM} (no SignalWire SDK installed; "
            "values of params outside speech timing are not checked)"
        )
    try:
        import importlib.metadata  # only when an SDK is installed

        version = importlib.metadata.version(_DISTRIBUTIONS[sdk])
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    return f"schema.json of {_DISTRIBUTIONS[sdk]} {version}"


# -- checking a value of a SignalWire param against the schema -------------------------------
_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def check_value(key: str, value: Any, sdk: str | None = None) -> str | None:
    """Why `value` is not what SignalWire's schema allows for `key`, or None when it is.

    None as well when the schema is not installed or does not describe `key`.
    """
    doc = _schema(sdk) if sdk else None
    doc = doc or next((d for d in (_schema(s) for s in SDKS) if d is not None), None)
    if doc is None:
        return None
    prop = doc["$defs"]["AIParams"]["properties"].get(key)
    if not isinstance(prop, dict):
        return None
    return _Checker(doc["$defs"]).check(prop, value)


class _Checker:
    """The subset of JSON Schema that `$defs.AIParams` uses, with messages for people."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node and seen < 20:
            ref = self.defs.get(str(node["$ref"]).rsplit("/", 1)[-1])
            node = {**ref, **{k: v for k, v in node.items() if k != "$ref"}} if ref else {}
            seen += 1
        return node

    def check(self, node: dict[str, Any], value: Any) -> str | None:
        node = self.resolve(node)
        options = node.get("anyOf") or node.get("oneOf")
        if isinstance(options, list):
            whys = [self.check(o, value) for o in options if isinstance(o, dict)]
            if all(whys):
                return self._none_matches(options, value)
        for sub in node.get("allOf", []) if isinstance(node.get("allOf"), list) else []:
            why = self.check(sub, value)
            if why:
                return why
        return self._keywords(node, value)

    def _keywords(self, node: dict[str, Any], value: Any) -> str | None:
        types = node.get("type")
        types = [types] if isinstance(types, str) else types or []
        if types and not any(_is_type(value, t) for t in types):
            return self._wrong_type(types, value)
        if "const" in node and value != node["const"]:
            return f"{_fmt(value)} is not {_fmt(node['const'])}"
        if isinstance(node.get("enum"), list) and value not in node["enum"]:
            return f"{_fmt(value)} is not one of: {', '.join(map(str, node['enum']))}"
        if _is_type(value, "number"):
            if "minimum" in node and value < node["minimum"]:
                return f"{_fmt(value)} is below the minimum of {_fmt(node['minimum'])}"
            if "maximum" in node and value > node["maximum"]:
                return f"{_fmt(value)} is above the maximum of {_fmt(node['maximum'])}"
        pattern = node.get("pattern")
        if isinstance(value, str) and isinstance(pattern, str) and not re.search(pattern, value):
            return f"{_fmt(value)} does not have the form the schema wants ({pattern})"
        if isinstance(value, list) and isinstance(node.get("items"), dict):
            for item in value:
                why = self.check(node["items"], item)
                if why:
                    return f"an item of the list: {why}"
        return None

    def _none_matches(self, options: list[Any], value: Any) -> str:
        resolved = [self.resolve(o) for o in options if isinstance(o, dict)]
        consts = [o["const"] for o in resolved if "const" in o]
        free = [o for o in resolved if "const" not in o and not _is_swml_var(o)]
        if consts and not free:
            return f"{_fmt(value)} is not one of: {', '.join(map(str, consts))}"
        types = [t for o in free for t in ([o["type"]] if isinstance(o.get("type"), str) else [])]
        if types and not any(_is_type(value, t) for t in types):
            return self._wrong_type(types, value, var=any(_is_swml_var(o) for o in resolved))
        # The type fits one option: its other keywords say what is wrong.
        for option in free:
            if any(_is_type(value, t) for t in [option.get("type")] if isinstance(t, str)):
                why = self._keywords(option, value)
                if why:
                    return why
        return f"{_fmt(value)} is not a value the schema allows"

    def _wrong_type(self, types: list[str], value: Any, var: bool = False) -> str:
        wanted = " or ".join(dict.fromkeys(_TYPES.get(t, t) for t in types))
        if isinstance(value, str) and any(_parses_as(value, t) for t in types):
            return quoted_message(value, wanted)
        hint = ' or a SWML variable like "${name}"' if var else ""
        return f"{_fmt(value)} is not {wanted}{hint}"


def _is_type(value: Any, name: Any) -> bool:
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return not isinstance(value, bool) and (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        )
    if name == "number":
        return (
            not isinstance(value, bool)
            and isinstance(value, (int, float))
            and math.isfinite(float(value))
        )
    return bool(
        {"string": str, "object": dict, "array": list}.get(str(name)) is type(value)
        or (name == "null" and value is None)
    )


def _parses_as(text: str, name: str) -> bool:
    """Whether text in quotes would be a value of type `name` without them."""
    if name == "boolean":
        return text.strip().lower() in ("true", "false")
    if name in ("integer", "number"):
        try:
            number = float(text)
        except ValueError:
            return False
        return name == "number" or number.is_integer()
    return False


def _is_swml_var(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and "{" in str(node.get("pattern", ""))
