"""The Evidence tab's "Experiment" section: the presets stamped in the call logs side by side.

The figures and verdicts are those of `speech-tuner calls --by preset` (`tuner.experiment`),
computed once in the background when the evidence is read (`tuner.evidence.experiment`); this
only lays them out, narrower labels when the side panel is narrow.
"""

from __future__ import annotations

import textwrap
from typing import Any

from textual.content import Content
from textual.widget import Widget

from tuner.evidence.experiment import SideBySide
from tuner.experiment.figures import FIGURES

#: Labels for a narrow panel (80 columns), by figure key; the full label when it fits.
SHORT = {
    "cut_offs_per_100_turns": "cut-offs/100t",
    "endpointing_p50_ms": "endpt p50 ms",
    "first_response_p50_ms": "1st resp p50",
    "first_response_p90_ms": "1st resp p90",
    "barges_per_100_turns": "barges/100t",
    "attention_timeouts_per_100_calls": "attn/100 calls",
    "ended_early_per_100_calls": "hang-ups/100c",
}
#: What the short labels' "/100t" and "/100c" mean.
SHORT_KEY = "/100t: per 100 caller (cut-offs) or agent turns; /100c: per 100 calls"


def cell(value: float | None, unit: str) -> str:
    """A figure as `calls --by preset` prints it."""
    if value is None:
        return "—"
    return f"{value:.0f}" if unit else f"{value:.1f}"


def rows(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(figure key, one cell per preset) from `Experiment.to_json()`, the baseline first."""
    presets = doc["presets"]
    out = [("calls", [str(p["calls"]) for p in presets.values()])]
    for fig in FIGURES:
        values = [p.get(fig.key) for p in presets.values()]
        if any(v is not None for v in values):
            out.append((fig.key, [cell(v, fig.unit) for v in values]))
    return out


def _fill(text: str, width: int) -> str:
    return textwrap.fill(text, width, break_on_hyphens=False)


def render(sbs: SideBySide, width: int) -> Content:
    """The section as text within `width` cells."""
    width = max(width, 30)
    parts: list[Any] = [("Experiment", "bold $accent")]
    if sbs.result is None:
        parts.append(f" {', '.join(sbs.presets)}\n")
        for note in sbs.notes:
            parts.append((_fill(note, width) + "\n", "$warning"))
        return Content.assemble(*parts)
    result = sbs.result
    doc = result.to_json()
    names = list(doc["presets"])
    stamped = sum(result.calls.values())
    parts.append((f" {stamped} stamped calls\n", "$text-muted"))
    if result.left_out:
        parts.append((f"  {result.left_out} left out: no stamp\n", "$text-muted"))
    cols = [max(len(n) + 1, 7) for n in names]
    room = width - sum(cols)
    full = all(len(f.label) < room for f in FIGURES)
    labels = {f.key: f.label if full else SHORT[f.key] for f in FIGURES}
    labels["calls"] = "calls"
    room = max(len(v) for v in labels.values()) + 1  # the columns right beside the labels
    head = "".join(f"{n:>{w}}" for n, w in zip(names, cols, strict=True))
    parts.append((f"{'':<{room}}{head}\n", "bold"))
    for key, cells in rows(doc):
        parts.append(f"{labels[key]:<{room}}")
        parts.append("".join(f"{c:>{w}}" for c, w in zip(cells, cols, strict=True)) + "\n")
    if not full:
        parts.append((_fill(SHORT_KEY, width) + "\n", "$text-muted"))
    for note in sbs.notes:
        parts.append((_fill(note, width) + "\n", "$warning"))
    for comparison in result.comparisons:
        style = "$success" if comparison.clear else "$text-muted"
        parts.append((_fill(comparison.sentence(), width) + "\n", style))
    return Content.assemble(*parts)


class ExperimentSection(Widget):
    """The section, laid out again for the panel's width; hidden when there is no experiment."""

    DEFAULT_CSS = "ExperimentSection { height: auto; margin-top: 1; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.side_by_side: SideBySide | None = None
        self.display = False

    def show(self, sbs: SideBySide | None) -> None:
        self.side_by_side = sbs
        self.display = sbs is not None
        self.refresh(layout=True)

    def render(self) -> Content:
        if self.side_by_side is None:
            return Content("")
        return render(self.side_by_side, self.content_region.width or 34)
