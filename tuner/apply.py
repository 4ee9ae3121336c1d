"""Applying presets to a live SignalWire agent: at startup, from the environment, or per call.

Works with `AgentBase` from `signalwire_agents` and from its successor `signalwire`; neither
is imported here, so `import tuner` stays light.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from tuner.errors import Problem, TunerError
from tuner.experiment.split import EXPERIMENT_QUERY, caller_number
from tuner.params import PARAM_NAMES, Value
from tuner.presets import Preset, PresetStore

ENV_PRESET = "SPEECH_TUNER_PRESET"
DEFAULT_PRESET = "normal"
#: The attribute that records which preset an agent (or a per-call copy of it) uses.
_ACTIVE = "_speech_tuner_preset"
#: The attribute that records the experiment that dealt a call its preset.
_EXPERIMENT = "_speech_tuner_experiment"
#: Longest preset name quoted back in a warning (the query string is the caller's input).
_QUOTE_MAX = 64

if TYPE_CHECKING:
    import logging


def _log() -> logging.Logger:
    """The "tuner" logger; `logging` is imported on first use to keep `import tuner` light."""
    import logging

    return logging.getLogger("tuner")


ConfigCallback = Callable[[dict[str, Any], dict[str, Any], dict[str, Any], Any], None]


class Agent(Protocol):
    """The part of `AgentBase` (signalwire_agents or signalwire) that presets need."""

    def set_params(self, params: dict[str, Any]) -> Any: ...


def _store(store: PresetStore | None, presets_dir: str | os.PathLike[str] | None) -> PresetStore:
    """The store given, else one on `presets_dir` (else `$SPEECH_TUNER_PRESETS_DIR`...)."""
    if store is not None:
        if presets_dir is not None:
            raise TunerError(Problem("give store or presets_dir, not both", key="presets_dir"))
        return store
    return PresetStore(presets_dir)


def resolve_preset(
    preset: str | os.PathLike[str] | None = None,
    presets_dir: str | os.PathLike[str] | None = None,
    *,
    store: PresetStore | None = None,
    **overrides: Any,
) -> Preset:
    """The preset to apply: the one named, else `$SPEECH_TUNER_PRESET`, else "normal".

    Raises TunerError for an unknown or invalid preset or override; a bad name is reported
    against `$SPEECH_TUNER_PRESET` when that is where it came from.
    """
    from_env = preset is None and bool(os.environ.get(ENV_PRESET))
    ref = preset if preset is not None else os.environ.get(ENV_PRESET) or DEFAULT_PRESET
    where = f"${ENV_PRESET}" if from_env else "apply_preset()"
    chosen = _load(_store(store, presets_dir), ref, where)
    return chosen.with_overrides(overrides, source="apply_preset()")


def _load(store: PresetStore, ref: str | os.PathLike[str], where: str) -> Preset:
    """`store.load`, with a problem that has no file (a bad name) located at `where`."""
    try:
        return store.load(ref)
    except TunerError as exc:
        raise TunerError(
            [Problem(p.message, p.path or where, p.line, p.key) for p in exc.problems]
        ) from None


def preset_params(
    preset: str | os.PathLike[str] | None = None,
    presets_dir: str | os.PathLike[str] | None = None,
    *,
    store: PresetStore | None = None,
    **overrides: Any,
) -> dict[str, Value]:
    """The validated `ai.params` of a preset (plus overrides), ready for `set_params`."""
    return resolve_preset(preset, presets_dir, store=store, **overrides).params.values()


def _replace_timing(agent: Agent, values: Mapping[str, Value]) -> None:
    """Make the agent's speech-timing params exactly `values`; other params are kept.

    `set_params` is a `dict.update`: without this, a key set by an earlier preset (or an
    earlier `set_params`) and left out of this one would linger and mix two presets.
    """
    current = getattr(agent, "_params", None)
    if isinstance(current, dict):
        for key in PARAM_NAMES:
            current.pop(key, None)
    if values:
        agent.set_params(dict(values))


def apply_preset(
    agent: Agent,
    preset: str | os.PathLike[str] | None = None,
    *,
    presets_dir: str | os.PathLike[str] | None = None,
    store: PresetStore | None = None,
    **overrides: Any,
) -> Preset:
    """Validate a preset and make it the agent's speech timing; the agent is untouched on error.

    `preset` is a name or a .toml path; None means `$SPEECH_TUNER_PRESET`, else "normal".
    Presets are found in `store` (a `PresetStore`), else in `presets_dir`.
    Keyword overrides are params (`end_of_speech_timeout=900`), validated like a file.
    Speech-timing params the preset leaves out are removed from the agent (platform default);
    other params (`temperature`, `ai_model`, ...) are kept. Warnings are logged on "tuner".
    """
    chosen = resolve_preset(preset, presets_dir, store=store, **overrides)
    for warning in chosen.warnings():
        _log().warning("speech-tuner: %s", warning)
    _replace_timing(agent, chosen.params.values())
    setattr(agent, _ACTIVE, chosen.name)
    return chosen


def active_preset(agent: Any) -> str | None:
    """The name of the preset an agent uses: inside a per-call callback or a tool of the
    per-call copy, the call's preset; None when no preset was applied."""
    name = getattr(agent, _ACTIVE, None)
    return name if isinstance(name, str) else None


def active_experiment(agent: Any) -> str | None:
    """The experiment a call's preset was dealt by (`use_call_presets(split=...,
    experiment=...)`); None for a preset asked for with `?preset=` or applied at startup."""
    name = getattr(agent, _EXPERIMENT, None)
    return name if isinstance(name, str) else None


