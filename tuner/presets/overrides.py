"""The one override vocabulary: `--set KEY=VALUE` on every command and a value typed in the editor.

A value is read as a TOML literal (`800`, `0.9`, `true`, `"text"`); for a text param a bare word
is taken as text (`vad_config=75`, `enable_barge=partial`); booleans are `true`/`false` only;
an empty value means "the platform default". Whatever is read is then judged by the model, so a
rejected value gets the model's message wherever it was written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from tuner.errors import Problem, TunerError
from tuner.params import SPECS, Value
from tuner.presets.document import judge_params

#: Where problems of a command-line override are filed.
SET = "--set"
#: Kinds whose values are text: a bare word is taken as written.
_TEXT_KINDS = ("text", "choice")


@dataclass(frozen=True)
class Override:
    """One `KEY=VALUE`: the param, the value read from it (None: platform default), the text."""

    key: str
    value: Value | None
    text: str


def read_value(key: str, text: str) -> Value | None:
    """What a person wrote for `key` as the value the model should judge (None when empty).

    Never rejects: text that is no TOML literal is passed on as written, and the model says
    what is wrong with it (`"on" is not true or false`), the same for every surface.
    """
    text = text.strip()
    if not text:
        return None
    literal = _literal(text)
    kind = SPECS[key].kind
    if isinstance(literal, str):
        return literal  # quoted: exactly the text inside the quotes
    if literal is None or kind in _TEXT_KINDS:
        return text
    if kind == "barge" and not isinstance(literal, bool):
        return text  # barge modes are text ("complete,partial"); only true/false are booleans
    return literal


def _literal(text: str) -> Value | None:
    """`text` as one TOML scalar literal, or None when it is not exactly one."""
    if "\n" in text or "\r" in text:
        return None
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    if isinstance(value, str):
        # A comment after a quoted text is not part of the literal.
        return value if text[-1] in "\"'" else None
    if not isinstance(value, bool | int | float) or "#" in text:
        return None  # arrays, tables, dates, or a number followed by a comment
    return value


def field_text(value: Value | None) -> str:
    """A value as it is written after `KEY=` or in a field: `read_value` reads it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    if isinstance(value, str) and isinstance(_literal(value), str):
        # Text that itself looks quoted: quote it, or reading it back would drop its quotes.
        import tomli_w

        return tomli_w.dumps({"v": value}).partition("=")[2].strip()
    return str(value)


def judge(key: str, value: Value | None) -> tuple[Value | None, str | None]:
    """The model's verdict on `key = value`: the value as the model keeps it (`800.0` becomes
    `800`) and None, or None and the model's own message."""
    values, problems = judge_params({key: value})
    if values is None:
        return None, problems[0].message
    return values.get(key), None


def value_error(key: str, value: Value | None) -> str | None:
    """The model's own message for `key = value`, or None when the model accepts it."""
    return judge(key, value)[1]


def key_problem(key: str, source: str = SET) -> Problem | None:
    """The one place an override's key is judged: None for a param of the model, else the
    problem that rejects it (every command and the editor go through here)."""
    if key in SPECS:
        return None
    from tuner.keys import unknown_key_message  # the SDK's keys, read for a problem

    return Problem(unknown_key_message(key), source, None, key)


def parse_overrides(items: Iterable[str], source: str = SET) -> list[Override]:
    """`KEY=VALUE` items, read; a malformed item or an unknown key is an error, values are not.

    Values are judged later by the model (`Preset.with_overrides`, or the editor's field).
    """
    out: list[Override] = []
    problems: list[Problem] = []
    for item in items:
        key, eq, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not eq or not key:
            problems.append(Problem(f'"{item}" is not KEY=VALUE', source))
            continue
        problem = key_problem(key, source)
        if problem is not None:
            problems.append(problem)
        else:
            out.append(Override(key, read_value(key, raw), raw))
    if problems:
        raise TunerError(problems)
    return out


def as_values(overrides: Iterable[Override]) -> dict[str, Value | None]:
    """Overrides as a mapping for `Preset.with_overrides`; a later KEY wins."""
    return {o.key: o.value for o in overrides}


def read_assignments(items: Iterable[str], source: str = SET) -> dict[str, Value | None]:
    """`KEY=VALUE` items as values for `Preset.with_overrides` (a later KEY wins)."""
    return as_values(parse_overrides(items, source))
