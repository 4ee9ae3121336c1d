"""Save as: asks a preset name and checks it with the same rule the loader uses."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Static

from tuner.errors import TunerError
from tuner.presets import check_name
from tuner.tui.widgets.field import Field


class PresetName(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            check_name(value)
        except TunerError as exc:
            return self.failure(exc.problems[0].message)
        return self.success()


class SaveAsScreen(ModalScreen[str | None]):
    """Dismisses with a valid name, or None when cancelled."""

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-save-as", tooltip="Close, save nothing")
    ]

    def __init__(self, suggestion: str, folder: str) -> None:
        super().__init__(classes="dialog-screen")
        self.suggestion = suggestion
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save as a new preset", classes="dialog-title")
            yield Static(f"in {self.folder}", classes="dialog-message", markup=False)
            yield Field(
                self.suggestion,
                placeholder="name: lowercase letters, digits, - and _",
                validators=[PresetName()],
                id="save-as-name",
            )
            yield Static("", id="save-as-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.validation_result)

    def _show(self, result: ValidationResult | None) -> None:
        error = self.query_one("#save-as-error", Static)
        if result is None or result.is_valid:
            error.update("")
        else:
            error.update(result.failure_descriptions[0])

    def _submit(self) -> None:
        field = self.query_one("#save-as-name", Input)
        result = field.validate(field.value)
        self._show(result)
        if result is None or result.is_valid:
            self.dismiss(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
