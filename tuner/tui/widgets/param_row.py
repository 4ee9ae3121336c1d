"""One param's editor: value or platform default, unit, range, help, changes, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import AwaitMount, Widget

from tuner.params import SPECS, Value
from tuner.tui.state import field_text

if TYPE_CHECKING:
    # Imported where an editor is built: a row of the first frame draws its field itself.
    from textual.widgets import Input, Select, Switch


@dataclass(frozen=True)
class RowState:
    """What a row shows around its editor: the value (None = platform default), the model's
    message for a rejected text, the model's warnings, and the value on disk when it differs.

    The editor's own text is not part of it: the editor owns its text between loads."""

    value: Value | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    changed: bool = False
    before: Value | None = None


class ParamRow(Widget):
    """The row of one param: the editor (chosen from the param's kind in the model) is its only
    child; the name, markers, unit, range, help and messages are drawn by the row itself, around
    the editor, so a row costs one widget more than its editor.

    As Posting's editors do, a row has a `load` / `to_model` pair: `load` writes a value into
    the editor and is called only on open, revert, default and a restored draft; every other
    time the editor owns its text, and each change is reported up with `to_model()`. Nothing
    the screen redraws is ever written back into the field, so no key typed can be undone."""

    #: The row's own texts, styled in app.tcss.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "param-row--muted",
        "param-row--placeholder",
        "param-row--help",
        "param-row--changed",
        "param-row--invalid",
    }

    class Edited(Message):
        """The person changed a param: its value, or for typed fields the text as typed."""

        def __init__(self, key: str, value: Value | None, text: str | None) -> None:
            self.key = key
            self.value = value
            self.text = text
            super().__init__()

    def __init__(
        self, key: str, state: RowState, text: str | None = None, *, bare: bool = False
    ) -> None:
        # Start with the classes the state asks for: restyling a row costs a frame.
        super().__init__(id=f"row-{key}", classes="param-row " + _classes(state))
        self.key = key
        self.spec = SPECS[key]
        self.state = state
        #: What the editor is built with: the value's text, or the rejected text as typed.
        self._initial = field_text(state.value) if text is None else text
        #: Built without its editor (a row of the first frame): the row draws the field's
        #: text in its place until `add_editor`.
        self.bare = bare

    def compose(self) -> ComposeResult:
        if not self.bare:
            yield self._make_editor()

    def add_editor(self) -> AwaitMount | None:
        """Give a bare row its editor (right after the first frame), showing the same text."""
        if not self.bare:
            return None
        self.bare = False
        return self.mount(self._make_editor())

    def _make_editor(self) -> Widget:
        from textual.widgets import Select, Switch

        spec, value, editor_id = self.spec, self.state.value, f"edit-{self.key}"
        if spec.kind == "boolean":
            return Switch(value=self._switch_on(value), id=editor_id, tooltip=self._tip())
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
        from tuner.tui.widgets.field import Field

        text_kind = spec.kind in ("text", "barge")
        field = compact(
            Field(
                self._initial,
                classes="-text" if text_kind else "",
                placeholder=self.placeholder(),
                id=editor_id,
                tooltip=self._tip(),
                select_on_focus=False,
            )
        )
        if not text_kind:
            # Wide enough for the placeholder and the longest allowed value: never cut.
            field.styles.width = self.field_width()
        return field

    def placeholder(self) -> str:
        default = self.spec.default
        if default is None:
            return "not set"
        if isinstance(default, str) and len(default) > 12:
            return "empty: the platform's text"
        return f"default {field_text(default)}"

    def field_width(self) -> int:
        """Cells a number field needs: its placeholder or its longest value, and the cursor."""
        spec = self.spec
        longest = max(
            (len(field_text(v)) for v in (spec.minimum, spec.maximum) if v is not None),
            default=0,
        )
        return max(len(self.placeholder()), longest, 6) + 1

    def _switch_on(self, value: Value | None) -> bool:
        return (self.spec.default if value is None else value) is True

    def _tip(self) -> str:
        return f"{self.key}: {self.spec.help}. Empty = platform default. ctrl+r reverts."

    @property
    def editor(self) -> Widget:
        return self.children[0]

    # -- load / to_model -------------------------------------------------------------------
    def load(self, value: Value | None, text: str | None = None) -> None:
        """Write a value (or a rejected text) into the editor, without reporting it as an edit."""
        if not self.children:
            self._initial = field_text(value) if text is None else text
            self.refresh()
            return
        from textual.widgets import Input, Select, Switch

        editor = self.editor
        with editor.prevent(Input.Changed, Switch.Changed, Select.Changed):
            if isinstance(editor, Input):
                wanted = field_text(value) if text is None else text
                if editor.value != wanted:
                    editor.value = wanted
                    editor.cursor_position = len(wanted)
            elif isinstance(editor, Switch):
                editor.value = self._switch_on(value)
            elif isinstance(editor, Select):
                editor.value = value if value in self.spec.choices else Select.NULL

    def to_model(self) -> tuple[Value | None, str | None]:
        """What the editor holds, for the model to judge: (value, None) for a switch or a
        choice, (None, text) for a typed field. A switch back at the value on disk gives the
        value on disk, so that switching there and back is no change."""
        from textual.widgets import Input, Select, Switch

        editor = self.editor
        if isinstance(editor, Input):
            return None, editor.value
        if isinstance(editor, Switch):
            before = self.state.before
            if editor.value == self._switch_on(before):
                return before, None
            return editor.value, None
        assert isinstance(editor, Select)
        return (None if editor.value is Select.NULL else str(editor.value)), None

    # -- drawing ---------------------------------------------------------------------------
    def render(self) -> Content:
        width = max(self.size.width, 1)
        state, spec = self.state, self.spec
        muted = self.get_visual_style("param-row--muted", partial=True)
        head: list[Any] = [(self.key, "bold")]
        if state.value is None and state.error is None:
            head.append(("  default", muted))
        was = f"● was {self._display(state.before)}"
        # A "was" that does not fit after the name gets a line of its own: never cut.
        was_apart = state.changed and len(self.key) + 2 + len(was) > width
        if state.changed and not was_apart:
            head.append((f"  {was}", "$warning"))
        head_line = Content.assemble(*head)
        if len(head_line) < width:
            head_line = head_line.pad_right(width - len(head_line))
        if state.error or state.changed:
            marked = "param-row--invalid" if state.error else "param-row--changed"
            head_line = head_line.stylize_before(self.get_visual_style(marked, partial=True))
        # The editor sits at the start of the second line; the unit and range follow it.
        if self.children:
            info_line = Content(" " * (self.editor.outer_size.width + 1))
        else:
            info_line = self._stand_in(width) + Content(" ")
        info_line += Content.styled(self._info(), muted)
        lines = [
            head_line,
            info_line,
            Content.styled(spec.help, self.get_visual_style("param-row--help", partial=True)),
        ]
        if was_apart:
            lines.append(Content.styled(was, "$warning"))
        if state.error:
            lines.append(Content.styled(f"✗ {state.error}", "$error"))
        lines.extend(Content.styled(f"⚠ {w}", "$warning") for w in state.warnings)
        return Content("\n").join(lines)

    def _editor_cells(self, width: int) -> int:
        kind = self.spec.kind
        if kind == "boolean":
            return 8
        if kind == "choice":
            return 20 if self.screen.has_class("-narrow") else 26
        return width if kind in ("text", "barge") else self.field_width()

    def _stand_in(self, width: int) -> Content:
        """The editor as it will look, drawn by the row until the editor is built (app.tcss and
        Textual's own styles for a compact Input, a Switch and a compact Select)."""
        spec, cells = self.spec, self._editor_cells(width)
        focused = self.has_class("-focus-soon")
        if spec.kind == "boolean":
            # Textual's Switch: the knob is one half of the track, on the right when on.
            knob, track = ("on $success", "on $panel-darken-2")
            halves = [("   ", track), ("   ", knob)]
            if not self._switch_on(self.state.value):
                halves = [("   ", "on $panel"), ("   ", track)]
            back = "on $accent 35%" if focused else "on $surface"
            pad = Content.styled(" ", back)
            return pad + Content.assemble(*halves) + pad
        if spec.kind == "choice":
            value = self.state.value
            default = spec.display(spec.default) if spec.default is not None else "none"
            text = str(value) if value is not None else f"default ({default})"
            label = Content.styled(f" {text}"[: cells - 3].ljust(cells - 3), "$text-muted")
            return (label + Content(" ▼ ")).stylize("on $accent 35%" if focused else "on $surface")
        text = self._initial
        placeholder = self.get_visual_style("param-row--placeholder", partial=True)
        shown = Content(text[:cells]) if text else Content.styled(self.placeholder(), placeholder)
        back = "$error 20%" if self.state.error else "$surface"
        if focused:
            back = "$error 40%" if self.state.error else "$accent 35%"
        shown = shown.pad_right(max(cells - len(shown), 0))[:cells].stylize(f"on {back}")
        if focused and len(text) < cells:  # the cursor, after the text
            shown = shown.stylize("on $foreground", len(text), len(text) + 1)
        return shown

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
        default = self.spec.default
        if value is None:
            if default is None:
                return "default"
            if isinstance(default, str) and len(default) > 12:
                return "the platform's text"
            return f"default ({field_text(default)})"
        return field_text(value)

    # -- showing state ---------------------------------------------------------------------
    def show(self, state: RowState) -> None:
        """Show a new state around the editor (a no-op when nothing changed); the editor's
        text is left alone."""
        if state == self.state:
            return
        self.state = state
        self.update_classes(
            {
                "-invalid": bool(state.error),
                "-changed": state.changed,
                "-default": state.value is None,
            }
        )
        # A layout pass only when the row's height changes (a message came or went).
        width = self.content_size.width
        height = self.get_content_height(None, None, width) if width else -1
        self.refresh(layout=height != self.content_size.height)

    # -- reporting edits -------------------------------------------------------------------
    def _report(self) -> None:
        value, text = self.to_model()
        self.post_message(self.Edited(self.key, value, text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._report()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self._report()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._report()


def compact(field: Input) -> Input:
    """`field`, compact: like `Input(compact=True)`, which restyles the field as it is built."""
    from textual.widgets import Input

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
