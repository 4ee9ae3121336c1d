"""Scoring measured pauses against the true pauses of the real-speech set (see assemble.py).

A true pause (a silence of 250 ms or more between words, from the alignment) is found when a
measured pause overlaps it; its error is the measured minus the true length. A measured pause
that overlaps no true pause is a false pause, unless it overlaps a span the truth marks as either
pause or not (`either_spans_ms`, the committed set's hand-labelled uncertain gaps). Missed pauses of 400 ms or more are counted apart:
the goal is none in clean audio. The recommendation is `Summary.recommend` on the measured pauses
against the same rule on the true pauses (mono: silences up to 2000 ms are pauses).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tuner.audio.analysis import FileResult, Summary
from tuner.audio.defaults import DEFAULT_MAX_PAUSE_MS

Span = tuple[float, float]


@dataclass
class Score:
    files: int = 0
    speech_min: float = 0.0
    errors: list[float] = field(default_factory=list)
    missed: int = 0
    missed_400: int = 0
    false: int = 0
    true_pauses: list[int] = field(default_factory=list)
    measured: list[int] = field(default_factory=list)

    def add(self, truth: dict[str, object], measured: Sequence[Span]) -> None:
        self.files += 1
        self.speech_min += float(truth["caller_speech_s"]) / 60  # type: ignore[arg-type]
        spans: list[list[int]] = truth["pause_spans_ms"]  # type: ignore[assignment]
        used = [False] * len(measured)
        for ts, te in spans:
            hits = [i for i, (ms, me) in enumerate(measured) if min(te, me) - max(ts, ms) > 0]
            if not hits:
                self.missed += 1
                self.missed_400 += (te - ts) >= 400
                continue
            best = max(hits, key=lambda i: min(te, measured[i][1]) - max(ts, measured[i][0]))
            used[best] = True
            for i in hits:
                used[i] = True
            self.errors.append((measured[best][1] - measured[best][0]) - (te - ts))
        either: list[list[int]] = truth.get("either_spans_ms", [])  # type: ignore[assignment]
        for i, (ms, me) in enumerate(measured):
            if any(min(te, me) - max(ts, ms) > 0 for ts, te in either):
                used[i] = True
        self.false += used.count(False)
        self.true_pauses += [te - ts for ts, te in spans if te - ts <= DEFAULT_MAX_PAUSE_MS]
        self.measured += [round(e - s) for s, e in measured if e - s <= DEFAULT_MAX_PAUSE_MS]

    def figures(self, backend: str) -> dict[str, float]:
        err = np.abs(np.array(self.errors)) if self.errors else np.full(1, np.nan)
        return {
            "files": self.files,
            "speech_min": self.speech_min,
            "pauses": len(self.errors) + self.missed,
            "mae_ms": float(err.mean()),
            "p90_ms": float(np.percentile(err, 90)),
            "bias_ms": float(np.mean(self.errors)) if self.errors else 0.0,
            "missed": self.missed,
            "missed_400": self.missed_400,
            "false": self.false,
            "false_per_min": self.false / self.speech_min if self.speech_min else 0.0,
            "rec_ms": _recommend(self.measured, self.speech_min, backend),
            "truth_rec_ms": _recommend(self.true_pauses, self.speech_min, backend),
        }


def _recommend(pauses: list[int], speech_min: float, backend: str) -> float:
    fr = FileResult("x", 0.0, 1, 0, pauses, speech_min * 60)
    value, _ = Summary([fr], backend).recommend()  # type: ignore[arg-type]
    return float(value) if value is not None else float("nan")


def load_set(folder: Path) -> list[tuple[Path, dict[str, object]]]:
    return [
        (w, json.loads(w.with_suffix(".json").read_text())) for w in sorted(folder.glob("*.wav"))
    ]


def score_set(
    files: list[tuple[Path, dict[str, object]]],
    measure: Callable[[Path], list[Span]],
    backend: str,
) -> dict[tuple[str, str], dict[str, float]]:
    """Figures by (condition, split) for one way of measuring pauses."""
    scores: dict[tuple[str, str], Score] = {}
    for wav, truth in files:
        key = (str(truth["condition"]), str(truth["split"]))
        scores.setdefault(key, Score()).add(truth, measure(wav))
    return {k: s.figures(backend) for k, s in sorted(scores.items())}
