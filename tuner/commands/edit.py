"""`speech-tuner edit`: open the terminal UI on a preset (the default command)."""

from __future__ import annotations

import argparse
import sys

from tuner.commands._common import add_command, add_presets_dir, add_set
from tuner.errors import Problem, TunerError

DESCRIPTION = """\
Open the terminal UI on a preset: edit its params with their ranges and help, and
see the set_params call, the TOML, the diff and the turn timeline change as you
type; then save (ctrl+s) to the user presets folder or export (ctrl+e). f1 lists
every key.

--set values are applied before the first frame, as unsaved changes. A value the
model rejects opens in its field with the model's message (fix it there); an
unknown key or preset is an error and nothing opens."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        sub,
        "edit",
        help="tune a preset in the terminal UI (the default command)",
        description=DESCRIPTION,
        examples=[
            "speech-tuner",
            "speech-tuner edit elderly",
            "speech-tuner edit ./presets/support.toml",
            "speech-tuner edit normal --set end_of_speech_timeout=800 --set barge_min_words=3",
            "speech-tuner edit quick --presets-dir ./my-presets",
        ],
    )
    parser.add_argument(
        "preset",
        nargs="?",
        default="normal",
        metavar="PRESET|FILE",
        help='preset name or path to a .toml file (default: "normal")',
    )
    add_presets_dir(parser)
    add_set(parser)
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from tuner.presets import parse_overrides

    # Check what can be checked before Textual is imported: a bad key or preset exits at once.
    parse_overrides(args.overrides)
    args.store.load(args.preset)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise TunerError(Problem("needs an interactive terminal (stdin and stdout)", key="edit"))
    from tuner.tui.app import make_app

    make_app(args.preset, args.store, args.overrides).run()
    return 0
