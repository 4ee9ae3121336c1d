"""A loaded preset: its own values versus what it inherits, its warnings, and its TOML document."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from tuner.errors import Problem, TunerError
from tuner.params import Timing, Value
from tuner.presets.document import judge_params

Source = Literal["built-in", "user", "file"]


def _model() -> Timing:
    """An empty `SpeechTiming` (pydantic is loaded here, not when presets are imported)."""
    from tuner.model import SpeechTiming

    return SpeechTiming()


@dataclass
class Preset:
    """A loaded preset: its own settings plus everything inherited through `extends`."""

    name: str
    description: str = ""
    extends: str | None = None
    #: The resolved values: a `SpeechTiming` (the Pydantic model) from `PresetStore.load`, a
    #: `JudgedTiming` (the same values, without pydantic) from `PresetStore.peek`.
    params: Timing = field(default_factory=_model)
    #: The values written in this preset's own file (or set on it since).
    own: dict[str, Value] = field(default_factory=dict)
    #: For each set param, the name of the preset that set it (this one or an ancestor).
    origins: dict[str, str] = field(default_factory=dict)
    source: Source = "file"
    path: Path | None = None
    #: The resolved params of the preset this one extends (empty when it extends nothing).
    parent: Timing = field(default_factory=_model)
    #: Line of each key in this preset's file, by (table, key): where its problems point.
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Params set from outside the file (`--set`, `apply_preset(...)`): key -> where.
    overridden: dict[str, str] = field(default_factory=dict)

    def origin(self, key: str) -> str:
        """Where the effective value of `key` comes from, in words."""
        who = self.origins.get(key)
        if who is None:
            return "platform default"
        return "this preset" if who == self.name and key in self.own else f"from {who}"

    def warnings(self) -> list[Problem]:
        """The model's warnings, located where the value was written: the file, or `--set`."""
        where = None if self.path is None else str(self.path)
        out = []
        for key, msg in self.params.warnings():
            if key in self.overridden:
                out.append(Problem(msg, self.overridden[key], None, key, "warning"))
            else:
                out.append(Problem(msg, where, self.lines.get(("params", key)), key, "warning"))
        return out

    # -- own versus inherited --------------------------------------------------------------
    def written(self) -> dict[str, Value]:
        """What this preset's file holds: with `extends`, only what differs from the parent
        (or was written here); without, every value.

        A param unset here but set in the parent cannot be expressed: the parent's stays.
        """
        values = self.params.values()
        if not self.extends:
            return values
        inherited = self.parent.values()
        return {k: v for k, v in values.items() if k in self.own or inherited.get(k) != v}

    def with_params(self, params: Timing, name: str | None = None) -> Preset:
        """This preset holding other (already valid) values, e.g. the editor's; keeps `extends`."""
        name = name or self.name
        copy = replace(self, name=name, params=params, overridden={})
        own = copy.written() if self.extends else params.values()
        inherited = {k: who for k, who in self.origins.items() if who != self.name}
        origins = {k: name if k in own else inherited.get(k, name) for k in params.values()}
        return replace(copy, own=own, origins=origins)

    def with_overrides(
        self, overrides: Mapping[str, Value | None], source: str = "--set"
    ) -> Preset:
        """A copy with some params replaced (None: back to the platform default), validated
        once; problems name `source`."""
        if not overrides:
            return self
        given, problems = judge_params(overrides)
        if given is None:
            raise TunerError([Problem(p.message, source, None, p.key) for p in problems])
        cleared = {k for k, v in overrides.items() if v is None}
        merged = {k: v for k, v in self.params.values().items() if k not in cleared}
        merged.update(given)
        own = {k: v for k, v in self.own.items() if k not in cleared} | given
        origins = {k: v for k, v in self.origins.items() if k not in cleared}
        origins.update(dict.fromkeys(given, self.name))
        return replace(
            self,
            params=self.params.holding(merged),  # every value was judged above
            own=own,
            origins=origins,
            overridden={**self.overridden, **dict.fromkeys(overrides, source)},
        )

    def child(self, name: str, description: str = "") -> Preset:
        """A new preset that extends this one and sets nothing yet."""
        return Preset(
            name=name,
            description=description or self.description,
            extends=self.name,
            params=self.params,
            origins=dict(self.origins),
            source="user",
            parent=self.params,
        )

    # -- the TOML document -----------------------------------------------------------------
    def to_toml(self, *, flatten: bool = False) -> str:
        """A preset file that loads back to the same values.

        `flatten` writes every resolved value and drops `extends` (a self-contained export);
        otherwise a preset that extends another keeps only what differs from its parent.
        """
        from tuner.presets.toml_doc import render

        return render(self, flatten=flatten)

    def document(self, base: str | None) -> str:
        """This preset's file written over `base`, the text of the file it replaces: its
        comments, key order and formatting stay, only changed values change; without a usable
        base, a fresh document."""
        from tuner.presets.toml_doc import render, update

        return render(self) if base is None else update(self, base)


@dataclass(frozen=True)
class PresetInfo:
    """One row of `list`: a preset that can be opened, without loading it."""

    name: str
    source: Source
    path: Path
    description: str


def from_params(
    name: str,
    params: Mapping[str, Value | None],
    description: str = "",
    base: Preset | None = None,
    source: str = "--set",
) -> Preset:
    """A preset built in memory (by `new`, `--write-preset`), validated like a file."""
    start = base.child(name, description) if base else Preset(name, description, source="user")
    return start.with_overrides(params, source)


def with_overrides(
    preset: Preset, overrides: Mapping[str, Value | None], source: str = "--set"
) -> Preset:
    """`preset.with_overrides(...)`, as a function."""
    return preset.with_overrides(overrides, source)
