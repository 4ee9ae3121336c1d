"""Export dialog: which format and where to write it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from tuner.export import FORMATS
from tuner.tui.widgets.field import Field

EXTENSIONS = {"toml": "toml", "python": "py", "json": "json"}
LABELS = {
    "toml": "TOML preset file (self-contained)",
    "python": "Python: agent.set_params({...})",
    "json": "JSON: the SWML ai.params object",
}


class ExportScreen(ModalScreen[tuple[str, str] | None]):
    """Dismisses with (format, path), or None when cancelled."""

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-export", tooltip="Close, write nothing")
    ]

    def __init__(self, name: str) -> None:
        super().__init__(classes="dialog-screen")
        self.preset_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export to a file", classes="dialog-title")
            yield Select(
                [(LABELS[f], f) for f in FORMATS],
                value="toml",
                allow_blank=False,
                id="export-format",
            )
            yield Field(f"{self.preset_name}.toml", placeholder="path", id="export-path")
            yield Static("", id="export-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        path = self.query_one("#export-path", Input)
        stem, dot, ext = path.value.rpartition(".")
        if dot and ext in EXTENSIONS.values():
            path.value = f"{stem}.{EXTENSIONS[str(event.value)]}"

    def _submit(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.query_one("#export-error", Static).update("give a file path")
            return
        self.dismiss((str(self.query_one("#export-format", Select).value), path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
