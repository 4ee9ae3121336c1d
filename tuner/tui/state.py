"""The editing session behind the TUI: current values, the model's errors, what differs from disk.

Kept free of Textual so it can be reasoned about (and tested) on its own; the widgets only show it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tuner import presets
from tuner.errors import Problem, TunerError, unknown_key
from tuner.params import PARAM_NAMES, SPECS, SWML_VAR, SpeechTiming, Value
from tuner.presets import Preset


def parse_field(key: str, text: str) -> Value | None:
    """What a person typed into a field, as the value the model should judge.

    Empty means "the platform default". Numbers are read as numbers; anything else is passed on as
    text so that the model, not this function, says what is wrong with it.
    """
    text = text.strip()
    if not text:
        return None
    kind = SPECS[key].kind
    if kind in ("text", "choice"):
        return text
    if kind in ("boolean", "barge") and text.lower() in ("true", "false", "on", "off"):
        return text.lower() in ("true", "on")
    if kind in ("integer", "number") and not SWML_VAR.match(text):
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                pass
    return text


def field_text(value: Value | None) -> str:
    """A value as it is typed into a field (the inverse of `parse_field`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def model_error(key: str, value: Value | None) -> str | None:
    """The model's own message for `key = value`, or None when the model accepts it."""
    problems = presets.validate_params({key: value})
    return problems[0].message if problems else None


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


@dataclass
class Session:
    """One preset being edited: what was read from disk and what the person has typed since."""

    presets_dir: str | os.PathLike[str] | None
    #: The preset as it is on disk (reloaded after every save): the reference for "unsaved".
    saved: Preset
    #: The current valid value of every set param.
    values: dict[str, Value] = field(default_factory=dict)
    #: Fields whose text the model rejects: key -> (text, the model's message).
    invalid: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: The save target's text when the preset was opened or last saved (None: no file yet).
    target_text: str | None = None

    @classmethod
    def open(cls, ref: str, presets_dir: str | os.PathLike[str] | None = None) -> Session:
        preset = presets.load(ref, presets_dir)
        session = cls(presets_dir, preset, dict(preset.params.values()))
        session.target_text = _read(session.target())
        return session

    # -- editing ---------------------------------------------------------------------------
    def set(self, key: str, value: Value | None, text: str | None = None) -> str | None:
        """Set a param; returns the model's error (the field then keeps its text), else None."""
        error = model_error(key, value)
        if error is not None:
            self.invalid[key] = (field_text(value) if text is None else text, error)
            return error
        self.invalid.pop(key, None)
        if value is None:
            self.values.pop(key, None)
        else:
            self.values[key] = value
        return None

    def set_text(self, key: str, text: str) -> str | None:
        return self.set(key, parse_field(key, text), text)

    def revert(self, key: str) -> None:
        """Back to the value on disk."""
        self.invalid.pop(key, None)
        original = self.saved.params.values().get(key)
        self.set(key, original)

    def revert_all(self) -> None:
        self.invalid.clear()
        self.values = dict(self.saved.params.values())

    # -- reading ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.saved.name

    def params(self) -> SpeechTiming:
        """The valid current values; a field the model rejects counts as its value on disk,
        whatever was typed or set before (see `fallbacks`)."""
        current = dict(self.values)
        current.update(self._disk_values(self.invalid))
        for key in self.invalid:
            if key not in self.saved.params.values():
                current.pop(key, None)
        ordered = {k: current[k] for k in PARAM_NAMES if k in current}
        return SpeechTiming.model_validate(ordered)

    def _disk_values(self, keys: Iterable[str]) -> dict[str, Value]:
        before = self.saved.params.values()
        return {k: before[k] for k in keys if k in before}

    def fallbacks(self) -> dict[str, str]:
        """For each field the model rejects, what the previews and the timeline use instead:
        key -> a sentence such as `"200" is invalid: using 500, the value on disk`."""
        before = self.saved.params.values()
        out = {}
        for key, (text, _) in self.invalid.items():
            spec = SPECS[key]
            if key in before:
                used = f"{field_text(before[key])}, the value on disk"
            elif isinstance(spec.default, str) and len(spec.default) > 12:
                used = "the platform's default text"
            elif spec.default is not None:
                used = f"the platform default {field_text(spec.default)}"
            else:
                used = "nothing (not set on disk)"
            out[key] = f"{text!r} is invalid: using {used}"
        return out

    def value(self, key: str) -> Value | None:
        return self.values.get(key)

    def changes(self) -> dict[str, tuple[Value | None, Value | None]]:
        """Every param that differs from the file on disk: key -> (on disk, now)."""
        before = self.saved.params.values()
        out = {}
        for key in PARAM_NAMES:
            if key in self.invalid or before.get(key) != self.values.get(key):
                out[key] = (before.get(key), self.values.get(key))
        return out

    def unsaved(self) -> int:
        return len(self.changes())

    def errors(self) -> dict[str, str]:
        return {key: message for key, (_, message) in self.invalid.items()}

    def warnings(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, message in self.params().warnings():
            out.setdefault(key, []).append(message)
        return out

    def compare(self, other: Preset) -> dict[str, tuple[Value | None, Value | None]]:
        """Params whose effective value differs from another preset: key -> (other, now)."""
        mine, theirs = self.params(), other.params
        return {
            key: (theirs.values().get(key), mine.values().get(key))
            for key in PARAM_NAMES
            if mine.effective(key) != theirs.effective(key)
        }

    def preset(self, name: str | None = None) -> Preset:
        """The current values as a preset to write; keeps `extends` and writes only its own."""
        base = self.saved
        params = self.params()
        inherited = base.parent.values()
        own = {k: v for k, v in params.values().items() if k in base.own or inherited.get(k) != v}
        return Preset(
            name=name or base.name,
            description=base.description,
            extends=base.extends,
            params=params,
            own=own,
            origins=dict(base.origins),
            source=base.source,
            path=base.path,
            parent=base.parent,
        )

    # -- saving ----------------------------------------------------------------------------
    def target(self, name: str | None = None) -> Path:
        """Where saving writes: the file itself for a file or user preset, else the user folder."""
        if name is None and self.saved.source == "file" and self.saved.path is not None:
            return self.saved.path
        return presets.user_dir(self.presets_dir) / f"{presets.check_name(name or self.name)}.toml"

    def changed_on_disk(self) -> bool:
        """Whether the save target was changed by someone else since it was opened or saved."""
        return _read(self.target()) != self.target_text

    def shadows_builtin(self, name: str | None = None) -> bool:
        return (presets.builtin_dir() / f"{name or self.name}.toml").is_file()

    def save(self, name: str | None = None) -> Path:
        """Write the current values; on success the file becomes the new reference."""
        if self.invalid:
            raise TunerError(
                [Problem(message, None, None, key) for key, message in self.errors().items()]
            )
        target = self.target(name)
        if self.saved.source == "file" and name is None:
            presets.save(self.preset(), path=target)
        else:
            presets.save(self.preset(name), self.presets_dir, name=name or self.name)
        reloaded = presets.load(
            str(target) if self.saved.source == "file" and name is None else (name or self.name),
            self.presets_dir,
        )
        self.saved = reloaded
        self.values = dict(reloaded.params.values())
        self.target_text = _read(target)
        return target


def parse_overrides(items: Sequence[str]) -> list[tuple[str, Value | None, str]]:
    """`--set KEY=VALUE` items as (key, value, text); unknown keys are errors, values are not.

    A value is read as TOML (`800`, `true`, `"text"`), else taken as typed, and judged later by
    the model like any value typed into the editor.
    """
    out: list[tuple[str, Value | None, str]] = []
    problems: list[Problem] = []
    for item in items:
        key, eq, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not eq or not key:
            problems.append(Problem(f'"{item}" is not KEY=VALUE', "--set"))
        elif key not in SPECS:
            problems.append(Problem(unknown_key(key, PARAM_NAMES), "--set", None, key))
        else:
            try:
                value: Value | None = tomllib.loads(f"v = {raw}")["v"]
            except tomllib.TOMLDecodeError:
                value = parse_field(key, raw)
            if not isinstance(value, (bool, int, float, str)):
                value = raw
            out.append((key, value, raw if isinstance(value, str) else field_text(value)))
    if problems:
        raise TunerError(problems)
    return out
