"""The editing session behind the TUI: current values, the model's errors, what differs from disk.

Kept free of Textual so it can be reasoned about (and tested) on its own; the widgets only show it.
Values typed into a field are read by the presets layer's one override reader, so a field and
`--set` accept the same text and reject it with the same message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tuner.errors import Problem, TunerError
from tuner.params import PARAM_NAMES, SPECS, Timing, Value
from tuner.presets import Preset, PresetStore
from tuner.presets.files import read_if_any
from tuner.presets.overrides import Override, field_text, judge, read_value

__all__ = ["Session", "field_text"]


@dataclass
class Session:
    """One preset being edited: what was read from disk and what the person has typed since."""

    store: PresetStore
    #: The preset as it is on disk (reloaded after every save): the reference for "unsaved".
    saved: Preset
    #: The current valid value of every set param.
    values: dict[str, Value] = field(default_factory=dict)
    #: Fields whose text the model rejects: key -> (text, the model's message).
    invalid: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: The save target's text when the preset was opened or last saved (None: no file yet).
    target_text: str | None = None

    @classmethod
    def open(cls, store: PresetStore, ref: str, overrides: Iterable[Override] = ()) -> Session:
        """A session on a preset, with overrides (`--set`) applied as unsaved edits.

        The preset is read without pydantic (`PresetStore.peek`: the same checks, by the
        model's own `Param`s), so the editor draws its first frame before pydantic is loaded."""
        preset = store.peek(ref)
        session = cls(store, preset, dict(preset.params.values()))
        session.target_text = read_if_any(session.target())
        for override in overrides:
            session.set(override.key, override.value, override.text)
        return session

    # -- editing ---------------------------------------------------------------------------
    def set(self, key: str, value: Value | None, text: str | None = None) -> str | None:
        """Set a param; returns the model's error (the field then keeps its text), else None."""
        kept, error = judge(key, value)
        if error is not None:
            self.invalid[key] = (field_text(value) if text is None else text, error)
            return error
        self.invalid.pop(key, None)
        if kept is None:
            self.values.pop(key, None)
        else:
            self.values[key] = kept
        return None

    def set_text(self, key: str, text: str) -> str | None:
        """Set a param from what was typed into its field (read like `--set KEY=text`)."""
        return self.set(key, read_value(key, text), text)

    def revert(self, key: str) -> None:
        """Back to the value on disk."""
        self.invalid.pop(key, None)
        self.set(key, self.saved.params.values().get(key))

    def revert_all(self) -> None:
        self.invalid.clear()
        self.values = dict(self.saved.params.values())

    # -- reading ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.saved.name

    def params(self) -> Timing:
        """The valid current values; a field the model rejects counts as its value on disk,
        whatever was typed or set before (see `fallbacks`)."""
        current = dict(self.values)
        current.update(self._disk_values(self.invalid))
        for key in self.invalid:
            if key not in self.saved.params.values():
                current.pop(key, None)
        ordered = {k: current[k] for k in PARAM_NAMES if k in current}
        return self.saved.params.holding(ordered)  # each value was judged when set

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
        return self.saved.with_params(self.params(), name)

    # -- saving ----------------------------------------------------------------------------
    def _in_place(self, name: str | None) -> bool:
        """Whether saving rewrites the opened file itself (a preset opened by path)."""
        return name is None and self.saved.source == "file" and self.saved.path is not None

    def target(self, name: str | None = None) -> Path:
        """Where saving writes: the file itself for a file or user preset, else the user folder."""
        if self._in_place(name):
            assert self.saved.path is not None
            return self.saved.path
        return self.store.path_for(name or self.name)

    def changed_on_disk(self) -> bool:
        """Whether the save target was changed by someone else since it was opened or saved."""
        return read_if_any(self.target()) != self.target_text

    def shadows_builtin(self, name: str | None = None) -> bool:
        return self.store.shadows_builtin(name or self.name)

    def save(self, name: str | None = None) -> Path:
        """Write the current values; on success the file becomes the new reference."""
        if self.invalid:
            raise TunerError(
                [Problem(message, None, None, key) for key, message in self.errors().items()]
            )
        target = self.target(name)
        in_place = self._in_place(name)
        self.store.save(self.preset(name), path=target)
        reloaded = self.store.peek(str(target) if in_place else (name or self.name))
        self.saved = reloaded
        self.values = dict(reloaded.params.values())
        self.target_text = read_if_any(target)
        return target
