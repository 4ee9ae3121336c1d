"""The editor's side tabs, and the first frame's stand-ins for them and for the latencies' fields:
text drawn as the real widgets draw it (Textual's `TabbedContent`, our `ComponentsPanel`), so
that the first frame is complete without building them (they are built right after it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from textual.content import Content
from textual.widget import Widget

from tuner.budget import Components
from tuner.tui.sources import Sources
from tuner.tui.state import Session
from tuner.tui.widgets.components_panel import LABELS
from tuner.tui.widgets.export_preview import ExportPreview


def side_tabs(session: Session, evidence: Sources) -> list[tuple[str, str, Callable[[], Widget]]]:
    """The side tabs, in order: (pane id, title, what it holds, built when called: the first
    frame needs only the titles).

    A new side view is one more entry here; ctrl+t, the palette and the help reach it."""

    def evidence_panel() -> Widget:
        from tuner.tui.widgets.evidence_panel import EvidencePanel

        return EvidencePanel(evidence, session.saved.params, id="evidence")

    def diff() -> Widget:
        from tuner.tui.widgets.diff_panel import DiffPanel

        return DiffPanel(session.store, id="diff")

    def presets() -> Widget:
        from tuner.tui.widgets.preset_list import PresetList

        return PresetList(session.store, session.name, id="preset-tab")

    # The Evidence tab first, so it is the tab shown on opening.
    first = [("tab-evidence", "Evidence", evidence_panel)] if evidence else []
    return [
        *first,
        ("tab-python", "set_params", lambda: ExportPreview("python", id="preview-python")),
        ("tab-toml", "TOML", lambda: ExportPreview("toml", id="preview-toml")),
        ("tab-diff", "Diff", diff),
        # On narrow terminals the presets column gives its room to this tab.
        ("tab-presets", "Presets", presets),
    ]


def tabs_stand_in(titles: list[str], width: int) -> Content:
    """The tabs' bar as `TabbedContent` draws it, the first tab active: the titles, then the
    underline, highlighted under the first."""
    labels = [
        Content.styled(f" {t} ", "$foreground" if i == 0 else "$foreground 50%")
        for i, t in enumerate(titles)
    ]
    first = len(titles[0])
    bar = Content.assemble(
        ("╸", "$foreground 10%"),
        ("━" * first, "$block-cursor-background"),
        ("╺" + "━" * (width - first - 2), "$foreground 10%"),
    )
    return Content.assemble(*labels) + Content("\n") + bar


def components_stand_in(components: Components) -> Content:
    """The latencies' line as `ComponentsPanel` draws it (its labels take the stand-in's muted
    colour, app.tcss); the values as in their compact fields."""
    parts: list[str | tuple[str, str]] = ["ms:"]
    for f in fields(components):
        parts.append(f"  {LABELS[f.name]} ")
        value = str(getattr(components, f.name)).ljust(7)
        parts.append((value, "$foreground on $surface"))
    return Content.assemble(*parts)
