"""What every command shares: common options, loading the named preset, printing output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuner.errors import Problem, TunerError

if TYPE_CHECKING:
    from tuner.presets import Preset, PresetStore

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
        help="override a param (repeatable). VALUE is read as TOML: 800, 0.9, true, false, "
        '"text"; a text param also takes bare text (vad_config=60:20); booleans are true or '
        "false only; KEY= means the platform default",
    )


def add_format(parser: argparse.ArgumentParser, choices: Sequence[str], default: str) -> None:
    parser.add_argument(
        "--format",
        choices=list(choices),
        default=default,
        help=f"output format (default: {default})",
    )


def load_preset(store: PresetStore, ref: str, overrides: Sequence[str] = ()) -> Preset:
    """Load a preset by name or path and apply `--set` overrides (problems name `--set`)."""
    from tuner.presets import read_assignments

    values = read_assignments(overrides)  # a bad KEY=VALUE is reported before the file is read
    return store.load(ref).with_overrides(values)


def print_override_warnings(preset: Preset) -> None:
    """The model's warnings about values given with `--set`, filed under `--set`."""
    if not preset.overridden:
        return
    for warning in preset.warnings():
        if warning.key in preset.overridden:
            print(str(warning), file=sys.stderr)


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
