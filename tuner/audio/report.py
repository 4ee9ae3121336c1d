"""The pause report as text (distribution, histogram, timeout table) and as JSON."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tuner.audio import evidence
from tuner.audio.analysis import NOISY_BELOW_DB, FileResult, Summary
from tuner.audio.defaults import TIMEOUTS

CAVEAT = (
    "A recording cannot show a pause longer than the end_of_speech_timeout that was live on that "
    "call: the platform ended the caller's turn there, so such a pause shows up as a turn end or a "
    "cut-off, not as a pause. Rows above the live timeout are a lower bound."
)
MONO_NOTE = (
    "Mono recording(s): turn ends cannot be told from pauses, so every silence up to {bound} ms "
    "(--max-pause) is counted as a candidate pause and longer ones as turn ends."
)
BAR = 40
WIDTH = 100


def to_json(
    summary: Summary,
    presets: Mapping[str, int | None],
    errors: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    value, reason = summary.recommend()
    interval = summary.interval()
    missing = summary.missing()
    return {
        "files": [f.to_json() for f in summary.files],
        "measured_pauses": [p.to_json() for p in summary.measured()],
        "pauses": summary.distribution(),
        "timeouts": [
            {"end_of_speech_timeout": t, "cutoffs": c, "cutoffs_per_min": round(r, 3)}
            for t, c, r in summary.table()
            if t in TIMEOUTS
        ],
        "presets": {
            name: {
                "end_of_speech_timeout": eos,
                "cutoffs": summary.cutoffs(eos) if eos is not None else None,
            }
            for name, eos in presets.items()
        },
        "noisy_files": [f.path for f in summary.noisy()],
        "evidence": {
            "pauses": len(summary.pauses),
            "caller_speech_min": round(summary.caller_min, 2),
            "min_pauses": evidence.MIN_PAUSES,
            "min_caller_speech_min": evidence.MIN_SPEECH_MIN,
            "missing": missing,
        },
        "recommended": {
            "end_of_speech_timeout": value,
            "reason": reason,
            "interval_ms": list(interval) if interval else None,
            "enough_evidence": missing is None,
        },
        "errors": [{"path": p, "message": m} for p, m in errors],
    }


def to_text(
    summary: Summary,
    presets: Mapping[str, int | None],
    highlight: Sequence[str],
    max_pause_ms: int,
    color: bool = False,
) -> str:
    lines: list[str] = []
    files = summary.files
    dist = summary.distribution()
    turn_ends = sum(f.turn_ends for f in files)
    cutoffs = sum(f.observed_cutoffs for f in files)
    lines.append(
        f"{len(files)} recording(s), {summary.caller_min:.1f} min of caller speech "
        f"({summary.backend} voice detection)"
    )
    if dist["count"]:
        lines.append(
            f"within-turn pauses: {dist['count']}   p50 {dist['p50']} ms   p90 {dist['p90']} ms   "
            f"p95 {dist['p95']} ms   max {dist['max']} ms"
        )
    else:
        lines.append("within-turn pauses: none found")
    if any(not f.mono for f in files):
        lines.append(
            f"turn ends: {turn_ends}   observed cut-offs (caller resumed as the agent "
            f"started): {cutoffs}"
        )
    if any(f.mono for f in files):
        lines.append(textwrap.fill(MONO_NOTE.format(bound=max_pause_ms), WIDTH))
    noisy = summary.noisy()
    if noisy:
        lines.append(textwrap.fill(noisy_note(noisy, len(files)), WIDTH, break_on_hyphens=False))
    if summary.pauses:
        lines += ["", "pause length (ms)", *_histogram(summary.pauses)]
    lines += ["", _table_header()]
    marks: dict[int, list[str]] = {}
    for name, eos in presets.items():
        if eos is not None:
            marks.setdefault(eos, []).append(name)
    value, reason = summary.recommend()
    for t, c, rate in summary.table(extra=marks):
        names = marks.get(t, [])
        label = ", ".join(names)
        if value == t:
            label = (label + ", " if label else "") + "recommended"
        mark = "▸" if names or value == t else " "
        row = f"{mark} {t:>6} ms  {c:>8}  {rate:>8.2f}  {t:>7} ms  {label}"
        if color and (names or value == t):
            row = f"\x1b[1m{row}\x1b[0m"
        lines.append(row.rstrip())
    lines.append("")
    if value is None:
        lines.append(f"recommended: none — {reason}")
    else:
        missing = summary.missing()
        lines.append(
            f"recommended end_of_speech_timeout: {value} ms"
            + (" (provisional: not enough evidence)" if missing else "")
        )
        interval = summary.interval()
        if interval:
            caution = "; narrower than the truth below the minimum" if missing else ""
            lines.append(
                f"  90 % interval: {interval[0]}-{interval[1]} ms (bootstrap over the "
                f"{len(summary.pauses)} pauses{caution})"
            )
        lines.append(
            textwrap.fill(f"why: {reason}", WIDTH, initial_indent="  ", subsequent_indent="  ")
        )
        if missing:
            lines.append(
                textwrap.fill(
                    f"evidence: a trustworthy value needs at least {evidence.MIN_PAUSES} pauses "
                    f"in {evidence.MIN_SPEECH_MIN:g} minutes of caller speech; missing: "
                    f"{missing}. --write-preset refuses to save it without --force.",
                    WIDTH,
                    initial_indent="  ",
                    subsequent_indent="  ",
                    break_on_hyphens=False,
                )
            )
    lines.append("  every measured pause, with its place in its file: --format json")
    lines += ["", textwrap.fill("note: " + CAVEAT, WIDTH)]
    return "\n".join(lines) + "\n"


def noisy_note(noisy: Sequence[FileResult], total: int) -> str:
    """Which recordings are noisy, and what that does to their pauses."""
    named = ", ".join(f"{Path(f.path).name} {f.above_floor_db:.0f} dB" for f in noisy[:3])
    more = f" and {len(noisy) - 3} more" if len(noisy) > 3 else ""
    return (
        f"noisy: in {len(noisy)} of {total} recording(s) the caller's speech stands less than "
        f"{NOISY_BELOW_DB:g} dB above the background ({named}{more}). In noise, pauses come out "
        "longer and some are not there (on recorded speech at 10 dB SNR: 2-7 false pauses a "
        "minute), so the recommendation leans high; check their pauses by ear (--format json)."
    )


def _table_header() -> str:
    return (
        "  end_of_speech   cut-offs  per min*  adds/turn  preset\n  (* per minute of caller speech)"
    )


def _histogram(pauses: Sequence[int], width: int = 100, top: int = 2000) -> list[str]:
    """Bins of `width` ms up to `top`, then one bin for everything longer."""
    edges = list(range(0, top, width))
    counts = [0] * (len(edges) + 1)
    for p in pauses:
        counts[min(p // width, len(edges))] += 1
    first = next(i for i, c in enumerate(counts) if c)
    last = max(i for i, c in enumerate(counts) if c)
    peak = max(counts)
    out = []
    for i in range(first, last + 1):
        label = f"{edges[i]:>5}-{edges[i] + width - 1:<5}" if i < len(edges) else f"{top:>5}+     "
        bar = "█" * max(1 if counts[i] else 0, round(counts[i] / peak * BAR))
        out.append(f"  {label} {bar} {counts[i] or ''}".rstrip())
    return out
