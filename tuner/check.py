"""Profiling an existing agent file: its rendered speech timing, problems and latency budget.

The SignalWire SDK is imported only inside `load_agent`/`render_swml`, never at import time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuner.errors import Problem, TunerError
from tuner.params import PARAM_NAMES, SPECS, SpeechTiming, Value


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
    #: `ai.params` keys that are not speech timing (left unchecked).
    other_params: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    preset: str | None = None

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
    """Load an agent from its file the way the SDK's `swaig-test` does."""
    file = Path(path)
    if not file.is_file():
        raise TunerError(Problem("no such file", path))
    if file.suffix != ".py":
        raise TunerError(Problem("an agent is a Python file (.py)", path))
    os.environ.setdefault("SIGNALWIRE_LOG_MODE", "off")
    try:
        from signalwire_agents.cli.core.agent_loader import load_service_from_file
    except ImportError as exc:  # pragma: no cover - the SDK is a dependency
        raise TunerError(Problem(f"the SignalWire SDK is not installed: {exc}", path)) from None
    identifier = route or agent_class
    # The SDK's loader prints its hints to stdout; keep stdout for our own report. A file that
    # calls run() or serve() at import time must not start a server: profiling never serves.
    with contextlib.redirect_stdout(sys.stderr), _no_serving():
        try:
            return load_service_from_file(str(file), identifier, bool(route))
        except Exception as exc:  # the agent's own code ran: any error is the file's
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise TunerError(Problem(f"cannot load the agent: {message}", path)) from None


@contextlib.contextmanager
def _no_serving() -> Iterator[None]:
    """While loading, `run()` and `serve()` of the SDK's services return the service at once."""
    from signalwire_agents import AgentBase
    from signalwire_agents.core.swml_service import SWMLService

    # run() and serve() may come from a mixin: shadow them on each class, then undo exactly that.
    saved = [(cls, name, cls.__dict__.get(name)) for cls in (SWMLService, AgentBase)
             for name in ("run", "serve") if hasattr(cls, name)]  # fmt: skip
    for cls, name, _ in saved:
        setattr(cls, name, lambda self, *args, **kwargs: self)
    try:
        yield
    finally:
        for cls, name, original in saved:
            if original is None:
                delattr(cls, name)
            else:
                setattr(cls, name, original)


def render_swml(agent: Any) -> dict[str, Any]:
    """The agent's SWML for one simulated call, rendered offline like `swaig-test --dump-swml`."""
    from signalwire_agents.cli.core.dynamic_config import apply_dynamic_config
    from signalwire_agents.cli.simulation.data_generation import generate_fake_swml_post_data
    from signalwire_agents.cli.simulation.mock_env import create_mock_request

    with contextlib.redirect_stdout(sys.stderr):
        post_data = generate_fake_swml_post_data()
        request = create_mock_request()
        apply_dynamic_config(agent, request)
        call_id = post_data.get("call", {}).get("call_id", "check-call-id")
        modifications = None
        if hasattr(agent, "on_swml_request"):
            with contextlib.suppress(Exception):
                modifications = agent.on_swml_request(post_data, "/swml", request)
        text = agent._render_swml(call_id, modifications) if modifications else None
        text = text or agent._render_swml()
    doc = json.loads(text) if isinstance(text, str) else text
    if not isinstance(doc, dict):
        raise TunerError("the agent rendered no SWML document")
    return doc


def find_ai(swml: Mapping[str, Any]) -> dict[str, Any]:
    """The `ai` verb of a SWML document (first one in any section)."""
    sections = swml.get("sections", {})
    for verbs in sections.values() if isinstance(sections, dict) else ():
        for verb in verbs if isinstance(verbs, list) else ():
            if isinstance(verb, dict) and isinstance(verb.get("ai"), dict):
                ai: dict[str, Any] = verb["ai"]
                return ai
    raise TunerError("the agent's SWML has no ai verb")


def _key_line(text: str, key: str, after: str | None = None) -> int | None:
    """The line of the agent file where `key` is set (after the line naming `after`)."""
    pattern = re.compile(rf"""["']{re.escape(key)}["']|\b{re.escape(key)}\s*=""")
    start = 0
    lines = text.splitlines()
    if after is not None:
        anchor = re.compile(rf"""["']{re.escape(after)}["']""")
        start = next((i for i, line in enumerate(lines) if anchor.search(line)), 0)
    for number, line in enumerate(lines[start:], start + 1):
        if pattern.search(line):
            return number
    return None


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
) -> AgentProfile:
    """Check an agent's rendered SWML; `preset` (a Preset) is applied over its params."""
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
            line = _key_line(text, key) if sources[key] == "agent" else None
            errors.append(Problem(_message(exc), path, line, key))
            continue
        if checked is not None:
            valid[key] = checked
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
        other_params=[k for k in rendered if k not in SPECS],
        functions=functions,
        preset=preset.name if preset is not None else None,
    )


def _message(exc: ValueError) -> str:
    # pydantic's custom errors carry the people-facing text in their context.
    context = getattr(exc, "context", None)
    if isinstance(context, dict) and "message" in context:
        return str(context["message"])
    return str(exc)


def check_agent(
    path: str,
    agent_class: str | None = None,
    route: str | None = None,
    preset: Any = None,
) -> AgentProfile:
    """Load, render and check an agent file."""
    agent = load_agent(path, agent_class, route)
    swml = render_swml(agent)
    name = str(getattr(agent, "name", "") or "")
    return profile(path, swml, name, str(getattr(agent, "route", "") or ""), preset)
