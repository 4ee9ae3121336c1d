"""`speech-tuner pauses`: measure callers' pauses in recordings, simulate each timeout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tuner.commands._common import (
    add_command,
    add_format,
    add_presets_dir,
    print_json,
    use_color,
)
from tuner.commands._run import Input, add_run_options, run_files
from tuner.errors import Problem, TunerError
from tuner.params import SPECS

if TYPE_CHECKING:
    from tuner.audio.analysis import FileResult
    from tuner.presets import PresetStore

DESCRIPTION = """\
Measure the caller's pauses inside their turns in call recordings, and show for each candidate
end_of_speech_timeout (250..2000 ms) how often the agent would have cut the caller off and how much
waiting each turn carries; recommend the smallest timeout that keeps cut-offs under a target rate.

Input: WAV (PCM 8/16/24/32-bit, float, G.711 mu-law and A-law), FLAC, OGG and MP3, mono or
stereo, 8 to 48 kHz, and folders of them. Stereo recordings (SignalWire record_call with
stereo: true) hold the caller on one channel and the agent on the other: a caller silence is a
pause when the caller speaks again before the agent, and a turn end when the agent speaks. Mono
recordings cannot tell turn ends from pauses: silences up to --max-pause count as pauses.

The recommendation needs at least 30 within-turn pauses in 5 minutes of caller speech; below
that it is marked provisional and --write-preset refuses without --force. It comes with a 90 %
bootstrap interval. --format json lists every measured pause (file, start_ms, end_ms), so a pause
can be checked by ear.

