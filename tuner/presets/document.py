"""Reading a preset document: TOML syntax errors located, tables and keys checked, values judged
by the model once, every problem at once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tuner.errors import Problem, TunerError, did_you_mean, unknown_key
from tuner.param import ParamError
from tuner.params import PARAM_NAMES, SPECS, Value
from tuner.presets.names import NAME_RE, PRESET_KEYS, is_path

if TYPE_CHECKING:
    from tuner.model import SpeechTiming

_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.\-]+))\s*=""")


def key_lines(text: str) -> dict[tuple[str, str], int]:
    """1-based line of each `key = value` in a TOML text, by (table, key); the first one wins."""
    lines: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if m := _TABLE.match(line):
            table = m[1].strip("\"' ")
            parent, _, leaf = table.rpartition(".")
            lines.setdefault((parent, leaf), number)
            continue
        if m := _KEY.match(line):
            key = m[1] or m[2] or m[3]
            where, _, leaf = (f"{table}.{key}" if table else key).rpartition(".")
            lines.setdefault((where, leaf), number)
    return lines


def key_at(text: str, line: int | None) -> str | None:
    """The key (or table) written on a 1-based line of a TOML text, if the line has one."""
    if line is None:
        return None
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    if m := _KEY.match(lines[line - 1]):
        return (m[1] or m[2] or m[3]).rpartition(".")[2]
    if m := re.match(r"^\s*\[+\s*([A-Za-z0-9_.\-]+)", lines[line - 1]):
        return m[1]
    if m := re.match(r"^\s*([A-Za-z_][A-Za-z0-9_.\-]*)", lines[line - 1]):
        return m[1].rpartition(".")[2]  # a key whose "=" or value is what is broken
    return None


#: tomllib's terse messages, said the way a person fixing the file needs them.
_TOML_HINTS = {
    "Invalid value": "not a valid value (write numbers as 800, text in quotes, true or false)",
    "Cannot overwrite a value": "this key is given twice",
    "Cannot declare": "this table is given twice",
    "Expected newline or end of document after a statement": (
        "unexpected text after the value (a note needs a #: 800  # ms)"
    ),
    "Expected '=' after a key": "expected '=' after the key",
    "Illegal character '\\n'": "text in quotes is not closed on this line",
}


_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)|\(at end of document\)")


def parse_toml(text: str, path: str | None) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into one located Problem."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_AT.search(msg)
        line = int(m[1]) if m and m[1] else (text.count("\n") + 1 if m else None)
        msg = _TOML_AT.sub("", msg).strip()
        msg = next((hint for start, hint in _TOML_HINTS.items() if msg.startswith(start)), msg)
        raise TunerError(
            Problem(f"TOML syntax error: {msg}", path, line, key_at(text, line))
        ) from None
    except RecursionError:
        raise TunerError(Problem("TOML nesting is too deep", path)) from None
    except ValueError:  # tomllib refuses integers of over 4300 digits
        m = re.search(r"\d{4300}", text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise TunerError(Problem("a number of over 4300 digits", path, line)) from None


@dataclass
class PresetFile:
    """A preset file's own content, checked against the model but not yet merged with parents."""

    description: str = ""
    extends: str | None = None
    #: The values written in the file, as the model normalised them.
    params: dict[str, Value] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)


