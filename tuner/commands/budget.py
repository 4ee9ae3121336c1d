"""`speech-tuner budget`: what a caller waits in a turn, as a stacked bar per scenario."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from tuner.commands._common import (
    EPILOG_WIDTH,
    add_command,
    add_format,
    add_presets_dir,
    add_set,
    load_preset,
    print_json,
    print_override_warnings,
    use_color,
)

BAR_WIDTH = 60
#: Each part of a turn: (key in the budget, label, glyph, ANSI colour).
SEGMENTS = (
    ("wait", "wait", "░", "90"),
    ("asr_ms", "asr", "▒", "36"),
    ("llm_ms", "llm", "▓", "34"),
    ("function_ms", "function", "▚", "35"),
    ("tts_ms", "tts", "█", "32"),
    ("network_ms", "network", "▌", "33"),
)
GRADE_COLORS = {"good": "32", "acceptable": "33", "poor": "31"}
SCENARIO_TEXT = {
    "silence": "the caller just stops talking",
    "detected": "the transcript ends a sentence (turn detection)",
}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def grade_text(grade: str | None, color: bool) -> str:
    if grade is None:
        return "not measured"
    return _paint(grade, GRADE_COLORS[grade], color)


def _bar(parts: list[tuple[str, int]], scale: float, color: bool) -> str:
    glyphs = {key: (glyph, code) for key, _, glyph, code in SEGMENTS}
    out = []
    for key, ms in parts:
        if ms <= 0:
            continue
        glyph, code = glyphs[key]
        out.append(_paint(glyph * max(1, round(ms / scale)), code, color))
    return "".join(out)


def _axis(scale: float, indent: int) -> str:
    cells = [" "] * (BAR_WIDTH + 1)
    labels = []
    second = 1000
    while second / scale <= BAR_WIDTH:
        pos = round(second / scale)
        cells[pos] = "|"
        labels.append((pos, f"{second // 1000}s"))
        second += 1000
    ticks = " " * indent + "0" + "".join(cells[1:])
    text = [" "] * (BAR_WIDTH + 4)
    for pos, label in labels:
        text[pos : pos + len(label)] = label
    return ticks.rstrip() + "\n" + (" " * indent + "".join(text)).rstrip()


def render(report: dict[str, Any], wait_params: Mapping[str, str], color: bool) -> str:
    """The budget report as text: a stacked bar per scenario, grades coloured."""
    comps: dict[str, int] = report["components"]
    scenarios: dict[str, dict[str, Any]] = report["scenarios"]
    longest = max(max(s["function_turn_ms"] for s in scenarios.values()), 3000)
    scale = longest / BAR_WIDTH
    lines = [
        f"Turn-latency budget of {report['preset']}",
        "components: " + " · ".join(f"{k.removesuffix('_ms')} {v} ms" for k, v in comps.items()),
        "",
    ]
    label_width = 16
    for name, s in scenarios.items():
        wait = s["wait_ms"]
        lines.append(
            f"{name}: {SCENARIO_TEXT.get(name, name)}; waits {wait_params[name]} = {wait} ms"
        )
        first = [
            ("wait", wait),
            ("asr_ms", comps["asr_ms"]),
            ("llm_ms", comps["llm_ms"]),
            ("tts_ms", comps["tts_ms"]),
            ("network_ms", comps["network_ms"]),
        ]
        function = [
            *first[:3],
            ("function_ms", comps["function_ms"]),
            ("llm_ms", comps["llm_ms"]),
            *first[3:],
        ]
        grades = s["grades"]
        rows = [
            ("first response", first, s["first_response_ms"], grades["first_response"]),
            ("function turn", function, s["function_turn_ms"], grades["function_turn"]),
        ]
        for label, parts, total, grade in rows:
            bar = _bar(parts, scale, color)
            visible = sum(max(1, round(ms / scale)) for _, ms in parts if ms > 0)
            pad = " " * max(0, BAR_WIDTH - visible)
            lines.append(
                f"  {label:<{label_width}}{bar}{pad} {total:>6} ms  {grade_text(grade, color)}"
            )
        lines.append(
            f"  {'function':<{label_width}}{' ' * BAR_WIDTH} {comps['function_ms']:>6} ms  "
            f"{grade_text(grades['function'], color)}"
        )
        if "perceived_silence_ms" in s:
            lines.append(
                f"  with fillers the caller hears a filler after {s['perceived_silence_ms']} ms "
                "of silence in the function turn"
            )
        lines.append(_axis(scale, indent=2 + label_width))
        lines.append("")
    legend = "  ".join(
        f"{_paint(glyph, code, color)} {label}" for _, label, glyph, code in SEGMENTS
    )
    lines.append(f"legend: {legend}")
    lines.append(
        "goals: first response good < 1000 ms, poor > 2000; function good < 500, poor > 1000; "
        "function turn good < 2000, poor > 3000"
    )
    return "\n".join(lines) + "\n"


def add_component_options(parser: argparse.ArgumentParser) -> None:
    from tuner.budget import COMPONENT_SOURCES, Components

    defaults = Components()
    for name, source in COMPONENT_SOURCES.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=_non_negative_ms,
            default=getattr(defaults, name),
            metavar="MS",
            help=f"default {getattr(defaults, name)}: {source}",
        )


def _non_negative_ms(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of ms") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; latencies are 0 ms or more")
    return value


def components_from(args: argparse.Namespace) -> Any:
    from tuner.budget import COMPONENT_SOURCES, Components

    return Components(**{name: getattr(args, name) for name in COMPONENT_SOURCES})


def wrap(text: str) -> str:
    """Wrap each paragraph of a raw help description; indented lines stay as written."""
    import textwrap

    out = []
    for para in text.split("\n"):
        keep = para.startswith(" ") or not para
        out.append(para if keep else textwrap.fill(para, EPILOG_WIDTH))
    return "\n".join(out)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        sub,
        "budget",
        help="the latency budget of a turn with a preset's timing",
        description=wrap(
            "What a caller waits for the agent's answer with a preset's timing, in two "
            "scenarios: 'silence' (the caller stops; the platform waits end_of_speech_timeout) "
            "and 'detected' (turn detection fires turn_detection_timeout after a finished "
            "sentence, while enable_turn_detection is on).\n\n"
            "  first_response_ms = wait + asr + llm + tts + network\n"
            "  function_turn_ms  = wait + asr + llm + function + llm + tts + network\n"
            "  perceived_silence_ms (--fillers) = wait + asr + llm + tts + network\n\n"
            "Grades follow the course's goals: first response good < 1000 ms, acceptable "
            "1000..2000, poor > 2000; function good < 500, acceptable 500..1000, poor > 1000; "
            "function turn good < 2000, acceptable 2000..3000, poor > 3000.\n"
            "The component defaults are typical published figures (see each option); measure "
            "your own with `speech-tuner calls`."
        ),
        examples=[
            "speech-tuner budget normal",
            "speech-tuner budget elderly --llm-ms 800 --fillers",
            "speech-tuner budget quick --set end_of_speech_timeout=400 --format json",
        ],
    )
    parser.add_argument("preset", metavar="PRESET", help="preset name or path to a .toml file")
    add_component_options(parser)
    parser.add_argument(
        "--fillers",
        action="store_true",
        help="the function turn plays a filler first: report when the caller hears it",
    )
    add_format(parser, ("text", "json"), "text")
    add_set(parser)
    add_presets_dir(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tuner import budget

    preset = load_preset(args.store, args.preset, args.overrides)
    print_override_warnings(preset)
    report = budget.report(preset.name, preset.params, components_from(args), args.fillers)
    if args.format == "json":
        print_json(report)
        return 0
    waits: dict[str, str] = {s: budget.wait_param(preset.params, s) for s in budget.SCENARIOS}
    import sys

    sys.stdout.write(render(report, waits, use_color()))
    return 0
