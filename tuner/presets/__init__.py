"""The presets layer: `PresetStore` finds, loads and saves presets; `Preset` is one of them;
`parse_overrides` reads `--set KEY=VALUE` the same way for every command and the editor.

The module-level `load`, `save`, `list_presets`... use a store built for the call from
`presets_dir` (else `$SPEECH_TUNER_PRESETS_DIR`, else the user config folder).
"""

from __future__ import annotations

from pathlib import Path

from tuner.presets.document import (
    PresetFile,
    check_params,
    judge_params,
    key_at,
    key_lines,
    parse_preset,
    parse_toml,
    validate_params,
)
from tuner.presets.files import MAX_FILE_BYTES, read_text, write_atomic
from tuner.presets.names import BUILTIN_NAMES, NAME_RE, PRESET_KEYS, check_name, is_path
from tuner.presets.overrides import (
    Override,
    field_text,
    judge,
    parse_overrides,
    read_assignments,
    read_value,
    value_error,
)
from tuner.presets.preset import Preset, PresetInfo, Source, from_params, with_overrides
from tuner.presets.store import (
    ENV_PRESETS_DIR,
    MAX_DEPTH,
    PathArg,
    PresetStore,
    builtin_dir,
    user_dir,
)


def load(ref: PathArg, presets_dir: PathArg | None = None) -> Preset:
    """Load a preset by name or path (see `PresetStore.load`)."""
    return PresetStore(presets_dir).load(ref)


def save(
    preset: Preset,
    presets_dir: PathArg | None = None,
    name: str | None = None,
    path: PathArg | None = None,
) -> Path:
    """Write a preset as a user preset, or to `path` (see `PresetStore.save`)."""
    return PresetStore(presets_dir).save(preset, name, path)


def list_presets(presets_dir: PathArg | None = None) -> list[PresetInfo]:
    """Every preset that can be opened by name (see `PresetStore.list_presets`)."""
    return PresetStore(presets_dir).list_presets()


__all__ = [
    "BUILTIN_NAMES",
    "ENV_PRESETS_DIR",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "NAME_RE",
    "PRESET_KEYS",
    "Override",
    "Preset",
    "PresetFile",
    "PresetInfo",
    "PresetStore",
    "Source",
    "builtin_dir",
    "check_name",
    "check_params",
    "field_text",
    "from_params",
    "is_path",
    "judge",
    "judge_params",
    "key_at",
    "key_lines",
    "list_presets",
    "load",
    "parse_overrides",
    "parse_preset",
    "parse_toml",
    "read_assignments",
    "read_text",
    "read_value",
    "save",
    "user_dir",
    "validate_params",
    "value_error",
    "with_overrides",
    "write_atomic",
]
