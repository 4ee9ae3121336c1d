"""`speech-tuner calls`: latencies, barges and timeouts from call logs, and what to change."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from tuner.commands._common import (
    add_command,
    add_format,
    add_presets_dir,
    load_preset,
    print_json,
    print_problems,
    use_color,
)
from tuner.commands.budget import grade_text, wrap

#: Below this many files no progress bar is worth drawing.
PROGRESS_MIN_FILES = 200
STAT_ROWS = (
    ("acoustic_latency_ms", "caller's wait (acoustic_latency)"),
    ("eos_to_push_latency_ms", "end of speech → transcript"),
    ("llm_latency_ms", "model first token (latency)"),
    ("utterance_latency_ms", "first utterance ready"),
    ("audio_latency_ms", "first audio (audio_latency)"),
    ("function_turn_latency_ms", "caller's wait after a tool"),
    ("function_latency_ms", "function_latency"),
    ("execution_latency_ms", "execution_latency"),
    ("barge_elapsed_ms", "agent speech before a barge"),
)


class Progress:
    """A one-line bar on stderr, redrawn at most a hundred times."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:
            return
        step = done * 100 // total
        if step == self.last and done != total:
            return
        self.last = step
        filled = step * 30 // 100
        bar = "█" * filled + "░" * (30 - filled)
        end = "\n" if done == total else ""
        self.stream.write(f"\ranalysing {bar} {done}/{total} files{end}")
        self.stream.flush()


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def render(doc: dict[str, Any], preset_name: str, color: bool) -> str:
    """The analysis as text for people."""
    lines = [
        f"{doc['calls']} calls, {doc['assistant_turns']} assistant turns"
        + (f", {len(doc['errors'])} unreadable" if doc["errors"] else ""),
        "",
        f"{'ms (nearest-rank percentiles)':<34}{'count':>6}{'p50':>8}{'p90':>8}{'p95':>8}"
        f"{'max':>8}",
    ]
    for key, label in STAT_ROWS:
        s = doc[key]
        if not s["count"]:
            continue
        lines.append(
            f"{label:<34}{s['count']:>6}"
            + "".join(f"{_cell(s[k]):>8}" for k in ("p50", "p90", "p95", "max"))
        )
    rate = doc["barge_rate"]
    lines.append("")
    lines.append(
        f"barged turns: {doc['barged_turns']}"
        + (f" of {doc['assistant_turns']} ({rate:.0%})" if rate is not None else "")
    )
    lines.append(f"attention timeouts: {doc['attention_timeouts']}")
    if doc["ended"]:
        lines.append("calls ended: " + ", ".join(f"{why} × {n}" for why, n in doc["ended"].items()))
    g = doc["grades"]
    lines.append("")
    lines.append(
        f"grades (p{doc['grade_percentile']}): "
        f"first response {grade_text(g['first_response'], color)}"
        f", function {grade_text(g['function'], color)}"
        f", function turn {grade_text(g['function_turn'], color)}"
    )
    lines.append("")
    recs = doc["recommendations"]
    if recs:
        lines.append(f"recommendations (against {preset_name}):")
        for r in recs:
            current = "platform default" if r["current"] is None else _value(r["current"])
            lines.append(f"  {r['param']}: {current} → {_value(r['proposed'])}")
            lines.extend(
                textwrap.wrap(
                    f"because {r['reason']}",
                    width=100,
                    initial_indent="    ",
                    subsequent_indent="    ",
                )
            )
    else:
        lines.append(
            f"recommendations (against {preset_name}): none; the evidence asks for no change"
        )
    for a in doc["advice"]:
        lines.extend(
            textwrap.wrap(
                f"{a['function']}: {a['setting']}: {a['reason']}",
                width=100,
                initial_indent="  ",
                subsequent_indent="    ",
            )
        )
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        sub,
        "calls",
        help="analyse post_conversation call logs and recommend timing changes",
        description=wrap(
            "Read SignalWire post_conversation payloads (JSON files, folders of them, or "
            "JSON-lines files with one payload per line) and report per-turn latencies, "
            "barge-ins, attention timeouts and how calls ended, graded against the course's "
            "goals, with recommended param changes and the evidence for each.\n\n"
            "Percentiles use the nearest-rank method: pN is the smallest value with at least "
            "N% of the values at or below it (no interpolation; max = p100). Latency fields "
            "that are 0 or absent are 'not measured' and left out. Grades use the p50: "
            "acoustic_latency for the first response, function_latency for functions, and "
            "acoustic_latency of turns that follow a tool call for the function turn.\n"
            "A payload that cannot be read is reported with its path and skipped; the exit "
            "code is then 1.\n\n"
            "With --by preset, the calls of an experiment (use_call_presets(agent, split=..., "
            "experiment=...)) are compared preset by preset: cut-offs, endpointing wait, first "
            "response p50/p90, barge-ins, attention timeouts and early hang-ups, each difference "
            "with a 95% interval from a bootstrap over calls (all intervals holding together), "
            "and a verdict in words, or how many more calls would tell."
        ),
        examples=[
            "speech-tuner calls logs/",
            "speech-tuner calls day1.jsonl day2.jsonl --preset elderly --format json",
            "speech-tuner calls logs/ --write-preset tuned",
            "speech-tuner calls logs/ --by preset --experiment patience-1",
            "speech-tuner calls logs/ --by preset --experiment patience-1 --write-preset patient",
        ],
    )
    parser.add_argument(
        "paths", metavar="PATH", nargs="+", help="payload file, JSON-lines file or folder"
    )
    parser.add_argument(
        "--preset",
        default="normal",
        help="the preset the calls ran with: recommendations start from it (default: normal)",
    )
    parser.add_argument(
        "--write-preset",
        metavar="NAME",
        help="save the recommended values as a user preset NAME extending --preset; with "
        "--by preset, save the experiment's winner (or a preset halfway between the two) as "
        "NAME, only when the verdict is clear",
    )
    parser.add_argument(
        "--by",
        choices=["preset"],
        help="preset: each preset's figures side by side, every difference with a confidence "
        "interval (bootstrap over calls) and a verdict in words; calls are grouped by the "
        "preset stamped in them by use_call_presets(agent, split=...)",
    )
    parser.add_argument(
        "--experiment",
        metavar="NAME",
        help="with --by preset: only the calls of this experiment",
    )
    parser.add_argument(
        "--baseline",
        metavar="PRESET",
        help='with --by preset: the preset the others are compared with (default: "normal" '
        "if it ran, else the preset with the most calls)",
    )
    add_format(parser, ("text", "json"), "text")
    add_presets_dir(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tuner import calls
    from tuner.errors import Problem
    from tuner.presets import check_name, from_params

    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    if args.by == "preset":
        from tuner.commands._by_preset import run_by_preset

        return run_by_preset(args, progress)
    if args.experiment or args.baseline:
        print(
            "speech-tuner calls: --experiment and --baseline go with --by preset", file=sys.stderr
        )
        return 2
    if args.write_preset:
        check_name(args.write_preset)
    preset = load_preset(args.store, args.preset)
    result = calls.analyse(args.paths, progress=progress)
    doc = result.to_json(preset.params)
    print_problems([Problem(e.message, e.path) for e in result.errors])
    if args.format == "json":
        print_json(doc)
    else:
        sys.stdout.write(render(doc, preset.name, use_color()))
    if args.write_preset:
        values = calls.recommended_params(result.recommendations(preset.params))
        if not values:
            print(f"no recommendations: preset {args.write_preset!r} not written", file=sys.stderr)
        else:
            new = from_params(
                args.write_preset,
                values,
                description=f"{preset.name} tuned from {result.calls} calls",
                base=preset,
                source="--write-preset",
            )
            path = args.store.save(new, fresh=True)
            print(f"wrote {path}", file=sys.stderr)
    return 1 if result.errors else 0
