"""True pauses from time-aligned transcriptions: Praat TextGrids and SPPAS XRA files.

A pause is a silence between two stretches of speech of one speaker: an interval labelled as
silence ("", "#", "+", "sil", "sp", "pau", "<p:>", "h#", "dummy"), or several in a row, that has
speech on both sides. Silence before the first and after the last word is not a pause. The
truth keeps every silence (`silences`) and, as `pauses`, those of `min_ms` and more: shorter gaps
between words are closed by the analysis (tuner.audio.vad.MIN_GAP_MS) and cannot cut a turn.

    python benchmarks/realspeech/alignments.py FILE.TextGrid [--tier Word]
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SILENCE_LABELS = {"", "#", "+", "sil", "sp", "pau", "<p:>", "h#", "dummy", "<sil>", "spn"}

Interval = tuple[float, float, str]  # (start_s, end_s, label)


def read_textgrid(text: str, tiers: tuple[str, ...]) -> list[Interval]:
    """The intervals of the first tier named in `tiers` from a long-format Praat TextGrid."""
    items = re.split(r"item \[\d+\]:", text)[1:]
    for wanted in tiers:
        for item in items:
            name = re.search(r'name = "(.*?)"', item)
            if not name or name.group(1) != wanted:
                continue
            found = re.findall(
                r'xmin = ([-\d.eE]+)\s*\n\s*xmax = ([-\d.eE]+)\s*\n\s*text = "((?:[^"]|"")*)"',
                item,
            )
            return [(float(a), float(b), label.replace('""', '"')) for a, b, label in found]
    raise ValueError(f"no tier named {' or '.join(tiers)}")


def read_xra(text: str, tier: str = "PhonAlign") -> list[Interval]:
    """The intervals of `tier` from an SPPAS XRA file (its aligned phones, '#' for silence)."""
    root = ET.fromstring(text)
    for node in root.iter("Tier"):
        if node.get("tiername") != tier:
            continue
        out: list[Interval] = []
        for ann in node.iter("Annotation"):
            begin, end = ann.find(".//Begin"), ann.find(".//End")
            if begin is None or end is None:
                continue
            tags = [t.text or "" for t in ann.iter("Tag")]
            out.append((float(begin.get("midpoint", 0)), float(end.get("midpoint", 0)),
                        tags[0] if tags else ""))  # fmt: skip
        return out
    raise ValueError(f"no tier named {tier}")


def is_silence(label: str) -> bool:
    return label.strip().lower() in SILENCE_LABELS


def speech_and_silences(
    intervals: list[Interval],
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(speech spans, inner silences) in seconds; adjacent intervals of one kind are merged."""
    runs: list[list[object]] = []
    for start, end, label in sorted(intervals):
        if end <= start:
            continue
        silent = is_silence(label)
        if runs and runs[-1][2] == silent and abs(float(runs[-1][1]) - start) < 1e-3:  # type: ignore[arg-type]
            runs[-1][1] = end
        else:
            runs.append([start, end, silent])
    speech = [(float(a), float(b)) for a, b, s in runs if not s]  # type: ignore[arg-type]
    inner = [
        (float(a), float(b))  # type: ignore[arg-type]
        for i, (a, b, s) in enumerate(runs)
        if s and 0 < i < len(runs) - 1
    ]
    return speech, inner


def truth(intervals: list[Interval], min_ms: float = 250.0) -> dict[str, object]:
    """The truth of one recording: pauses >= `min_ms`, every inner silence, and speech time."""
    speech, silences = speech_and_silences(intervals)
    spans = [(round(a * 1000), round(b * 1000)) for a, b in silences]
    pauses = [(a, b) for a, b in spans if b - a >= min_ms]
    return {
        "pauses_ms": [b - a for a, b in pauses],
        "pause_spans_ms": pauses,
        "silence_spans_ms": spans,
        "caller_speech_s": round(sum(b - a for a, b in speech), 3),
        "speech_spans_ms": [(round(a * 1000), round(b * 1000)) for a, b in speech],
    }


def main() -> int:
    path = Path(sys.argv[1])
    tier = sys.argv[sys.argv.index("--tier") + 1] if "--tier" in sys.argv else None
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".xra":
        intervals = read_xra(text, tier or "PhonAlign")
    else:
        intervals = read_textgrid(text, (tier,) if tier else ("Word", "words", "transcription"))
    t = truth(intervals)
    for (a, b), d in zip(t["pause_spans_ms"], t["pauses_ms"], strict=True):  # type: ignore[call-overload]
        print(f"{a:>8} {b:>8} {d:>6} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
