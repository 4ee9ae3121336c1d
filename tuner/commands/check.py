"""`speech-tuner check AGENT.py`: the speech timing an existing agent really sends, checked."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tuner.commands._common import (
    add_command,
    add_format,
    add_presets_dir,
    add_set,
    load_preset,
    print_json,
    print_problems,
    use_color,
)
from tuner.commands.budget import add_component_options, components_from, wrap
from tuner.commands.budget import render as render_budget


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        sub,
        "check",
        help="profile an agent file: its speech timing, problems and latency budget",
        description=wrap(
            "Run an agent's Python file as `python AGENT.py` would (no arguments of its own), "
            "without ever serving it or opening a port: run()/serve() of agents and of "
            "AgentServer, and uvicorn.run, only show what would be served. Works with "
            "signalwire_agents and its successor signalwire. Every agent in the file is "
            "checked, one section each by route; --route or --agent-class picks one.\n"
            "Each agent's SWML is rendered offline as for a real call, and every speech-timing "
            "param is reported with its value and where it comes from (agent, preset, platform "
            "default), with the model's errors and warnings; other SignalWire params are "
            "checked against the SDK's schema.json, and a key SignalWire does not know is an "
            "error (the platform would ignore it); SWAIG functions whose `fillers` is not the "
            "per-language object the schema wants; and the latency budget of the timing.\n"
            "An agent with a dynamic config callback is configured per call from the "
            "request: --query, --header and --body give the callback what the platform would "
            "send. Give a query key several times to check each value in one go (--query "
            "tier=standard --query tier=premium --query tier=enterprise: one section each).\n"
            "With --preset, shows the agent as it would be with that preset applied "
            "(apply_preset: the preset's params over the agent's).\n"
            "Exit 1 when there is an error (an invalid or unknown param, list-form fillers, "
            "an agent file that does not load), 2 on a usage error."
        ),
        examples=[
            "speech-tuner check my_agent.py",
            "speech-tuner check agents.py --route /support --preset elderly",
            "speech-tuner check my_agent.py --preset normal --set end_of_speech_timeout=900",
            "speech-tuner check my_agent.py --agent-class SupportAgent --format json",
            "speech-tuner check tiers.py --query tier=standard --query tier=enterprise",
            "speech-tuner check my_agent.py --header 'X-Customer: gold' --body '{\"vars\": {}}'",
        ],
    )
    parser.add_argument("agent", metavar="AGENT.py", help="the agent's Python file")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--agent-class", metavar="NAME", help="check only this AgentBase subclass")
    who.add_argument(
        "--route", metavar="R", help="check only the agent at this route, e.g. /support"
    )
    parser.add_argument(
        "--preset", metavar="P", help="show the agent with this preset applied (name or path)"
    )
    parser.add_argument(
        "--query",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        type=_pair("="),
        help="a query param of the call's request (repeatable; a key given twice is checked "
        "once per value)",
    )
    parser.add_argument(
        "--header",
        metavar="NAME:VALUE",
        action="append",
        default=[],
        type=_pair(":="),
        help="a header of the call's request (repeatable; NAME=VALUE works too)",
    )
    parser.add_argument(
        "--body",
        metavar="JSON",
        type=_body,
        default={},
        help="JSON merged over the call's request body (or @FILE to read it from a file)",
    )
    parser.add_argument(
        "--timeout",
        metavar="S",
        type=float,
        default=30.0,
        help="seconds the agent file may take to load or render (default: 30)",
    )
    add_component_options(parser)
    parser.add_argument(
        "--fillers", action="store_true", help="budget the function turn with a filler"
    )
    parser.add_argument(
        "--all", action="store_true", help="list every timing param, not only the set ones"
    )
    add_set(parser)
    add_format(parser, ("text", "json"), "text")
    add_presets_dir(parser)
    parser.set_defaults(func=run, parser=parser)


def _value(spec: Any, value: Any) -> str:
    if value is None:
        return "—"
    text = str(spec.display(value))
    return text if len(text) <= 18 else text[:17] + "…"


def _pair(seps: str) -> Any:
    """An argparse type: `KEY=VALUE` (or `NAME: VALUE` for headers) as a (key, value) pair."""

    def parse(item: str) -> tuple[str, str]:
        cut = min((i for i in (item.find(c) for c in seps) if i > 0), default=-1)
        if cut <= 0 or not item[:cut].strip():
            raise argparse.ArgumentTypeError(
                f'"{item}" is not {"KEY=VALUE" if seps == "=" else "NAME: VALUE"}'
            )
        return item[:cut].strip(), item[cut + 1 :].strip()

    return parse


def _body(text: str) -> dict[str, Any]:
    """An argparse type: a JSON object, or @FILE holding one."""
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise argparse.ArgumentTypeError(f"cannot read {text[1:]}: {exc}") from None
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return body


def _json(prof: Any, report: dict[str, Any]) -> dict[str, Any]:
    return {
        "agent": prof.name,
        "class": prof.class_name,
        "route": prof.route,
        "request": prof.request,
        "path": prof.path,
        "preset": prof.preset,
        "params": prof.rows(),
        "other_params": prof.other_params,
        "functions": prof.functions,
        "errors": [p.to_json() for p in prof.errors],
        "warnings": [p.to_json() for p in prof.warnings],
        "budget": report,
    }


def run(args: argparse.Namespace) -> int:
    from tuner import budget
    from tuner.check import check_agents, requests_for

    headers = {name.lower(): value for name, value in args.header}
    requests = requests_for(args.query, headers, args.body)
    if args.overrides and not args.preset:
        args.parser.error("--set needs --preset: the values are set on that preset")
    preset = load_preset(args.store, args.preset, args.overrides) if args.preset else None
    profiles = check_agents(
        args.agent, args.agent_class, args.route, preset, requests, args.timeout
    )
    reports = []
    for prof in profiles:
        label = f"{prof.name or args.agent}" + (f" {prof.request}" if prof.request else "")
        label += f" with preset {prof.preset}" if prof.preset else ""
        reports.append(budget.report(label, prof.params, components_from(args), args.fillers))
    failed = any(prof.errors for prof in profiles)
    if args.format == "json":
        docs = [_json(prof, report) for prof, report in zip(profiles, reports, strict=True)]
        print_json(docs[0] if len(docs) == 1 else {"path": args.agent, "agents": docs})
        print_problems([p for prof in profiles for p in prof.errors])
        return 1 if failed else 0
    color = use_color()
    sections = [
        _text(prof, report, args, color) for prof, report in zip(profiles, reports, strict=True)
    ]
    if (args.query or args.header or args.body) and not any(p.dynamic for p in profiles):
        sections.append(
            "note: no agent here has a dynamic config callback; --query, --header and --body "
            "change nothing\n"
        )
    if len(profiles) > 1:
        bad = sum(1 for prof in profiles if prof.errors)
        agents = len({(prof.route, prof.class_name) for prof in profiles})
        sections.append(
            f"{len(profiles)} checked ({agents} agents, {len(profiles) // agents} requests each): "
            f"{bad} with errors\n"
            if len(profiles) != agents
            else f"{agents} agents checked: {bad} with errors\n"
        )
    sys.stdout.write("\n".join(sections))
    return 1 if failed else 0


def _text(prof: Any, report: dict[str, Any], args: argparse.Namespace, color: bool) -> str:
    from tuner import budget
    from tuner.params import SPECS

    head = f"agent {prof.name or '?'} at {prof.route or '/'}"
    head += f" {prof.request}" if prof.request else ""
    out = [f"{head} ({prof.path})"]
    if prof.dynamic and not prof.request:
        out.append("configured per call (dynamic config): checked for a request with no query;")
        out.append("  --query KEY=VALUE checks another branch")
    if prof.preset:
        out.append(f"with preset {prof.preset} applied over the agent's params")
    out.append("")
    group = None
    bad = {p.key for p in prof.errors}
    for row in prof.rows():
        shown = args.all or row["source"] != "platform default"
        if not shown:
            continue
        if row["group"] != group:
            group = row["group"]
            out.append(group)
        spec = SPECS[row["param"]]
        mark = "  ✗" if row["param"] in bad else ""
        out.append(f"  {row['param']:<28}{_value(spec, row['value']):<20}{row['source']}{mark}")
    if not args.all:
        out.append("  (other timing params: platform defaults; --all lists them)")
    if prof.other_params:
        out.append(f"other SignalWire params (not speech timing): {', '.join(prof.other_params)}")
    if prof.functions:
        out.append(f"SWAIG functions: {', '.join(prof.functions)}")
    out.append("")
    for problem in [*prof.errors, *prof.warnings]:
        out.append(str(problem))
    if prof.errors or prof.warnings:
        errors, warnings = len(prof.errors), len(prof.warnings)
        out.append(
            f"{errors} error{'' if errors == 1 else 's'}, "
            f"{warnings} warning{'' if warnings == 1 else 's'}"
        )
        if bad & set(SPECS):
            out.append("(the budget uses the platform default where a value is invalid)")
        out.append("")
    waits: dict[str, str] = {s: budget.wait_param(prof.params, s) for s in budget.SCENARIOS}
    return "\n".join(out) + "\n" + render_budget(report, waits, color)
