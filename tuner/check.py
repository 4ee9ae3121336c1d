"""Profiling an existing agent file: its rendered speech timing, problems and latency budget.

The SignalWire SDK is imported only while loading (`tuner.agentfile`) and rendering, never at
import time.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tuner.errors import Problem, TunerError
from tuner.model import SpeechTiming
from tuner.params import PARAM_NAMES, SPECS, Value


@dataclass
class AgentProfile:
    """What an agent renders for the platform, as far as speech timing goes."""

    path: str
    name: str
    route: str
    #: `ai.params` exactly as rendered.
    rendered: dict[str, Any]
    #: Timing params that pass the model, after the preset (if any) is applied.
    params: SpeechTiming
    #: For every timing param: where its effective value comes from.
    sources: dict[str, str]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: SignalWire params outside speech timing (checked against the SDK's schema).
    other_params: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    preset: str | None = None
    #: The request it was rendered for (`?tier=gold`), empty without a dynamic config.
    request: str = ""
    #: Whether the agent configures itself per call.
    dynamic: bool = False
    class_name: str = ""

    def rows(self) -> list[dict[str, Any]]:
        """Every timing param: name, group, value (effective), source."""
        out = []
        for name in PARAM_NAMES:
            value = self.params.effective(name)
            if name in self.rendered and name not in self.params.values():
                value = self.rendered[name]  # invalid: show what the agent sends anyway
            out.append(
                {
                    "param": name,
                    "group": SPECS[name].group,
                    "value": value,
                    "source": self.sources[name],
                }
            )
        return out


def load_agent(path: str, agent_class: str | None = None, route: str | None = None) -> Any:
    """The one agent of a file (or the one picked); several without a pick is an error."""
    from tuner.agentfile import load_agents

    loaded = load_agents(path, agent_class, route)
    if len(loaded) > 1:
        listing = ", ".join(f"{a.route} ({a.class_name})" for a in loaded)
        raise TunerError(
            Problem(f"several agents: {listing}; pick one with --route or --agent-class", path)
        )
    return loaded[0].agent


@dataclass
class Request:
    """What the platform's request for the SWML carries, as the dynamic config callback sees it."""

    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        """`?tier=gold` and the like, for a section title."""
        parts = "&".join(f"{k}={v}" for k, v in self.query.items())
        heads = ", ".join(f"{k}: {v}" for k, v in self.headers.items())
        return " ".join(
            p for p in (f"?{parts}" if parts else "", f"[{heads}]" if heads else "") if p
        )


def is_agent(service: Any) -> bool:
    """Whether a SWML service is an AI agent (an AgentBase of either SDK)."""
    return any(
        cls.__name__ == "AgentBase" and cls.__module__.split(".")[0] in SDK_NAMES
        for cls in type(service).__mro__
    )


SDK_NAMES = ("signalwire", "signalwire_agents")


def has_dynamic_config(agent: Any) -> bool:
    """Whether the agent configures itself per call (`set_dynamic_config_callback`)."""
    return bool(getattr(agent, "_dynamic_config_callback", None))


