"""One param's editor: value or platform default, unit, range, help, changes, errors."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select, Static, Switch

from tuner.params import SPECS, Value
from tuner.tui.state import field_text


class ParamRow(Vertical):
    """The row of one param; its editor is chosen from the param's kind in the model."""

    class Edited(Message):
        """The person changed a param's value (or its text, for typed fields)."""

        def __init__(self, key: str, value: Value | None, text: str | None) -> None:
            self.key = key
            self.value = value
            self.text = text
            super().__init__()

    def __init__(self, key: str, value: Value | None) -> None:
        # Start with the classes the first `show` would set: restyling every row costs a frame.
        classes = "param-row -default" if value is None else "param-row"
        super().__init__(id=f"row-{key}", classes=classes)
        self.key = key
        self.spec = SPECS[key]
        self._current = value
        self._shown: object = None

    def compose(self) -> ComposeResult:
        yield Static(self.key, classes="param-head", markup=False)
        with Horizontal(classes="param-line"):
            yield self._editor()
            yield Static(self._info(), classes="param-info")
        yield Static(self.spec.help, classes="param-help", markup=False)
        yield Static("", classes="param-msg")

    def _editor(self) -> Widget:
        editor = self._make_editor()
        # The editor announces its first value like an edit; that echo is not one.
        self._shown = editor.value  # type: ignore[attr-defined]
        return editor

    def _make_editor(self) -> Widget:
        spec, value, editor_id = self.spec, self._current, f"edit-{self.key}"
        if spec.kind == "boolean":
            on = spec.default if value is None else value
            return Switch(value=on is True, id=editor_id, tooltip=self._tip())
        if spec.kind == "choice":
            default = spec.display(spec.default) if spec.default is not None else "none"
            return Select(
                [(c, c) for c in spec.choices],
                value=value if isinstance(value, str) and value in spec.choices else Select.NULL,
                prompt=f"default ({default})",
                allow_blank=True,
                compact=True,
                id=editor_id,
                tooltip=self._tip(),
            )
        placeholder = (
            f"default {field_text(spec.default)}" if spec.default is not None else "not set"
        )
        return Input(
            field_text(value),
            classes="-text" if spec.kind in ("text", "barge") else "",
            placeholder=placeholder,
            compact=True,
            id=editor_id,
            tooltip=self._tip(),
            select_on_focus=False,
        )

    def _tip(self) -> str:
        return f"{self.key}: {self.spec.help}. Empty = platform default. ctrl+r reverts."

    def _info(self) -> str:
        spec = self.spec
        parts = [spec.unit] if spec.unit else []
        if spec.kind not in ("boolean", "choice") and spec.range_text:
            parts.append(spec.range_text)
        return "  ".join(parts)

    @property
    def editor(self) -> Widget:
        return self.query_one(f"#edit-{self.key}")

    # -- showing state ---------------------------------------------------------------------
    def show(
        self,
        value: Value | None,
        text: str | None,
        error: str | None,
        warnings: list[str],
        was: tuple[bool, Value | None],
    ) -> None:
        """Show the current state; `was` is (changed, the value on disk)."""
        self._current = value
        editor = self.editor
        # Setting an editor's value posts a Changed message like a keystroke would; remember what
        # was shown so that echo is not taken for an edit.
        if isinstance(editor, Input):
            wanted = field_text(value) if text is None else text
            if editor.value != wanted:
                editor.value = wanted
                editor.cursor_position = len(wanted)
        elif isinstance(editor, Switch):
            on = self.spec.default if value is None else value
            editor.value = on is True
        elif isinstance(editor, Select):
            editor.value = value if value in self.spec.choices else Select.NULL
        self._shown = editor.value  # type: ignore[attr-defined]
        changed, before = was
        head: list[Any] = [(self.key, "bold")]
        if value is None and error is None:
            head.append(("  default", "$text-muted"))
        if changed:
            head.append((f"  ● was {self._display(before)}", "$warning"))
        self.query_one(".param-head", Static).update(Content.assemble(*head))
        msg = self.query_one(".param-msg", Static)
        lines: list[Any] = []
        if error:
            lines.append((f"✗ {error}", "$error"))
        for warning in warnings:
            if lines:
                lines.append("\n")
            lines.append((f"⚠ {warning}", "$warning"))
        msg.update(Content.assemble(*lines))
        msg.display = bool(lines)
        if self.spec.kind == "boolean":
            on = (self.spec.default if value is None else value) is True
            self.query_one(".param-info", Static).update("on" if on else "off")
        self.set_class(bool(error), "-invalid")
        self.set_class(changed, "-changed")
        self.set_class(value is None, "-default")

    def _display(self, value: Value | None) -> str:
        if value is None:
            return (
                "default"
                if self.spec.default is None
                else f"default ({field_text(self.spec.default)})"
            )
        return field_text(value)

    # -- reporting edits -------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._shown:
            return
        self.post_message(self.Edited(self.key, None, event.value))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        if event.value == self._shown:
            return
        self.post_message(self.Edited(self.key, event.value, None))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value == self._shown:
            return
        value = None if event.value is Select.NULL else str(event.value)
        self.post_message(self.Edited(self.key, value, None))
