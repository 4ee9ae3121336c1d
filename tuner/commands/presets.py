"""Preset commands: list, show, export, validate, diff, new, schema."""

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
    print_override_warnings,
    write_output,
)
from tuner.errors import Problem, TunerError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "list",
        "list the presets you can use",
        "List the built-in presets and the user's own (a user preset shadows a built-in).",
        ["speech-tuner list", "speech-tuner list --format json --presets-dir ./presets"],
    )
    add_format(p, ("table", "json"), "table")
    add_presets_dir(p)
    p.set_defaults(func=cmd_list)

    p = add_command(
        sub,
        "show",
        "show a preset's params and where each comes from",
        "Show every param of a preset: value, unit, allowed range, and where the value comes\n"
        "from (this preset, the preset it extends, or the platform default).",
        ["speech-tuner show elderly", "speech-tuner show ./my-agent.toml --all"],
    )
    p.add_argument("preset", metavar="PRESET", help="preset name or .toml path")
    p.add_argument("--all", action="store_true", help="also list params left at the default")
    add_format(p, ("table", "json"), "table")
    add_set(p)
    add_presets_dir(p)
    p.set_defaults(func=cmd_show)

    p = add_command(
        sub,
        "export",
        "export a preset as TOML, set_params code or SWML JSON",
        "Export a preset (after any --set overrides):\n"
        "  toml    a self-contained preset file that loads back to the same values\n"
        "  python  one agent.set_params({...}) call, ready to paste\n"
        "  json    exactly the object that goes under SWML ai.params",
        [
            "speech-tuner export elderly --format python",
            "speech-tuner export normal --format toml --set end_of_speech_timeout=650 -o mine.toml",
        ],
    )
    p.add_argument("preset", metavar="PRESET", help="preset name or .toml path")
    add_format(p, ("toml", "python", "json"), "toml")
    add_set(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    add_presets_dir(p)
    p.set_defaults(func=cmd_export)

    p = add_command(
        sub,
        "validate",
        "check preset files: every problem, one line each",
        "Check preset files (or preset names) and print every problem as PATH:LINE: KEY: message.\n"
        "Exit 0 when all are valid, 1 when any is invalid; warnings do not change the exit\n"
        "code unless --strict.",
        ["speech-tuner validate presets/*.toml", "speech-tuner validate fast.toml --strict"],
    )
    p.add_argument("files", metavar="FILE", nargs="+", help=".toml files or preset names")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    add_format(p, ("text", "json"), "text")
    add_presets_dir(p)
    p.set_defaults(func=cmd_validate)

    p = add_command(
        sub,
        "diff",
        "compare two presets",
        "Show the params whose effective values differ between two presets.",
        ["speech-tuner diff normal elderly", "speech-tuner diff normal ./mine.toml --format json"],
    )
    p.add_argument("a", metavar="A", help="preset name or .toml path")
    p.add_argument("b", metavar="B", help="preset name or .toml path")
    add_format(p, ("table", "json"), "table")
    add_presets_dir(p)
    p.set_defaults(func=cmd_diff)

    p = add_command(
        sub,
        "new",
        "create a user preset",
        "Write a new user preset into the presets folder, optionally extending another preset.",
        [
            "speech-tuner new support --from normal --set end_of_speech_timeout=650",
            "speech-tuner new kiosk --set barge_min_words=3 --description 'Noisy lobby'",
        ],
    )
    p.add_argument("name", metavar="NAME", help="preset name: lowercase letters, digits, - and _")
    p.add_argument("--from", dest="base", metavar="PRESET", help="preset to extend")
    p.add_argument("--description", default="", help="one-line description")
    p.add_argument("--force", action="store_true", help="replace an existing user preset")
    add_set(p)
    add_presets_dir(p)
    p.set_defaults(func=cmd_new)

    p = add_command(
        sub,
        "schema",
        "print the JSON Schema of preset files",
        "Print the JSON Schema of the preset file format, for editors that check TOML as you\n"
        "type (taplo, Even Better TOML): add `#:schema ./speech-tuner.schema.json` at the top\n"
        "of a preset file.",
        ["speech-tuner schema -o speech-tuner.schema.json"],
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE")
    p.set_defaults(func=cmd_schema)


# -- handlers --------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    rows = args.store.list_presets()
    if args.format == "json":
        print_json(
            [
                {
                    "name": r.name,
                    "source": r.source,
                    "path": str(r.path),
                    "description": r.description,
                }
                for r in rows
            ]
        )
        return 0
    width = max((len(r.name) for r in rows), default=4)
    for r in rows:
        print(f"{r.name.ljust(width)}  {r.source:<8}  {r.description}")
    return 0


def _origin_rows(preset: Any, show_all: bool) -> list[dict[str, Any]]:
    from tuner.params import PARAM_NAMES, SPECS

    rows = []
    for name in PARAM_NAMES:
        spec = SPECS[name]
        value = getattr(preset.params, name)
        if value is None and not show_all:
            continue
        rows.append(
            {
                "param": name,
                "value": value if value is not None else spec.default,
                "unit": spec.unit,
                "range": spec.range_text,
                "source": preset.origin(name),
            }
        )
    return rows


def cmd_show(args: argparse.Namespace) -> int:
    from tuner.params import SPECS

    preset = load_preset(args.store, args.preset, args.overrides)
    rows = _origin_rows(preset, args.all)
    warnings = preset.warnings()
    if args.format == "json":
        print_json(
            {
                "name": preset.name,
                "description": preset.description,
                "extends": preset.extends,
                "params": rows,
                "warnings": [w.to_json() for w in warnings],
            }
        )
        return 0
    title = f"{preset.name} ({preset.source})"
    if preset.extends:
        title += f", extends {preset.extends}"
    print(title)
    if preset.description:
        print(f"  {preset.description}")
    print()
    table = [("param", "value", "range", "from")]
    for r in rows:
        shown = "—" if r["value"] is None else SPECS[r["param"]].display(r["value"])
        table.append((r["param"], shown, r["range"], r["source"]))
    widths = [min(max(len(row[i]) for row in table), 44) for i in range(4)]
    for row in table:
        cells = [c if len(c) <= widths[i] else c[: widths[i] - 1] + "…" for i, c in enumerate(row)]
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip())
    for w in warnings:
        print(str(w), file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tuner.export import render

    preset = load_preset(args.store, args.preset, args.overrides)
    print_override_warnings(preset)
    write_output(render(preset, args.format), args.output)
    return 0


def _validate_one(ref: str, store: Any) -> list[Problem]:
    try:
        warnings: list[Problem] = store.load(ref).warnings()
        return warnings
    except TunerError as exc:
        return [
            p if p.path else Problem(p.message, ref, p.line, p.key, p.severity)
            for p in exc.problems
        ]


def cmd_validate(args: argparse.Namespace) -> int:
    results = {ref: _validate_one(ref, args.store) for ref in args.files}
    failed = {
        ref
        for ref, problems in results.items()
        if any(p.severity == "error" or args.strict for p in problems)
    }
    if args.format == "json":
        print_json(
            {
                "valid": not failed,
                "files": [
                    {
                        "path": ref,
                        "valid": ref not in failed,
                        "problems": [p.to_json() for p in problems],
                    }
                    for ref, problems in results.items()
                ],
            }
        )
    else:
        for ref, problems in results.items():
            for p in problems:
                print(str(p), file=sys.stderr if p.severity == "error" else sys.stdout)
            if not problems:
                print(f"{ref}: ok")
    return 1 if failed else 0


def cmd_diff(args: argparse.Namespace) -> int:
    from tuner.params import PARAM_NAMES, SPECS

    a, b = args.store.load(args.a), args.store.load(args.b)
    rows = []
    for name in PARAM_NAMES:
        va, vb = a.params.effective(name), b.params.effective(name)
        if va != vb or type(va) is not type(vb):
            rows.append((name, va, vb))
    if args.format == "json":
        print_json(
            {
                "a": a.name,
                "b": b.name,
                "differences": [{"param": n, "a": va, "b": vb} for n, va, vb in rows],
            }
        )
        return 0
    if not rows:
        print(f"{a.name} and {b.name} have the same params")
        return 0
    table = [("param", a.name, b.name)] + [
        (n, SPECS[n].display(va), SPECS[n].display(vb)) for n, va, vb in rows
    ]
    widths = [min(max(len(r[i]) for r in table), 40) for i in range(3)]
    for r in table:
        print("  ".join(c[: widths[i]].ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from tuner.presets import Preset, is_path, read_assignments

    store = args.store
    target = store.path_for(args.name)
    if target.exists() and not args.force:
        raise TunerError(Problem("already exists; use --force to replace it", str(target)))
    overrides = read_assignments(args.overrides)
    base = store.load(args.base) if args.base else None
    start = base.child(args.name) if base is not None else Preset(args.name, source="user")
    preset = start.with_overrides(overrides)
    preset.description = args.description
    if base is not None and is_path(args.base):
        preset.extends = str(Path(args.base).resolve())
    path = store.save(preset, fresh=True)
    print(f"wrote {path}")
    for w in store.load(str(path)).warnings():
        print(str(w), file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from tuner.export import preset_json_schema

    write_output(json.dumps(preset_json_schema(), indent=2) + "\n", args.output)
    return 0
