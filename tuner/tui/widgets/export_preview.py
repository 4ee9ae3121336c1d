"""Live preview of what leaves the tool: the `set_params` call and the TOML preset file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Static


class ExportPreview(ScrollableContainer):
    """One rendering (Python or TOML), redrawn on every change."""

    def __init__(self, kind: str, id: str | None = None) -> None:
        super().__init__(id=id, classes="export-preview")
        self.kind = kind
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static("", markup=False, classes="export-text")

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.query_one(".export-text", Static).update(text)