Needs the audio extra: pip install 'speech-tuner[audio]'. Unreadable files are reported and
skipped; the exit code is then 1, and when no file could be read there is no report.
"""

EXAMPLES = [
    "speech-tuner pauses recordings/",
    "speech-tuner pauses call1.wav call2.wav --caller-channel 1 --preset elderly",
    "speech-tuner pauses recordings/ --jobs 2 --format json > pauses.json",
    "speech-tuner pauses recordings/ --write-preset our-callers",
    "speech-tuner pauses 's3://acme-calls/2026-11/*.wav' --cluster tcp://10.0.0.5:8786",
]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from tuner.audio.defaults import DEFAULT_BACKEND, DEFAULT_MAX_PAUSE_MS, DEFAULT_TARGET_PER_MIN
    from tuner.audio.evidence import MIN_PAUSES, MIN_SPEECH_MIN

    p = add_command(
        sub,
        "pauses",
        help="measure callers' pauses in recordings; simulate end_of_speech_timeout",
        description=DESCRIPTION,
        examples=EXAMPLES,
    )
    p.add_argument(
        "audio",
        nargs="+",
        metavar="AUDIO",
        help="WAV/FLAC/OGG/MP3 files, folders or globs of them, local or as URLs (s3://, gs://, "
        "az://, https://)",
    )
    p.add_argument(
        "--caller-channel",
        type=int,
        choices=(0, 1),
        default=0,
        help="stereo: the channel holding the caller (default 0, the left channel; "
        "mono files have only channel 0)",
    )
    p.add_argument(
        "--vad",
        choices=("silero", "webrtc"),
        default=DEFAULT_BACKEND,
        help=f"voice-activity detector: {DEFAULT_BACKEND} (default: the most accurate on recorded "
        "callers) or webrtc (faster, but it drops words of real speech: warns)",
    )
    add_run_options(p)
    p.add_argument(
        "--preset",
        dest="presets",
        action="append",
        default=[],
        metavar="P",
        help="also show this preset's row (repeatable); the first is the base of --write-preset",
    )
    p.add_argument(
        "--write-preset",
        metavar="NAME",
        help="save the recommendation as user preset NAME (extends the first --preset, "
        f"else normal); refuses below {MIN_PAUSES} pauses in {MIN_SPEECH_MIN:g} minutes of "
        "caller speech",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="--write-preset even when the evidence is below that minimum",
    )
    p.add_argument(
        "--target",
        type=float,
        default=DEFAULT_TARGET_PER_MIN,
        metavar="PER_MIN",
        help=f"cut-offs per minute of caller speech the recommendation may allow "
        f"(default {DEFAULT_TARGET_PER_MIN:g})",
    )
    p.add_argument(
        "--max-pause",
        type=int,
        default=DEFAULT_MAX_PAUSE_MS,
        metavar="MS",
        help=f"mono: longest silence counted as a pause (default {DEFAULT_MAX_PAUSE_MS} ms)",
    )
    add_format(p, ("text", "json"), "text")
    add_presets_dir(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.target < 0:
        raise TunerError(Problem("must not be negative", key="--target"))
    shortest = SPECS["end_of_speech_timeout"].minimum  # no timeout can end a shorter pause
    if shortest is not None and args.max_pause < shortest:
        raise TunerError(Problem(f"must be at least {shortest:g} ms", key="--max-pause"))
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise TunerError(
            Problem("needs numpy and a voice detector: pip install 'speech-tuner[audio]'")
        ) from None
    from tuner import sources
    from tuner.audio import analysis, report
    from tuner.audio.defaults import WEAK_ON_REAL_SPEECH
    from tuner.audio.vad import VadMissing, check_backend
    from tuner.presets import check_name

    try:
        check_backend(args.vad)
    except VadMissing as exc:
        raise TunerError(Problem(str(exc), key="--vad")) from None
    if args.vad in WEAK_ON_REAL_SPEECH:
        print(f"warning: --vad {args.vad}: {WEAK_ON_REAL_SPEECH[args.vad]}", file=sys.stderr)
    if args.write_preset:
        check_name(args.write_preset)
    rows = _preset_rows(args.presets, args.store)
    files, errors = sources.expand(args.audio, analysis.AUDIO_SUFFIXES)
    results: list[FileResult] = []
    job = _Job(args.caller_channel, args.vad, args.max_pause)
    for out in run_files(job, files, args, "recordings"):
        if out.result is None or isinstance(out.result, str):
            errors.append((out.input.shown, out.error or str(out.result)))
        else:
            results.append(out.result)
    if not results:
        # Nothing was read: the errors are the whole answer, not a table of zeros.
        for path, message in errors:
            print(str(Problem(message, path)), file=sys.stderr)
        print(str(Problem("no recording could be read: no report")), file=sys.stderr)
        return 1
    summary = analysis.Summary(results, args.vad, args.target)
    if args.format == "json":
        print_json(report.to_json(summary, rows, errors))
    else:
        sys.stdout.write(report.to_text(summary, rows, args.presets, args.max_pause, use_color()))
    for path, message in errors:
        print(str(Problem(message, path)), file=sys.stderr)
    if args.write_preset:
        _write_preset(args, summary)
    return 1 if errors else 0


def _preset_rows(refs: Sequence[str], store: PresetStore) -> dict[str, int | None]:
    """end_of_speech_timeout of the built-in presets and of each --preset (None: a variable)."""
    from tuner.presets import BUILTIN_NAMES

    rows: dict[str, int | None] = {}
    for ref in [*BUILTIN_NAMES, *refs]:
        preset = store.load(ref)
        value = preset.params.effective("end_of_speech_timeout")
        rows[preset.name] = int(value) if isinstance(value, int | float) else None
    return rows


class _Job:
    """One file's analysis; a plain class so worker processes can receive it."""

    def __init__(self, caller_channel: int, backend: Any, max_pause: int) -> None:
        self.caller_channel = caller_channel
        self.backend = backend
        self.max_pause = max_pause

    def __call__(self, item: Input) -> FileResult | str:
        from tuner.audio.analysis import analyse_file
        from tuner.audio.decode import AudioError
        from tuner.sources import local_copy

        try:
            with local_copy(item.location) as path:
                result = analyse_file(path, self.caller_channel, self.backend, self.max_pause)
            result.path = item.shown
            return result
        except AudioError as exc:
            return str(exc)
        except MemoryError:
            return "too large to analyse in memory"
        except (ValueError, OSError) as exc:
            # A file that passed the header checks but is still malformed: report, keep going.
            return f"cannot analyse: {exc}"


def _write_preset(args: argparse.Namespace, summary: Any) -> None:
    from tuner.presets import from_params

    value, _reason = summary.recommend()
    if value is None:
        raise TunerError(
            Problem("no recommendation to save: no within-turn pauses found", key="--write-preset")
        )
    missing = summary.missing()
    if missing and not args.force:
        raise TunerError(
            Problem(
                f"not saved: too little evidence for a preset, missing {missing}; "
                "add recordings, or --force to save it anyway",
                key="--write-preset",
            )
        )
    base = args.store.load(args.presets[0] if args.presets else "normal")
    dist = summary.distribution()
    description = (
        f"end_of_speech_timeout from {len(summary.files)} recording(s): {dist['count']} pauses, "
        f"p95 {dist['p95']} ms, at most {summary.target_per_min:g} cut-offs/min + VAD margin"
    )
    preset = from_params(
        args.write_preset, {"end_of_speech_timeout": value}, description, base, "--write-preset"
    )
    path = args.store.save(preset, fresh=True)
    print(f"wrote {path} (end_of_speech_timeout = {value}, extends {base.name})", file=sys.stderr)
