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
unknown key or preset is an error and nothing opens.

--recordings and --calls open the Evidence tab: your callers' pauses (recordings, as
`speech-tuner pauses` measures them, or its saved --format json result) and turns (call
logs, as `speech-tuner calls` reads them) against the values as you type: cut-offs per 100
caller turns, the wait each reply gains or loses, the first response, barge-ins and
attention timeouts, per dialogue step. The editor opens at once and reads them in the
background; an input that cannot be read is a line in the panel and the status line."""


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
            "speech-tuner edit normal --recordings recordings/ --calls call-logs/",
            "speech-tuner edit normal --recordings pauses.json   # a saved pauses result",
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
    parser.add_argument(
        "--recordings",
        nargs="+",
        action="extend",
        default=[],
        metavar="PATH",
        help="WAV/MP3 recordings or folders of them, or saved `pauses --format json` results: "
        "the callers' pauses shown in the Evidence tab (needs the audio extra for audio)",
    )
    parser.add_argument(
        "--calls",
        nargs="+",
        action="extend",
        default=[],
        metavar="PATH",
        help="post_conversation payloads (.json/.jsonl) or folders of them: the callers' "
        "turns, waits, barge-ins and attention timeouts shown in the Evidence tab",
    )
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from tuner.presets import parse_overrides

    # Check what can be checked before Textual is imported: a bad key or preset exits at once.
    parse_overrides(args.overrides)
    args.store.peek(args.preset)  # the checks of `load`, without loading pydantic
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise TunerError(Problem("needs an interactive terminal (stdin and stdout)", key="edit"))
    from tuner.tui.app import make_app

    make_app(
        args.preset, args.store, args.overrides, recordings=args.recordings, calls=args.calls
    ).run()
    return 0
