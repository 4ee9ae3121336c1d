"""Applying presets to a live SignalWire agent: at startup, from the environment, or per call."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from tuner.errors import TunerError
from tuner.params import Value
from tuner.presets import Preset, list_presets, load, with_overrides

ENV_PRESET = "SPEECH_TUNER_PRESET"
DEFAULT_PRESET = "normal"

log = logging.getLogger("tuner")


class Agent(Protocol):
    """The part of `AgentBase` (signalwire_agents or signalwire) that presets need."""

    def set_params(self, params: dict[str, Any]) -> Any: ...


def resolve_preset(
    preset: str | os.PathLike[str] | None = None,
    presets_dir: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> Preset:
    """The preset to apply: the one named, else `$SPEECH_TUNER_PRESET`, else "normal"."""
    ref = preset if preset is not None else os.environ.get(ENV_PRESET) or DEFAULT_PRESET
    return with_overrides(load(ref, presets_dir), overrides, source="apply_preset()")


def preset_params(
    preset: str | os.PathLike[str] | None = None,
    presets_dir: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> dict[str, Value]:
    """The validated `ai.params` of a preset (plus overrides), ready for `set_params`."""
    return resolve_preset(preset, presets_dir, **overrides).params.values()


def apply_preset(
    agent: Agent,
    preset: str | os.PathLike[str] | None = None,
    *,
    presets_dir: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> Preset:
    """Validate a preset and `agent.set_params()` it; raises TunerError before touching the agent.

    `preset` is a name or a .toml path; None means `$SPEECH_TUNER_PRESET`, else "normal".
    Keyword overrides are params (`end_of_speech_timeout=900`), validated like a file.
    """
    chosen = resolve_preset(preset, presets_dir, **overrides)
    for warning in chosen.warnings():
        log.warning("speech-tuner: %s", warning)
    agent.set_params(chosen.params.values())
    agent._speech_tuner_preset = chosen.name  # type: ignore[attr-defined]
    return chosen


ConfigCallback = Callable[[dict[str, Any], dict[str, Any], dict[str, Any], Any], None]


def use_call_presets(
    agent: Any,
    query_param: str = "preset",
    *,
    presets: Iterable[str] | None = None,
    presets_dir: str | os.PathLike[str] | None = None,
) -> Mapping[str, dict[str, Value]]:
    """Let each call pick a preset with `?preset=NAME` on the agent's URL.

    Every preset that can be chosen is loaded and validated now, so a broken one fails at
    startup; at call time an unknown name keeps the startup params and logs a warning (the
    platform never sees an error). The chosen preset is forwarded to the call's SWAIG requests.
    An existing dynamic config callback keeps running, before the preset is applied.
    Returns the table of choosable presets and their params.
    """
    names = list(presets) if presets is not None else [p.name for p in list_presets(presets_dir)]
    table: dict[str, dict[str, Value]] = {}
    for name in names:
        table[name] = load(name, presets_dir).params.values()
    previous: ConfigCallback | None = getattr(agent, "_dynamic_config_callback", None)

    def configure(
        query: dict[str, Any], body: dict[str, Any], headers: dict[str, Any], call_agent: Any
    ) -> None:
        if previous is not None:
            previous(query, body, headers, call_agent)
        name = query.get(query_param)
        if not name:
            return
        values = table.get(name)
        if values is None:
            log.warning(
                "speech-tuner: unknown preset %r in ?%s=; keeping the startup params",
                name,
                query_param,
            )
            return
        call_agent.set_params(values)
        call_agent.add_swaig_query_params({query_param: name})

    agent.set_dynamic_config_callback(configure)
    return table


__all__ = ["ENV_PRESET", "TunerError", "apply_preset", "preset_params", "use_call_presets"]
