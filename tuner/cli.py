"""The `speech-tuner` command line: parses arguments, calls the core, prints."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tuner import __version__
from tuner.commands._common import print_problems
from tuner.errors import TunerError

#: Modules under `tuner.commands` that each add their subcommands with `register(sub)`.
COMMAND_MODULES = ("edit", "presets", "budget", "calls", "check", "pauses")

DESCRIPTION = """\
Validate, tune and apply speech-timing presets for SignalWire AI voice agents.

With no command, opens the terminal UI on the "normal" preset (same as `speech-tuner edit normal`).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speech-tuner",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `speech-tuner COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"speech-tuner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"tuner.commands.{name}").register(sub)
    parser.commands = set(sub.choices)  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 fine, 1 invalid input, 2 usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    opens_editor = not args_list or args_list[0].split("=")[0] in ("--presets-dir", "--set")
    if opens_editor and "edit" in parser.commands:  # type: ignore[attr-defined]
        args_list = ["edit", *args_list]
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if hasattr(args, "presets_dir"):
            # The one store every command of this run reads and writes presets through.
            from tuner.presets import PresetStore

            args.store = PresetStore(args.presets_dir)
        code: int = args.func(args)
        return code
    except TunerError as exc:
        print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); exit quietly like other Unix tools.
        sys.stderr.close()
        return 0
