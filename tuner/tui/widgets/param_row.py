"""One param's editor: value or platform default, unit, range, help, changes, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select, Switch

from tuner.params import SPECS, Value
from tuner.tui.state import field_text


@dataclass(frozen=True)
class RowState:
    """What a row shows: the value (None = platform default), the text of a rejected value with
    the model's message, the model's warnings, and the value on disk when it differs."""

    value: Value | None = None
    text: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    changed: bool = False
    before: Value | None = None


class ParamRow(Widget):
    """The row of one param: the editor (chosen from the param's kind in the model) is its only
    child; the name, markers, unit, range, help and messages are drawn by the row itself, around
    the editor, so a row costs one widget more than its editor."""

    #: The row's own texts, styled in app.tcss.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "param-row--muted",
        "param-row--help",
        "param-row--changed",
        "param-row--invalid",
    }

    class Edited(Message):
        """The person changed a param's value (or its text, for typed fields)."""

        def __init__(self, key: str, value: Value | None, text: str | None) -> None:
            self.key = key
            self.value = value
            self.text = text
            super().__init__()

    def __init__(self, key: str, state: RowState) -> None:
        # Start with the classes the state asks for: restyling a row costs a frame.
        super().__init__(id=f"row-{key}", classes="param-row " + _classes(state))
        self.key = key
        self.spec = SPECS[key]
        self.state = state
        self._shown: object = None
        #: Texts this row reported as typed whose state has not come back yet. Their echoes must
        #: not be written back: the person may already have typed further (keys come in bursts).
        self._typed: list[str] = []

    def compose(self) -> ComposeResult:
        editor = self._make_editor()
        # The editor announces its first value like an edit; that echo is not one.
        self._shown = editor.value  # type: ignore[attr-defined]
        yield editor

    def _make_editor(self) -> Widget:
        spec, state, editor_id = self.spec, self.state, f"edit-{self.key}"
        value = state.value
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
        return compact(
            Input(
                field_text(value) if state.text is None else state.text,
                classes="-text" if spec.kind in ("text", "barge") else "",
                placeholder=placeholder,
                id=editor_id,
                tooltip=self._tip(),
                select_on_focus=False,
            )
        )

    def _tip(self) -> str:
        return f"{self.key}: {self.spec.help}. Empty = platform default. ctrl+r reverts."

    @property
    def editor(self) -> Widget:
        return self.children[0]

    # -- drawing ---------------------------------------------------------------------------
    def render(self) -> Content:
        width = max(self.size.width, 1)
        state, spec = self.state, self.spec
        muted = self.get_visual_style("param-row--muted", partial=True)
        head: list[Any] = [(self.key, "bold")]
        if state.value is None and state.error is None:
            head.append(("  default", muted))
        if state.changed:
            head.append((f"  ● was {self._display(state.before)}", "$warning"))
        head_line = Content.assemble(*head).truncate(width, pad=True)
        if state.error or state.changed:
            marked = "param-row--invalid" if state.error else "param-row--changed"
            head_line = head_line.stylize_before(self.get_visual_style(marked, partial=True))
        # The editor sits at the start of the second line; the unit and range follow it.
        editor_width = self.editor.outer_size.width if self.children else 0
        info_line = Content(" " * (editor_width + 1)) + Content.styled(self._info(), muted)
        lines = [
            head_line,
            info_line.truncate(width),
            Content.styled(spec.help, self.get_visual_style("param-row--help", partial=True)),
        ]
        if state.error:
            lines.append(Content.styled(f"✗ {state.error}", "$error"))
        lines.extend(Content.styled(f"⚠ {w}", "$warning") for w in state.warnings)
        return Content("\n").join(lines)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        # The row's own text decides its height (the editor overlays its second line).
        # As Textual's own `Widget.get_content_height` does; its styles serve as the rules map.
        return self._render().get_height(self.styles, width)  # type: ignore[arg-type]

    def _info(self) -> str:
        spec, value = self.spec, self.state.value
        if spec.kind == "boolean":
            return "on" if (spec.default if value is None else value) is True else "off"
        parts = [spec.unit] if spec.unit else []
        if spec.kind != "choice" and spec.range_text:
            parts.append(spec.range_text)
        return "  ".join(parts)

    def _display(self, value: Value | None) -> str:
        if value is None:
            return (
                "default"
                if self.spec.default is None
                else f"default ({field_text(self.spec.default)})"
            )
        return field_text(value)

    # -- showing state ---------------------------------------------------------------------
    def show(self, state: RowState) -> None:
        """Show a new state (a no-op when nothing changed)."""
        if state == self.state:
            return
        self.state = state
        editor, value, text = self.editor, state.value, state.text
        # Setting an editor's value posts a Changed message like a keystroke would; remember what
        # was shown so that echo is not taken for an edit.
        if isinstance(editor, Input):
            wanted = field_text(value) if text is None else text
            if wanted in self._typed:
                # The echo of this row's own typing: the field may already be ahead of it.
                del self._typed[: self._typed.index(wanted) + 1]
            else:
                self._typed.clear()
                if editor.value != wanted:
                    editor.value = wanted
                    editor.cursor_position = len(wanted)
                    self._shown = wanted
        else:
            if isinstance(editor, Switch):
                on = self.spec.default if value is None else value
                editor.value = on is True
            elif isinstance(editor, Select):
                editor.value = value if value in self.spec.choices else Select.NULL
            self._shown = editor.value  # type: ignore[attr-defined]
        self.update_classes(
            {"-invalid": bool(state.error), "-changed": state.changed, "-default": value is None}
        )
        self.refresh(layout=True)

    # -- reporting edits -------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._shown:
            self._shown = None  # ignore the echo of a programmatic set once, not forever
            return
        self._typed.append(event.value)
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


def compact(field: Input) -> Input:
    """`field`, compact: like `Input(compact=True)`, which restyles the field as it is built."""
    field.set_reactive(Input.compact, True)
    field.add_class("-textual-compact", update=False)
    return field


def _classes(state: RowState) -> str:
    classes = ["-invalid"] if state.error else []
    if state.changed:
        classes.append("-changed")
    if state.value is None:
        classes.append("-default")
    return " ".join(classes)
