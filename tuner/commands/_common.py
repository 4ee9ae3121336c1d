"""What every command shares: common options, loading the named preset, printing output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tuner.errors import Problem, TunerError

EPILOG_WIDTH = 100


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help: str,
    description: str,
    examples: Sequence[str],
) -> argparse.ArgumentParser:
    """A subcommand with its help, description and examples shown in `--help`."""
    epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples)
    return sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_presets_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--presets-dir",
        metavar="DIR",
        default=None,
        help="user presets folder (default: $SPEECH_TUNER_PRESETS_DIR, else the user config "
        "folder + /speech-tuner/presets)",
    )


def add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help='override a param (repeatable); VALUE is TOML: 800, true, "text"',
    )


def add_format(parser: argparse.ArgumentParser, choices: Sequence[str], default: str) -> None:
    parser.add_argument(
        "--format",
        choices=list(choices),
        default=default,
        help=f"output format (default: {default})",
    )


def load_preset(ref: str, presets_dir: str | None, overrides: Sequence[str] = ()) -> Any:
    """Load a preset by name or path and apply `--set` overrides."""
    from tuner import presets

    preset = presets.load(ref, presets_dir)
    return presets.with_overrides(preset, presets.parse_assignments(overrides))


def write_output(text: str, output: str | None) -> None:
    """Print, or write atomically to a file (`-o`)."""
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    from tuner.presets import write_atomic

    assert output is not None
    target = Path(output)
    if target.is_dir():
        raise TunerError(Problem("is a directory; give a file name", output))
    write_atomic(target, text)
    print(f"wrote {output}", file=sys.stderr)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")