def parse_preset(text: str, path: str | None = None) -> PresetFile:
    """Check a preset document: its tables, its keys and every value, all problems at once."""
    if not text.strip():
        raise TunerError(
            Problem("is empty: a preset needs a [params] table (or [preset] extends)", path, 1)
        )
    doc = parse_toml(text, path)
    lines = key_lines(text)
    problems: list[Problem] = []
    if not ({"params", "preset"} & doc.keys()) and not doc:
        raise TunerError(
            Problem("has no [params] table (or [preset] extends): nothing to load", path, 1)
        )
    for table, value in doc.items():
        if table not in ("preset", "params"):
            from tuner.keys import NOT_TIMING, KeyKind, classify  # only for a problem

            problems.append(
                Problem(
                    unknown_key(table, ("preset", "params"), "table")
                    if isinstance(value, dict)
                    else "a param belongs under [params]"
                    if table in SPECS
                    else "a setting belongs under [preset]"
                    if table in PRESET_KEYS
                    else NOT_TIMING
                    if classify(table) is KeyKind.SIGNALWIRE
                    else "unknown top-level key; params go under [params]"
                    f"{did_you_mean(table, PARAM_NAMES)}",
                    path,
                    lines.get(("", table)),
                    table,
                )
            )
        elif not isinstance(value, dict):
            problems.append(Problem("must be a table", path, lines.get(("", table)), table))
    meta = doc.get("preset") if isinstance(doc.get("preset"), dict) else {}
    params = doc.get("params") if isinstance(doc.get("params"), dict) else {}
    assert isinstance(meta, dict) and isinstance(params, dict)
    for key, value in meta.items():
        line = lines.get(("preset", key))
        if key not in PRESET_KEYS:
            hint = did_you_mean(key, PRESET_KEYS)
            if key in SPECS:
                hint = "; params go under [params]"
            problems.append(Problem(f"unknown [preset] key{hint}", path, line, key))
        elif not isinstance(value, str):
            problems.append(Problem("must be text in quotes", path, line, key))
    extends = meta.get("extends")
    if isinstance(extends, str) and not (is_path(extends) or NAME_RE.match(extends)):
        problems.append(
            Problem(
                f'"{extends}" is not a preset name or a .toml path',
                path,
                lines.get(("preset", "extends")),
                "extends",
            )
        )
    values, params_problems = judge_params(params, path, lines)
    problems += params_problems
    if problems:
        raise TunerError(sorted(problems, key=lambda p: p.line or 0))
    description = meta.get("description", "")
    return PresetFile(
        description=description if isinstance(description, str) else "",
        extends=extends if isinstance(extends, str) else None,
        params=values or {},
        lines=lines,
    )


def judge_params(
    params: Mapping[str, Any],
    path: str | None = None,
    lines: Mapping[tuple[str, str], int] | None = None,
    table: str = "params",
) -> tuple[dict[str, Value] | None, list[Problem]]:
    """Judge a params mapping by the model's own rules (each field's `Param`, and no unknown
    key), without building the model: the values as the model keeps them (`800.0` becomes
    `800`), in declaration order, or None and every problem, located.

    `SpeechTiming.model_validate` applies the same `Param`s and gives the same messages; this
    runs without pydantic, so presets load (and the editor draws) before pydantic is imported.
    """
    kept: dict[str, Value] = {}
    problems: list[Problem] = []
    for key, value in params.items():
        line = (lines or {}).get((table, key))
        if key not in SPECS:
            from tuner.keys import unknown_key_message  # the SDK's keys, read for a problem

            problems.append(Problem(unknown_key_message(key), path, line, key))
            continue
        try:
            judged = SPECS[key].validate(value)
        except ParamError as exc:
            problems.append(Problem(str(exc), path, line, key))
            continue
        if judged is not None:
            kept[key] = judged
    if problems:
        return None, problems
    return {k: kept[k] for k in PARAM_NAMES if k in kept}, []


def check_params(
    params: Mapping[str, Any],
    path: str | None = None,
    lines: Mapping[tuple[str, str], int] | None = None,
    table: str = "params",
) -> tuple[SpeechTiming | None, list[Problem]]:
    """Judge a params mapping with the model, once: the model, or every problem it finds located."""
    from tuner.model import SpeechTiming

    values, problems = judge_params(params, path, lines, table)
    if values is None:
        return None, problems
    return SpeechTiming.model_construct(None, **values), []


def validate_params(
    params: Mapping[str, Any],
    path: str | None = None,
    lines: Mapping[tuple[str, str], int] | None = None,
    table: str = "params",
) -> list[Problem]:
    """Every problem the model finds in a params mapping, one per key, located."""
    return judge_params(params, path, lines, table)[1]


# -- loading ---------------------------------------------------------------------------------