def use_call_presets(
    agent: Any,
    query_param: str = "preset",
    *,
    presets: Iterable[str] | None = None,
    presets_dir: str | os.PathLike[str] | None = None,
    store: PresetStore | None = None,
    split: Mapping[str, float] | None = None,
    experiment: str | None = None,
) -> Mapping[str, dict[str, Value]]:
    """Let each call pick a preset with `?preset=NAME`, or deal calls between presets.

    Uses the SDK's dynamic config callback, which works on a per-request copy of the agent, so
    calls never see each other's values and the agent itself is not changed. The chosen preset
    is forwarded to the call's SWAIG requests (`add_swaig_query_params`), which get the same
    params, and stamped in the call's `global_data` (`speech_tuner_preset`), which the platform
    sends back in the post_conversation payload. Every choosable preset (`presets`, else every
    built-in and user preset) is loaded and validated now: a broken one raises TunerError at
    startup. At call time an unknown name keeps the startup params and logs a warning; the
    platform never sees an error.

    `split` ({"normal": 50, "elderly": 50}, any number of presets, weights above 0) deals every
    call without a valid `?preset=` to one of its presets: the same caller number always gets
    the same preset (a hash of `experiment` and the number, stable across restarts), a caller
    without a number gets one at random. Such calls also carry `speech_tuner_experiment` in
    `global_data` when `experiment` is named; `speech-tuner calls --by preset --experiment NAME`
    compares them. Calls that asked for their preset with `?preset=` are not in the experiment.

    A dynamic config callback set before or after this keeps running, after the preset is
    applied, so it has the last word. Returns the choosable presets and their params.
    """
    from tuner.experiment.split import Split

    if not query_param:
        raise TunerError(Problem("query_param must not be empty", key="query_param"))
    if split is None and experiment is not None:
        raise TunerError(
            Problem("an experiment needs a split of presets", "use_call_presets()", key="split")
        )
    dealer = Split.parse(split, experiment) if split is not None else None
    found = _store(store, presets_dir)
    names = list(presets) if presets is not None else [p.name for p in found.list_presets()]
    names += [name for name in (dealer.presets if dealer else []) if name not in names]
    table = {name: _load(found, name, "use_call_presets()").params.values() for name in names}
    chain: dict[str, ConfigCallback | None] = {"user": agent._dynamic_config_callback}
    setter = agent.set_dynamic_config_callback

    def configure(
        query: dict[str, Any], body: dict[str, Any], headers: dict[str, Any], call_agent: Any
    ) -> None:
        asked = query.get(query_param)
        instead = "dealing the call by the split" if dealer else None
        if asked and _choose(asked, call_agent, table, query_param, instead):
            # A forwarded experiment (a SWAIG or post-prompt request of a dealt call) stays on.
            forwarded = dealer is not None and query.get(EXPERIMENT_QUERY) == dealer.experiment
            _stamp(call_agent, asked, dealer.experiment if dealer and forwarded else None)
        elif dealer is not None:
            name = dealer.assign(caller_number(body))
            if _choose(name, call_agent, table, query_param):
                _stamp(call_agent, name, dealer.experiment)
        user = chain["user"]
        if user is not None:
            user(query, body, headers, call_agent)

    def keep_presets(callback: ConfigCallback | None) -> Any:
        # The SDK's setter replaces the whole callback: keep the presets running in front of it.
        chain["user"] = callback
        return agent

    setter(configure)
    agent.set_dynamic_config_callback = keep_presets
    return MappingProxyType({name: dict(values) for name, values in table.items()})


def _stamp(call_agent: Any, name: str, experiment: str | None) -> None:
    """Mark the call with its preset: in global_data (for the post_conversation payload) and,
    for an experiment, in the SWAIG and post-prompt URLs; never raises into the SDK."""
    from tuner.experiment.split import stamp

    try:
        call_agent.update_global_data(stamp(name, experiment))
        if experiment:
            call_agent.add_swaig_query_params({EXPERIMENT_QUERY: experiment})
        setattr(call_agent, _EXPERIMENT, experiment)
    except Exception:  # the platform must get SWML, whatever happens here
        _log().exception("speech-tuner: could not stamp the call with preset %r", name)


def _choose(
    name: Any,
    call_agent: Any,
    table: Mapping[str, dict[str, Value]],
    query_param: str,
    instead: str | None = None,
) -> bool:
    """Apply the call's preset to its per-request agent; never raises into the SDK.

    Returns whether the preset is now the call's."""
    if not name:
        return False
    values = table.get(name) if isinstance(name, str) else None
    if values is None:
        shown = str(name)[:_QUOTE_MAX]
        startup = active_preset(call_agent) or "agent's own"
        fallback = instead or f"keeping the startup params ({startup})"
        _log().warning("speech-tuner: unknown preset %r in ?%s=; %s", shown, query_param, fallback)
        return False
    params = getattr(call_agent, "_params", None)
    before = dict(params) if isinstance(params, dict) else None
    try:
        _replace_timing(call_agent, values)
        call_agent.add_swaig_query_params({query_param: name})
        setattr(call_agent, _ACTIVE, name)
    except Exception:  # the platform must get SWML, whatever happens here
        if isinstance(params, dict) and before is not None:
            params.clear()
            params.update(before)
        _log().exception("speech-tuner: could not apply preset %r; keeping startup params", name)
        return False
    return True


__all__ = [
    "DEFAULT_PRESET",
    "ENV_PRESET",
    "TunerError",
    "active_experiment",
    "active_preset",
    "apply_preset",
    "preset_params",
    "resolve_preset",
    "use_call_presets",
]
