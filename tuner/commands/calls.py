"""`speech-tuner calls`: latencies, barges and timeouts from call logs, and what to change."""

from __future__ import annotations

import argparse
import re
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
from tuner.commands._run import Input, add_run_options, run_files
from tuner.commands.budget import grade_text, wrap

#: Mirrors of tuner.calls' thresholds, kept here so `--help` does not import the analysis.
CUT_OFF_GAP_MS = 1500
EARLY_BARGE_MS = 1500

#: Below this many files no progress bar is worth drawing.
PROGRESS_MIN_FILES = 200
STAT_ROWS = (
    ("caller_turn_ms", "caller turn, speech onset → final"),
    ("turn_detection_to_final_event_ms", "turn detected → final transcript"),
    ("acoustic_latency_ms", "caller's wait (acoustic_latency)"),
    ("eos_to_push_latency_ms", "end of speech → transcript"),
    ("llm_latency_ms", "model first token (latency)"),
    ("utterance_latency_ms", "first utterance ready"),
    ("audio_latency_ms", "first audio (audio_latency)"),
    ("function_turn_latency_ms", "caller's wait after a tool"),
    ("function_duration_ms", "function run time"),
    ("function_latency_ms", "function_latency"),
    ("execution_latency_ms", "execution_latency"),
    ("barge_elapsed_ms", "agent speech before a barge"),
    ("answer_time_ms", "model answer (times[].answer_time)"),
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


def wrap_text(text: str, indent: str, later: str, width: int = 100) -> list[str]:
    """Wrapped lines; a `code span` is never broken across lines (nor is a word)."""
    protected = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\0"), text)
    lines = textwrap.wrap(
        protected,
        width=width,
        initial_indent=indent,
        subsequent_indent=later,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace("\0", " ") for line in lines]


def _row(label: str, s: dict[str, Any]) -> str:
    return f"{label:<38}{s['count']:>6}" + "".join(
        f"{_cell(s[k]):>8}" for k in ("p50", "p90", "p95", "max")
    )


def _endpointing_label(doc: dict[str, Any]) -> str:
    return "endpointing wait" + (
        " (from onset)" if doc["endpointing_ms"]["from_speech_onset"] else ""
    )


def render(doc: dict[str, Any], preset_name: str, color: bool, by_step: bool = False) -> str:
    """The analysis as text for people."""
    lines = [
        f"{doc['calls']} calls, {doc['assistant_turns']} assistant turns, "
        f"{doc['caller_turns']} caller turns"
        + (f", {len(doc['errors'])} unreadable" if doc["errors"] else ""),
        "",
        f"{'ms (nearest-rank percentiles)':<38}{'count':>6}{'p50':>8}{'p90':>8}{'p95':>8}"
        f"{'max':>8}",
    ]
    rows = [(key, label) for key, label in STAT_ROWS]
    rows.insert(0, ("first_response_ms", "first response" + _estimate_label(doc)))
    rows.insert(1, ("endpointing_ms", _endpointing_label(doc)))
    for key, label in rows:
        s = doc[key]
        if s["count"]:
            lines.append(_row(label, s))
    lines.extend(_notes(doc))
    lines.append("")
    cut = doc["cut_offs"]
    if cut["caller_turns"]:
        lines.extend(
            wrap_text(
                f"callers cut off: {cut['count']} of {cut['caller_turns']} caller turns "
                f"({cut['per_100_caller_turns']} per 100): {cut['split_turns']} continued their "
                f"own turn within {CUT_OFF_GAP_MS} ms, {cut['early_barges']} barged the reply "
                f"in its first {EARLY_BARGE_MS} ms",
                "",
                "  ",
            )
        )
    rate = doc["barge_rate"]
    lines.append(
        f"barged turns: {doc['barged_turns']}"
        + (f" of {doc['assistant_turns']} ({rate:.0%})" if rate is not None else "")
    )
    fired = doc["attention_timeout_ms"]
    lines.append(
        f"attention timeouts: {doc['attention_timeouts']}"
        + (f" ({doc['attention_timeouts_per_call']} per call)" if doc["calls"] else "")
        + (f", timeout_ms used: {fired['max']}" if fired["count"] else "")
    )
    if doc["ended"]:
        lines.append("calls ended: " + ", ".join(f"{why} × {n}" for why, n in doc["ended"].items()))
    if doc["caller_ended_early"]:
        lines.append(f"callers who hung up early: {doc['caller_ended_early']}")
    if doc["presets"]:
        lines.append("presets: " + ", ".join(f"{p} × {n}" for p, n in doc["presets"].items()))
    for where in doc["incomplete_lines"]:
        lines.append(f"{where}: incomplete last line skipped (a write in progress or cut short)")
    for field, n in doc["ignored"].items():
        lines.append(f"{n} values ignored as implausible (field: {field})")
    steps = doc["steps"]
    if steps and (by_step or len(steps) > 1):
        lines.append("")
        lines.extend(_steps(steps, full=by_step))
    g = doc["grades"]
    lines.append("")
    lines.extend(
        wrap_text(
            f"grades (p{doc['grade_percentile']}): "
            f"first response{_grade_label(doc)} {grade_text(g['first_response'], color)}"
            f", function {grade_text(g['function'], color)}"
            f", function turn {grade_text(g['function_turn'], color)}",
            "",
            "  ",
        )
    )
    lines.append("")
    lines.extend(_recommendations(doc, preset_name))
    return "\n".join(lines) + "\n"


def _grade_label(doc: dict[str, Any]) -> str:
    if doc["first_response_ms"]["estimate"] and doc["endpointing_ms"]["from_speech_onset"]:
        return " (estimate from the caller's speech onset)"
    return _estimate_label(doc)


def _estimate_label(doc: dict[str, Any]) -> str:
    return " (estimate)" if doc["first_response_ms"]["estimate"] else ""


def _notes(doc: dict[str, Any]) -> list[str]:
    out = []
    first = doc["first_response_ms"]
    if first["estimate"]:
        sources = "; ".join(f"{k} × {n}" for k, n in first["source"].items())
        out.append(
            f"  first response: {sources}. acoustic_latency is not in these logs: the figure "
            "is estimated per caller turn as endpointing wait + the reply's audio_latency."
        )
    end = doc["endpointing_ms"]
    sources = ", ".join(f"{k} × {n}" for k, n in end["source"].items())
    if end["count"] and end["from_speech_onset"]:
        out.append(
            f"  endpointing wait: {sources}. These run from the caller's speech onset to the "
            "final transcript: they include the caller's own words, so they are an upper "
            "bound on the silence the platform waited out (eos_to_push_latency, when present, "
            "is measured from the last word)."
        )
    elif end["count"]:
        out.append(f"  endpointing wait: {sources}, measured from the caller's last word.")
    if end["count"] and end["above_end_of_speech_timeout"] is not None:
        out.append(
            f"  {end['above_end_of_speech_timeout']} of {end['count']} endpointing waits are "
            f"longer than the preset's end_of_speech_timeout of {end['end_of_speech_timeout']} "
            "ms" + (" (counted from speech onset)" if end["from_speech_onset"] else "")
        )
    return [line for note in out for line in wrap_text(note, "", "    ")]


def _steps(steps: dict[str, Any], full: bool) -> list[str]:
    out = [
        f"{'step':<36}{'turns':>6}{'cut off':>8}{'attn':>6}{'wait p50':>9}{'wait p90':>9}"
        f"{'turn p50':>9}{'conf p50':>9}"
    ]
    for name, s in steps.items():
        if not full and not s["caller_turns"]:
            continue
        conf = s["confidence"]["p50"]
        out.append(
            f"{name[:35]:<36}{s['caller_turns']:>6}{s['cut_offs']:>8}{s['attention_timeouts']:>6}"
            f"{_cell(s['endpointing_ms']['p50']):>9}{_cell(s['endpointing_ms']['p90']):>9}"
            f"{_cell(s['caller_turn_ms']['p50']):>9}{_cell(conf):>9}"
        )
    return out


def _recommendations(doc: dict[str, Any], preset_name: str) -> list[str]:
    lines = []
    recs = doc["recommendations"]
    if recs:
        lines.append(f"recommendations (against {preset_name}):")
        for r in recs:
            current = "platform default" if r["current"] is None else _value(r["current"])
            lines.append(f"  {r['param']}: {current} → {_value(r['proposed'])}")
            lines.extend(wrap_text(f"because {r['reason']}", "    ", "    "))
    elif doc["missing_evidence"]:
        lines.append(f"recommendations (against {preset_name}): none; not enough evidence:")
        for text in doc["missing_evidence"]:
            lines.extend(wrap_text(f"- {text}", "  ", "    "))
    else:
        lines.append(
            f"recommendations (against {preset_name}): none; the evidence asks for no change"
        )
    if doc["advice"]:
        lines.append("advice (outside the preset):")
    for a in doc["advice"]:
        scope = a.get("function") or a.get("step")
        lines.extend(wrap_text(f"{scope}: {a['setting']}: {a['reason']}", "  ", "    "))
    return lines


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
            "JSON-lines files with one payload per line, such as the daily files "
            "tuner.record_calls writes) and report, graded against the course's goals: the "
            "first response, the endpointing wait (how long the platform took to decide the "
            "caller had finished), callers cut off, barge-ins, attention timeouts and how "
            "calls ended, overall and per dialogue step, with recommended param changes and "
            "the evidence for each.\n\n"
            "Fields read per caller turn: speaking_to_final_event (speech onset → final "
            "transcript, so it includes the caller's words), turn_detection_to_final_event, "
            "confidence, start/end timestamps; per reply: acoustic_latency, "
            "eos_to_push_latency (wait from the caller's last word), audio_latency. Without "
            "acoustic_latency the first response is estimated as endpointing wait + the "
            "reply's audio_latency, and labelled an estimate. A caller is 'cut off' when "
            "their turn starts within 1500 ms of their own previous turn (one utterance "
            "split in two) or barges the agent's reply in its first 1500 ms (once per turn). "
            "Values that "
            "cannot be true (negative, or longer than the call) are left out of every figure "
            "and counted under 'ignored'.\n\n"
            "Percentiles use the nearest-rank method over 1 ms bins: pN is the smallest value "
            "with at least N% of the values at or below it (max = p100). Latency fields that "
            "are 0 or absent are 'not measured'. Grades use the p50.\n"
            "A payload that cannot be read is reported with its path and skipped; the exit "
            "code is then 1. When no payload can be read, only the errors are printed.\n\n"
            "Collecting payloads from a live agent: in the agent, "
            "tuner.record_calls(agent, 'call-logs') stores every payload it receives, one "
            "JSON line each, in call-logs/calls-YYYY-MM-DD.jsonl, stamped with the call's "
            "preset. SignalWire sends post_conversation payloads only to an agent with a post "
            "prompt: call agent.set_post_prompt('Summarise the call.') too.\n\n"
            "With --by preset, the calls of an experiment (use_call_presets(agent, split=..., "
            "experiment=...)) are compared preset by preset: cut-offs, endpointing wait, first "
            "response p50/p90, barge-ins, attention timeouts and early hang-ups, each difference "
            "with a 95% interval from a bootstrap over calls (all intervals holding together), "
            "and a verdict in words, or how many more calls would tell."
        ),
        examples=[
            "speech-tuner calls logs/",
            "speech-tuner calls logs/ --by step",
            "speech-tuner calls day1.jsonl day2.jsonl --preset elderly --format json",
            "speech-tuner calls call-logs/ --jobs 2",
            "speech-tuner calls logs/ --write-preset tuned",
            "speech-tuner calls 's3://acme-calls/logs/2026-11-*.jsonl' --cluster tcp://10.0.0.5:8786",
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
        choices=["step", "preset"],
        default=None,
        help="step: also show the figures per dialogue step (context/step), every step listed; "
        "preset: each preset's figures side by side, every difference with a confidence "
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
    add_run_options(parser)
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
    result = _analyse(args)
    if not result.calls:  # a torn last line is all there is: that is an error too
        result.errors.extend(
            calls.Failure(where, "incomplete last line (a write in progress or cut short)")
            for where in result.incomplete
        )
    print_problems([Problem(e.message, e.path) for e in result.errors])
    if not result.calls:
        # Nothing readable: the errors are the whole answer, never a report of zeros.
        if args.format == "json":
            print_json({"calls": 0, "errors": [e.to_json() for e in result.errors]})
        else:
            print("no call could be read: nothing to analyse", file=sys.stderr)
        return 1
    doc = result.to_json(preset.params)
    if args.format == "json":
        print_json(doc)
    else:
        sys.stdout.write(render(doc, preset.name, use_color(), by_step=args.by == "step"))
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


def _analyse(args: argparse.Namespace) -> Any:
    """Every file's summary, each file read where --jobs/--cluster say, merged in file order."""
    from tuner import calls, sources

    files, missing = sources.expand(args.paths, calls.read.PAYLOAD_SUFFIXES)
    result = calls.Analysis(errors=[calls.Failure(path, why) for path, why in missing])
    for out in run_files(_File(), files, args, "files", PROGRESS_MIN_FILES):
        if out.result is None:
            result.errors.append(calls.Failure(out.input.shown, out.error or "failed"))
        else:
            result.merge(out.result)
    return result


class _File:
    """One payload file's summary (`calls.analyse_file`), read wherever the file is; a plain
    class so worker processes can receive it. Places in the file are named as the user named
    the file, not as the temporary copy of a URL."""

    def __call__(self, item: Input) -> Any:
        from dataclasses import replace
        from pathlib import Path

        from tuner import calls, sources

        with sources.local_copy(item.location) as local:
            part = calls.analyse_file(local)
        read_as = str(Path(local))
        shown = item.shown if sources.is_url(item.shown) else str(Path(item.shown))
        if read_as != shown:
            part.errors = [replace(e, path=shown + e.path[len(read_as) :]) for e in part.errors]
            part.incomplete = [shown + where[len(read_as) :] for where in part.incomplete]
        return part
