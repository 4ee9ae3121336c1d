"""`speech-tuner calls PATH... --by preset`: the presets of an experiment side by side."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from tuner.experiment.compare import Experiment
from tuner.experiment.decide import Decision

WIDTH = 100


def run_by_preset(args: argparse.Namespace, progress: Any = None) -> int:
    """Read the payloads, compare the presets, print, and write the winner when asked."""
    from tuner.commands._common import print_json, print_problems
    from tuner.errors import Problem, TunerError
    from tuner.experiment.adapter import read_records

    try:
        import numpy  # noqa: F401
    except ImportError:
        raise TunerError(
            Problem("comparing presets needs numpy: pip install 'speech-tuner[stats]'")
        ) from None
    from tuner.experiment.compare import compare

    if args.write_preset:
        from tuner.presets import check_name

        check_name(args.write_preset)
    if args.cluster:
        print(
            "speech-tuner calls: --by preset reads the payloads on this machine; --cluster "
            "is for the report without --by preset",
            file=sys.stderr,
        )
        return 2
    read = read_records(args.paths, progress=progress, jobs=args.jobs or 1)
    records, errors = read.calls, read.errors
    print_problems([Problem(e.message, e.path) for e in errors])
    for where in read.incomplete:
        print(
            f"{where}: incomplete last line skipped (a write in progress or cut short)",
            file=sys.stderr,
        )
    result = compare(records, baseline=args.baseline, experiment=args.experiment)
    if not result.calls and result.notes:
        print("\n".join(result.notes), file=sys.stderr)
        return 1
    if not result.calls:
        what = f"of experiment {args.experiment!r} " if args.experiment else ""
        print(
            f"no call {what}carries a preset stamp (speech_tuner_preset in global_data, "
            "set by use_call_presets(agent, split=...)): nothing to compare",
            file=sys.stderr,
        )
        return 1
    decision = None
    if len(result.comparisons) == 1:
        from tuner.experiment.decide import decide

        decision = decide(result.comparisons[0])
    if args.format == "json":
        doc = result.to_json()
        doc["experiment"] = args.experiment
        doc["notes"] = result.notes
        doc["decision"] = vars(decision) if decision else None
        doc["errors"] = [e.to_json() for e in errors]
        doc["incomplete_lines"] = read.incomplete
        print_json(doc)
    else:
        sys.stdout.write(render(result, args.experiment, decision))
    if args.write_preset:
        code = _write(args, result, decision)
        if code:
            return code
    return 1 if errors else 0


def render(result: Experiment, experiment: str | None, decision: Decision | None) -> str:
    """The presets side by side, then each verdict in words."""
    names = list(result.arms)
    head = f"experiment {experiment}: " if experiment else ""
    total = sum(result.calls.values())
    lines = [f"{head}{total} calls with a preset stamp"]
    if result.left_out:
        lines[0] += f" ({result.left_out} left out: no stamp, or another experiment)"
    lines.append("")
    width = max(12, *(len(n) + 2 for n in names))
    lines.append(f"{'':<38}" + "".join(f"{n:>{width}}" for n in names))
    lines.append(f"{'calls':<38}" + "".join(f"{result.calls[n]:>{width}}" for n in names))
    from tuner.experiment.figures import FIGURES

    for fig in FIGURES:
        cells = [result.arms[n].get(fig.key) for n in names]
        if all(v is None for v in cells):
            continue
        shown = ["—" if v is None else (f"{v:.0f}" if fig.unit else f"{v:.1f}") for v in cells]
        lines.append(f"{fig.label:<38}" + "".join(f"{s:>{width}}" for s in shown))
    lines.append("")
    for note in result.notes:
        lines.extend([*textwrap.wrap(note, WIDTH), ""])
    for c in result.comparisons:
        lines.extend(textwrap.wrap(c.sentence(), WIDTH))
        lines.append("")
    if result.comparisons:
        family = sum(len(c.differences) for c in result.comparisons)
        lines.extend(
            textwrap.wrap(
                f"Intervals: bootstrap over calls ({result.resamples} resamples per preset); "
                f"the {result.confidence:.0%} holds for all {family} differences together.",
                WIDTH,
            )
        )
    if decision is not None:
        lines.append("")
        if decision.outcome == "winner":
            text = f"keep `{decision.preset}`: {decision.reason}"
        elif decision.outcome == "between":
            text = f"meet halfway: {decision.reason}"
        else:
            text = f"no preset to keep yet: {decision.reason}"
        lines.extend(textwrap.wrap(text, WIDTH))
    return "\n".join(lines) + "\n"


def _write(args: argparse.Namespace, result: Experiment, decision: Decision | None) -> int:
    from tuner.experiment.decide import between
    from tuner.presets import from_params

    if decision is None:
        print(
            f"--write-preset compares two presets; these logs have {len(result.arms)} "
            f"({', '.join(result.arms)}): choose two with --baseline and a narrower set of logs",
            file=sys.stderr,
        )
        return 2
    if decision.outcome == "none" or decision.preset is None:
        print(f"no clear verdict: preset {args.write_preset!r} not written", file=sys.stderr)
        return 0
    c = result.comparisons[0]
    calls = f"{c.calls[0]} + {c.calls[1]} calls"
    store = args.store
    keep = store.load(decision.preset)
    if decision.outcome == "winner":
        new = from_params(
            args.write_preset,
            {},
            description=f"{keep.name}, the winner of {args.experiment or 'an experiment'} "
            f"({calls})",
            base=keep,
            source="--write-preset",
        )
    else:
        other_name = c.other if decision.preset == c.baseline else c.baseline
        other = store.load(other_name)
        values = between(keep.params.values(), other.params.values())
        own = {k: v for k, v in values.items() if keep.params.values().get(k) != v}
        new = from_params(
            args.write_preset,
            own,
            description=f"halfway between {keep.name} and {other.name} ({calls})",
            base=keep,
            source="--write-preset",
        )
    path = store.save(new, fresh=True)
    print(f"wrote {path}", file=sys.stderr)
    return 0