def render_swml(
    agent: Any, request: Request | None = None, path: str = "", timeout: float = 30.0
) -> dict[str, Any]:
    """The agent's SWML for one call, rendered offline as the SDK does for a real request.

    With a dynamic config callback, the callback runs on a per-call copy of the agent with the
    request's query params, headers and body, exactly as when the platform fetches the SWML.
    """
    from tuner.agentfile import sdk_of
    from tuner.sandbox import explain, sandbox

    request = request or Request()
    sdk = sdk_of(agent)
    mock_env = importlib.import_module(f"{sdk}.cli.simulation.mock_env")
    fake = importlib.import_module(f"{sdk}.cli.simulation.data_generation")
    file = Path(path or "agent.py")
    with sandbox(file, timeout, "rendering the SWML") as blocked:
        stage = "cannot render the agent"
        try:
            post_data = _merge(fake.generate_fake_swml_post_data(), request.body)
            mock = mock_env.create_mock_request(
                headers=dict(request.headers), query_params=dict(request.query), body=post_data
            )
            target = agent
            if has_dynamic_config(agent):
                target = agent._create_ephemeral_copy()
                stage = "the dynamic config callback failed (the call gets the agent unconfigured)"
                agent._dynamic_config_callback(
                    dict(request.query), post_data, dict(request.headers), target
                )
                stage = "cannot render the agent"
            call_id = post_data.get("call", {}).get("call_id", "check-call-id")
            modifications = None
            if hasattr(target, "on_swml_request"):
                with contextlib.suppress(Exception):
                    modifications = target.on_swml_request(post_data, None, mock)
            if not isinstance(modifications, dict) or "__use_ephemeral_agent" in modifications:
                modifications = None
            if is_agent(target):
                text = target._render_swml(call_id, modifications)
            else:  # a plain SWMLService: its document as it stands
                text = target.render_document()
        except BaseException as exc:
            problem = explain(exc, file, blocked) or Problem("the agent exited", str(file))
            message = problem.message.replace("cannot load the agent", stage)
            raise TunerError(replace(problem, message=message)) from None
    doc = json.loads(text) if isinstance(text, str) else text
    if not isinstance(doc, dict):
        raise TunerError("the agent rendered no SWML document")
    return doc


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def find_ai(swml: Mapping[str, Any]) -> dict[str, Any]:
    """The `ai` verb of a SWML document (first one in any section)."""
    sections = swml.get("sections", {})
    for verbs in sections.values() if isinstance(sections, dict) else ():
        for verb in verbs if isinstance(verbs, list) else ():
            if isinstance(verb, dict) and isinstance(verb.get("ai"), dict):
                ai: dict[str, Any] = verb["ai"]
                return ai
    raise TunerError("the agent's SWML has no ai verb")


def _key_line(text: str, key: str, after: str | None = None, value: Any = None) -> int | None:
    """The line of the agent file where `key` is set (after the line naming `after`).

    When several lines set the key (one per tier, say), the one that also holds `value` wins.
    """
    pattern = re.compile(rf"""["']{re.escape(key)}["']|\b{re.escape(key)}\s*=""")
    start = 0
    lines = text.splitlines()
    if after is not None:
        anchor = re.compile(rf"""["']{re.escape(after)}["']""")
        start = next((i for i, line in enumerate(lines) if anchor.search(line)), 0)
    found = [n for n, line in enumerate(lines[start:], start + 1) if pattern.search(line)]
    if value is not None and len(found) > 1:
        literal = _literal(value)
        exact = [n for n in found if literal.search(lines[n - 1].split(key, 1)[-1])]
        found = exact or found
    return found[0] if found else None


def _literal(value: Any) -> re.Pattern[str]:
    """How a value may be written in Python source, as a pattern."""
    if isinstance(value, bool):
        return re.compile(rf"\b{value}\b|\b{str(value).lower()}\b")
    if isinstance(value, str):
        return re.compile(rf"""["']{re.escape(value)}["']""")
    return re.compile(rf"(?<![\w.]){re.escape(str(value))}(?![\w.])")


def fillers_problem(fillers: Any) -> str | None:
    """Why a SWAIG function's `fillers` is not the schema's `{lang: [phrases]}`, or None."""
    if isinstance(fillers, list):
        return (
            "fillers is a list; the schema wants an object per language, e.g. "
            '{"en-US": ["One moment"]} (the list renders but is invalid)'
        )
    if not isinstance(fillers, dict):
        return f"fillers must be an object per language, not {type(fillers).__name__}"
    for lang, phrases in fillers.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            return f'fillers["{lang}"] must be a list of phrases'
    return None


