"""`speech-tuner check AGENT.py`: the speech timing an existing agent really sends, checked."""

from __future__ import annotations

import argparse
import sys
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
            "Load an agent from its Python file the way the SDK's `swaig-test` does (an `agent` "
            "or `service` variable, else the one AgentBase instance or subclass in the file), "
            "render its SWML offline, and report every speech-timing param with its value and "
            "where it comes from (agent, preset, platform default), the model's errors and "
            "warnings, SWAIG functions whose `fillers` is not the per-language object the "
            "schema wants, and the latency budget of the agent's timing.\n"
            "With --preset, shows the agent as it would be with that preset applied "
            "(apply_preset: the preset's params over the agent's).\n"
            "Exit 1 when there is an error (an invalid param or list-form fillers)."
        ),
        examples=[
            "speech-tuner check my_agent.py",
            "speech-tuner check agents.py --route /support --preset elderly",
            "speech-tuner check my_agent.py --preset normal --set end_of_speech_timeout=900",
            "speech-tuner check my_agent.py --agent-class SupportAgent --format json",
        ],
    )
    parser.add_argument("agent", metavar="AGENT.py", help="the agent's Python file")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--agent-class", metavar="NAME", help="the AgentBase subclass to load")
    who.add_argument("--route", metavar="R", help="the agent to load by its route, e.g. /support")
    parser.add_argument(
        "--preset", metavar="P", help="show the agent with this preset applied (name or path)"
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


def run(args: argparse.Namespace) -> int:
    from tuner import budget
    from tuner.check import check_agent
    from tuner.params import SPECS

    if args.overrides and not args.preset:
        args.parser.error("--set needs --preset: the values are set on that preset")
    preset = load_preset(args.store, args.preset, args.overrides) if args.preset else None
    prof = check_agent(args.agent, args.agent_class, args.route, preset)
    label = f"{prof.name or args.agent}" + (f" with preset {prof.preset}" if prof.preset else "")
    report = budget.report(label, prof.params, components_from(args), args.fillers)
    rows = prof.rows()
    if args.format == "json":
        print_json(
            {
                "agent": prof.name,
                "route": prof.route,
                "path": prof.path,
                "preset": prof.preset,
                "params": rows,
                "other_params": prof.other_params,
                "functions": prof.functions,
                "errors": [p.to_json() for p in prof.errors],
                "warnings": [p.to_json() for p in prof.warnings],
                "budget": report,
            }
        )
        print_problems(prof.errors)
        return 1 if prof.errors else 0
    color = use_color()
    out = [f"agent {prof.name or '?'} at {prof.route or '/'} ({prof.path})"]
    if prof.preset:
        out.append(f"with preset {prof.preset} applied over the agent's params")
    out.append("")
    group = None
    bad = {p.key for p in prof.errors}
    for row in rows:
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
        out.append(f"other ai.params (not speech timing): {', '.join(prof.other_params)}")
    if prof.functions:
        out.append(f"SWAIG functions: {', '.join(prof.functions)}")
    out.append("")
    for problem in [*prof.errors, *prof.warnings]:
        out.append(str(problem))
    if prof.errors or prof.warnings:
        out.append(f"{len(prof.errors)} errors, {len(prof.warnings)} warnings")
        if bad & set(SPECS):
            out.append("(the budget uses the platform default where a value is invalid)")
        out.append("")
    waits: dict[str, str] = {s: budget.wait_param(prof.params, s) for s in budget.SCENARIOS}
    sys.stdout.write("\n".join(out) + "\n" + render_budget(report, waits, color))
    return 1 if prof.errors else 0
