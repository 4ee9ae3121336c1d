"""The experiment in the editor's call logs: its presets side by side, by `calls --by preset`'s
own engine (`tuner.experiment.compare`), computed once when the evidence is read.

Only logs whose preset stamps name more than one preset make an experiment; numpy is imported
when the comparison runs, and its absence is a line to show, not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuner.experiment.compare import Experiment
    from tuner.experiment.figures import CallFigures

NEEDS_NUMPY = "comparing presets needs numpy: pip install 'speech-tuner[stats]'"


@dataclass
class SideBySide:
    """The comparison (None without numpy) and lines to show instead of or beside it."""

    presets: list[str]
    result: Experiment | None = None
    notes: list[str] = field(default_factory=list)


def side_by_side(stamped: Sequence[CallFigures]) -> SideBySide | None:
    """The presets of `stamped` compared as `calls --by preset` compares them; None when the
    stamps name fewer than two presets (no experiment to show)."""
    presets = sorted({c.preset for c in stamped if c.preset})
    if len(presets) < 2:
        return None
    try:
        import numpy  # noqa: F401
    except ImportError:
        return SideBySide(presets, notes=[NEEDS_NUMPY])
    from tuner.experiment.compare import compare

    result = compare(stamped)
    return SideBySide(presets, result, list(result.notes))
