"""Finding, loading and saving presets: built-in, the user's folder, or an explicit path."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from tuner.errors import Problem, TunerError, did_you_mean, unknown_key
from tuner.keys import NOT_TIMING, KeyKind, classify, unknown_key_message
from tuner.params import PARAM_NAMES, SPECS, SpeechTiming, Value

Source = Literal["built-in", "user", "file"]

ENV_PRESETS_DIR = "SPEECH_TUNER_PRESETS_DIR"
NAME_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
BUILTIN_NAMES = ("quick", "normal", "elderly")
#: Keys allowed in the `[preset]` table.
PRESET_KEYS = ("description", "extends")
#: Longest `extends` chain; deeper is surely a mistake (and keeps recursion bounded).
MAX_DEPTH = 32
#: Preset files are small; refuse anything larger before parsing it.
MAX_FILE_BYTES = 1_000_000


@dataclass
class Preset:
    """A loaded preset: its own settings plus everything inherited through `extends`."""

    name: str
    description: str = ""
    extends: str | None = None
    params: SpeechTiming = field(default_factory=SpeechTiming)
    #: The values written in this preset's own file.
    own: dict[str, Value] = field(default_factory=dict)
    #: For each set param, the name of the preset that set it (this one or an ancestor).
    origins: dict[str, str] = field(default_factory=dict)
    source: Source = "file"
    path: Path | None = None
    #: The resolved params of the preset this one extends (empty when it extends nothing).
    parent: SpeechTiming = field(default_factory=SpeechTiming)
    #: Line of each key in this preset's file, by (table, key): where its problems point.
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def origin(self, key: str) -> str:
        """Where the effective value of `key` comes from, in words."""
        who = self.origins.get(key)
        if who is None:
            return "platform default"
        return "this preset" if who == self.name and key in self.own else f"from {who}"

    def warnings(self) -> list[Problem]:
        """The model's warnings, located in this preset's file where possible."""
        return [
            Problem(msg, _display(self.path), self.lines.get(("params", key)), key, "warning")
            for key, msg in self.params.warnings()
        ]


@dataclass(frozen=True)
class PresetInfo:
    """One row of `list`: a preset that can be opened, without loading it."""

    name: str
    source: Source
    path: Path
    description: str


# -- where presets live ----------------------------------------------------------------------
def builtin_dir() -> Path:
    """The folder of the built-in presets: inside the installed package, else the source tree."""
    here = Path(__file__).resolve().parent
    packaged = here / "presets"
    return packaged if packaged.is_dir() else here.parent / "presets"


def user_dir(presets_dir: str | os.PathLike[str] | None = None) -> Path:
    """The user presets folder: the option, else `$SPEECH_TUNER_PRESETS_DIR`, else the OS's."""
    if presets_dir:
        return Path(presets_dir).expanduser()
    env = os.environ.get(ENV_PRESETS_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only needed when no folder is given

    return Path(platformdirs.user_config_dir("speech-tuner")) / "presets"


def is_path(ref: str) -> bool:
    """Whether a preset reference names a file rather than a preset."""
    return "/" in ref or os.sep in ref or ref.endswith(".toml")


def check_name(name: str) -> str:
    """Return `name` if it is a valid preset name, else raise a TunerError saying why."""
    if not NAME_RE.match(name):
        raise TunerError(
            Problem(
                f'"{name}" is not a valid preset name: use 1-64 lowercase letters, digits, '
                '"-" or "_" (no "/" or "..")',
                key="name",
            )
        )
    return name


def list_presets(presets_dir: str | os.PathLike[str] | None = None) -> list[PresetInfo]:
    """Every preset that can be opened by name; a user preset shadows a built-in of its name."""
    found: dict[str, PresetInfo] = {}
    for source, folder in (("built-in", builtin_dir()), ("user", user_dir(presets_dir))):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            if NAME_RE.match(path.stem):
                found[path.stem] = PresetInfo(path.stem, source, path, _peek_description(path))  # type: ignore[arg-type]
    order = {name: i for i, name in enumerate(BUILTIN_NAMES)}
    return sorted(found.values(), key=lambda p: (order.get(p.name, len(order)), p.name))


def _peek_description(path: Path) -> str:
    try:
        doc = tomllib.loads(read_text(path))
        desc = doc.get("preset", {}).get("description", "")
        return desc if isinstance(desc, str) else ""
    except (TunerError, tomllib.TOMLDecodeError, AttributeError):
        return ""


def locate(
    ref: str, presets_dir: str | os.PathLike[str] | None = None, *, skip: Path | None = None
) -> tuple[Path, Source]:
    """The file a preset reference points at, and where it was found."""
    if is_path(ref):
        return Path(ref).expanduser(), "file"
    check_name(ref)
    for source, folder in (("user", user_dir(presets_dir)), ("built-in", builtin_dir())):
        path = folder / f"{ref}.toml"
        if path.is_file() and (skip is None or _real(path) != _real(skip)):
            return path, source  # type: ignore[return-value]
    known = sorted(p.name for p in list_presets(presets_dir))
    raise TunerError(
        Problem(
            f'unknown preset "{ref}"{did_you_mean(ref, known)}; known presets: {", ".join(known)}'
        )
    )


# -- reading ---------------------------------------------------------------------------------
def _display(path: Path | None) -> str | None:
    return None if path is None else str(path)


def read_text(path: Path) -> str:
    """A preset file's text, or a TunerError naming the file and what is wrong with it."""
    where = str(path)
    try:
        if path.is_dir():
            raise TunerError(Problem("is a directory, not a preset file", where))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TunerError(
                Problem(f"is {size} bytes; a preset file is at most {MAX_FILE_BYTES}", where)
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise TunerError(Problem("no such file", where)) from None
    except PermissionError:
        raise TunerError(Problem("cannot be read: permission denied", where)) from None
    except OSError as exc:
        raise TunerError(Problem(f"cannot be read: {exc.strerror or exc}", where)) from None
    try:
        return data.decode("utf-8-sig")  # editors on Windows may write a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        key = key_at(data.decode("utf-8", "replace"), line)
        raise TunerError(
            Problem(f"is not UTF-8 text (bad byte at offset {exc.start})", where, line, key)
        ) from None


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
    problems += validate_params(params, path, lines)
    if problems:
        raise TunerError(sorted(problems, key=lambda p: p.line or 0))
    description = meta.get("description", "")
    return PresetFile(
        description=description if isinstance(description, str) else "",
        extends=extends if isinstance(extends, str) else None,
        params=SpeechTiming.model_validate(params).values(),
        lines=lines,
    )


def validate_params(
    params: Mapping[str, Any],
    path: str | None = None,
    lines: Mapping[tuple[str, str], int] | None = None,
    table: str = "params",
) -> list[Problem]:
    """Every problem the model finds in a params mapping, one per key, located."""
    try:
        SpeechTiming.model_validate(dict(params))
    except ValidationError as exc:
        return [_problem(err, path, lines or {}, table) for err in exc.errors()]
    return []


def _problem(
    err: Mapping[str, Any], path: str | None, lines: Mapping[tuple[str, str], int], table: str
) -> Problem:
    key = str(err["loc"][0]) if err.get("loc") else None
    line = lines.get((table, key)) if key else None
    if err["type"] == "extra_forbidden" and key:
        return Problem(unknown_key_message(key), path, line, key)
    return Problem(str(err["msg"]), path, line, key)


# -- loading ---------------------------------------------------------------------------------
def load(ref: str | os.PathLike[str], presets_dir: str | os.PathLike[str] | None = None) -> Preset:
    """Load a preset by name or path, following `extends`; raise TunerError on any problem."""
    return _load(str(ref), presets_dir, chain=[], skip=None)


def _load(
    ref: str, presets_dir: str | os.PathLike[str] | None, chain: list[Path], skip: Path | None
) -> Preset:
    path, source = locate(ref, presets_dir, skip=skip)
    resolved = _real(path)
    if resolved in [_real(p) for p in chain] or len(chain) >= MAX_DEPTH:
        names = " -> ".join(p.stem for p in [*chain, path])
        line = key_lines(read_text(chain[-1])).get(("preset", "extends"))
        raise TunerError(Problem(f"extends cycle: {names}", str(chain[-1]), line, "extends"))
    text = read_text(path)
    own = parse_preset(text, str(path))
    name = path.stem if source != "file" or NAME_RE.match(path.stem) else "custom"
    preset = Preset(
        name=name,
        description=own.description,
        extends=own.extends,
        own=dict(own.params),
        source=source,
        path=path,
        lines=own.lines,
    )
    merged: dict[str, Value] = {}
    if own.extends:
        parent_ref = own.extends
        if is_path(parent_ref) and not Path(parent_ref).is_absolute():
            parent_ref = str(path.parent / parent_ref)
        try:
            # A user preset may extend the built-in it shadows: skip its own file when resolving.
            parent = _load(parent_ref, presets_dir, [*chain, path], skip=resolved)
        except TunerError as exc:
            line = own.lines.get(("preset", "extends"))
            raise TunerError(
                [
                    Problem(
                        f"cannot extend: {p.path + ': ' if p.path else ''}{p.message}",
                        str(path),
                        line,
                        "extends",
                    )
                    if p.line is None and p.key is None
                    else p
                    for p in exc.problems
                ]
            ) from None
        merged.update(parent.params.values())
        preset.origins.update(parent.origins)
        preset.parent = parent.params
    merged.update(own.params)
    preset.origins.update(dict.fromkeys(own.params, name))
    preset.params = SpeechTiming.model_validate(merged)
    return preset


def from_params(
    name: str,
    params: Mapping[str, Any],
    description: str = "",
    base: Preset | None = None,
) -> Preset:
    """A preset built in memory (e.g. by `new` or `--set`), validated like a file."""
    problems = validate_params(params)
    if problems:
        raise TunerError(problems)
    values = SpeechTiming.model_validate(dict(params)).values()
    merged = {**(base.params.values() if base else {}), **values}
    origins = dict(base.origins) if base else {}
    origins.update(dict.fromkeys(values, name))
    return Preset(
        name=name,
        description=description or (base.description if base else ""),
        extends=base.name if base else None,
        params=SpeechTiming.model_validate(merged),
        own=values,
        origins=origins,
        source="user",
        parent=base.params if base else SpeechTiming(),
    )


def with_overrides(preset: Preset, overrides: Mapping[str, Any], source: str = "--set") -> Preset:
    """A copy of `preset` with some params replaced, validated; errors name `source`."""
    if not overrides:
        return preset
    problems = validate_params(overrides)
    if problems:
        raise TunerError([Problem(p.message, source, None, p.key) for p in problems])
    merged = {**preset.params.values(), **overrides}
    params = SpeechTiming.model_validate(merged)
    own = {**preset.own, **SpeechTiming.model_validate(dict(overrides)).values()}
    origins = {**preset.origins, **dict.fromkeys(overrides, preset.name)}
    return replace(preset, params=params, own=own, origins=origins)


def parse_assignments(items: Iterable[str], source: str = "--set") -> dict[str, Value]:
    """Parse `KEY=VALUE` strings; values are TOML (`800`, `true`, `"text"`), bare text for text."""
    out: dict[str, Value] = {}
    problems: list[Problem] = []
    for item in items:
        key, eq, raw = item.partition("=")
        key = key.strip()
        if not eq or not key:
            problems.append(Problem(f'"{item}" is not KEY=VALUE', source))
            continue
        if key not in SPECS:
            problems.append(Problem(unknown_key_message(key), source, None, key))
            continue
        try:
            out[key] = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            if SPECS[key].kind in ("text", "choice", "barge") or raw.strip().startswith(("$", "%")):
                out[key] = raw.strip()
            else:
                problems.append(
                    Problem(
                        f'"{raw}" does not parse as a value (numbers like 800, true/false, '
                        "text in quotes)",
                        source,
                        None,
                        key,
                    )
                )
    if problems:
        raise TunerError(problems)
    return out


# -- saving ----------------------------------------------------------------------------------
def save(
    preset: Preset,
    presets_dir: str | os.PathLike[str] | None = None,
    name: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a preset atomically, as a user preset (or to `path`); built-ins are never touched.

    With `extends`, only the params that differ from the parent are written.
    """
    from tuner.export import to_toml

    if path is None:
        target = user_dir(presets_dir) / f"{check_name(name or preset.name)}.toml"
    else:
        target = Path(path)
    if _real(target).parent == _real(builtin_dir()):
        raise TunerError(Problem("built-in presets are never overwritten", str(target)))
    write_atomic(target, to_toml(preset))
    return target


def write_atomic(target: Path, text: str) -> None:
    """Replace `target` with `text` so that a crash leaves either the old or the new file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise TunerError(
            Problem(f"cannot write here: {exc.strerror or exc}", str(target.parent))
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise TunerError(Problem(f"cannot write: {exc.strerror or exc}", str(target))) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _real(path: Path) -> Path:
    """The canonical path, without raising on symlink loops (reading the file reports those)."""
    return Path(os.path.realpath(path))