def profile(
    path: str,
    swml: Mapping[str, Any],
    name: str = "",
    route: str = "",
    preset: Any = None,
    sdk: str | None = None,
) -> AgentProfile:
    """Check an agent's rendered SWML; `preset` (a Preset) is applied over its params.

    Timing params are judged by the model, other SignalWire params by the SDK's schema, and a
    key SignalWire does not know is an error: the platform would ignore it.
    """
    from tuner.keys import KeyKind, check_value, classify, unknown_key_message

    ai = find_ai(swml)
    rendered = ai.get("params") or {}
    if not isinstance(rendered, dict):
        raise TunerError(Problem("ai.params is not an object", path, key="params"))
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    merged: dict[str, Any] = dict(rendered)
    sources = {n: "platform default" for n in PARAM_NAMES}
    for key in rendered:
        if key in SPECS:
            sources[key] = "agent"
    if preset is not None:
        merged.update(preset.params.values())
        overridden = getattr(preset, "overridden", {})
        for key in preset.params.values():
            sources[key] = overridden.get(key) or f"preset {preset.name}"
    errors: list[Problem] = []
    valid: dict[str, Value] = {}
    for key, value in merged.items():
        if key not in SPECS:
            continue
        try:
            checked = SPECS[key].validate(value)
        except ValueError as exc:
            line = _key_line(text, key, value=value) if sources[key] == "agent" else None
            errors.append(Problem(str(exc), path, line, key))
            continue
        if checked is not None:
            valid[key] = checked
    other: list[str] = []
    for key, value in rendered.items():
        kind = classify(key)
        if kind is KeyKind.TIMING:
            continue
        why = check_value(key, value, sdk) if kind is KeyKind.SIGNALWIRE else None
        if kind is KeyKind.SIGNALWIRE:
            other.append(key)
        if kind is KeyKind.UNKNOWN or why:
            line = _key_line(text, key, value=value)
            errors.append(Problem(why or unknown_key_message(key), path, line, key))
    params = SpeechTiming.model_validate(valid)
    preset_path = str(preset.path) if preset is not None and preset.path else path
    warnings = [
        Problem(msg, path, _key_line(text, key), key, "warning")
        if sources[key] == "agent"
        else Problem(msg, sources[key], None, key, "warning")
        if sources[key] == "--set"
        else Problem(
            msg, preset_path if sources[key] != "platform default" else path, None, key, "warning"
        )
        for key, msg in params.warnings()
    ]
    functions: list[str] = []
    swaig = ai.get("SWAIG")
    for fn in swaig.get("functions", []) if isinstance(swaig, dict) else []:
        if not isinstance(fn, dict):
            continue
        fname = str(fn.get("function", "?"))
        functions.append(fname)
        if "fillers" in fn:
            why = fillers_problem(fn["fillers"])
            if why:
                line = _key_line(text, "fillers", after=fname)
                errors.append(Problem(why, path, line, f"{fname}.fillers"))
    return AgentProfile(
        path=path,
        name=name,
        route=route,
        rendered=rendered,
        params=params,
        sources=sources,
        errors=errors,
        warnings=warnings,
        other_params=other,
        functions=functions,
        preset=preset.name if preset is not None else None,
    )


def requests_for(
    query: Sequence[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
) -> list[Request]:
    """One request per combination of values: a query key given twice is profiled twice."""
    values: dict[str, list[str]] = {}
    for key, value in query:
        values.setdefault(key, [])
        if value not in values[key]:
            values[key].append(value)
    combos = itertools.product(*values.values()) if values else [()]
    return [
        Request(dict(zip(values, combo, strict=True)), dict(headers or {}), dict(body or {}))
        for combo in combos
    ]


def check_agents(
    path: str,
    agent_class: str | None = None,
    route: str | None = None,
    preset: Any = None,
    requests: Sequence[Request] = (),
    timeout: float = 30.0,
) -> list[AgentProfile]:
    """Load every agent of a file (or the one picked) and check each for each request."""
    from tuner.agentfile import load_agents

    out = []
    plain = []
    for item in load_agents(path, agent_class, route, timeout):
        if not is_agent(item.agent):
            swml = render_swml(item.agent, None, path, timeout)
            try:
                find_ai(swml)
            except TunerError:
                plain.append(f"{item.route} ({item.class_name})")
                continue
        dynamic = has_dynamic_config(item.agent)
        # Without a dynamic config callback the request changes nothing: render it once.
        for request in (requests or [Request()])[: None if dynamic else 1]:
            swml = render_swml(item.agent, request, path, timeout)
            name = str(getattr(item.agent, "name", "") or "")
            prof = profile(path, swml, name, item.route, preset, item.sdk)
            prof.request = request.label() if dynamic else ""
            prof.dynamic = dynamic
            prof.class_name = item.class_name
            prof.warnings[:0] = item.notes
            out.append(prof)
    if not out:
        raise TunerError(
            Problem(
                f"no AI agent here: its SWML services ({', '.join(plain)}) have no ai verb, "
                "so there is no speech timing to check",
                path,
            )
        )
    return out


def check_agent(
    path: str,
    agent_class: str | None = None,
    route: str | None = None,
    preset: Any = None,
) -> AgentProfile:
    """Load, render and check the one agent of a file (or the one picked)."""
    profiles = check_agents(path, agent_class, route, preset)
    if len(profiles) > 1:
        listing = ", ".join(f"{p.route} ({p.class_name})" for p in profiles)
        raise TunerError(
            Problem(f"several agents: {listing}; pick one with --route or --agent-class", path)
        )
    return profiles[0]
