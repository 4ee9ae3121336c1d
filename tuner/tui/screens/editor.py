"""The main editor: presets, params, previews, diff and the turn timeline of one open preset."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tuner.budget import Components
from tuner.export import to_python, to_toml
from tuner.tui import drafts
from tuner.tui.keys import KEYS
from tuner.tui.screens.editor_files import FileActions
from tuner.tui.screens.editor_tabs import components_stand_in, side_tabs, tabs_stand_in
from tuner.tui.sources import Sources

# What the first frame does not show is imported after it (the side tabs, the latencies'
# fields, the Evidence tab); the dialogs where they open.
from tuner.tui.state import Session, field_text
from tuner.tui.widgets.export_preview import ExportPreview
from tuner.tui.widgets.param_editor import ParamEditor
from tuner.tui.widgets.param_row import ParamRow
from tuner.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from textual.widgets import TabbedContent

    from tuner.tui.widgets.components_panel import ComponentsPanel
    from tuner.tui.widgets.evidence_panel import EvidencePanel

#: Below this width the presets column is hidden and shown as a tab instead.
NARROW = 110
#: Params the turn timeline depends on.
TIMELINE_KEYS = ("end_of_speech_timeout", "turn_detection_timeout", "enable_turn_detection")


class EditorScreen(FileActions, Screen[None]):
    """Shows a `Session`; every edit goes to the session, then the views are redrawn from it.
    The fields' own texts are written only by `load` (open, revert, default, restored draft).

    The first frame is drawn from few, cheap widgets: the rows draw their fields, the side tabs
    and the latencies' fields are text. Right after it the real widgets take their places
    (`_after_first_frame`), and only then are the keys typed meanwhile handled (`TunerApp`)."""

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        k for k in KEYS if k.id != "quit"
    ]
    #: The focus goes to the first field (or the first invalid one) once it exists; Textual's
    #: automatic focus would give it to the presets list in the first frame meanwhile.
    AUTO_FOCUS = ""

    def __init__(self, session: Session, evidence: Sources | None = None) -> None:
        super().__init__(id="editor")
        self.session = session
        self.evidence = evidence or Sources()
        self.components = Components()
        self.status = ""
        self.status_style = "$text-muted"
        #: The status says why saving is refused: cleared once every value is valid again.
        self.status_blocked = False
        self._shown: dict[str, Content] = {}
        #: Whether the real widgets have replaced the first frame's stand-ins.
        self.complete = False
        self._laid_out: Size | None = None

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The width class the first resize would set: set later, it would restyle every widget.
        narrow = self.app.size.width < NARROW
        self.add_class("-narrow" if narrow else "-wide")
        with Vertical(id="header"):
            yield Static("", id="title")
            yield Static("", id="status")
        with Horizontal(id="body"):
            with Vertical(id="presets"):
                if not narrow:  # hidden when narrow: built after the first frame
                    from tuner.tui.widgets.preset_list import PresetList

                    yield PresetList(self.session.store, self.session.name)
                    yield Static("⌂ built-in\n~ user", id="legend")
            yield ParamEditor(self.session, id="params")
            with Vertical(id="side-stand-in"):
                # The Presets tab is shown on narrow terminals only.
                titles = [t for pane, t, _ in self._tabs() if narrow or pane != "tab-presets"]
                tabs = tabs_stand_in(titles, 36 if narrow else 48)
                yield Static(tabs, id="side-tabs-stand-in")
                yield ExportPreview("python", id="side-text-stand-in")
        with Vertical(id="turn"):
            yield Timeline(id="timeline")
            yield Static(components_stand_in(self.components), id="components-stand-in")
        yield Footer(compact=True)

    def _tabs(self) -> list[tuple[str, str, Callable[[], Widget]]]:
        return side_tabs(self.session, self.evidence)

    def on_mount(self) -> None:
        self.find_draft()
        self.query_one("#params").border_title = "Params"
        self.query_one("#presets").border_title = "Presets"
        self.query_one("#turn").border_title = "Turn timeline"
        if self.session.saved.source == "built-in":
            self.status = "built-in preset: ctrl+s saves a user copy of it that shadows it"
        # The field that gets the focus once it exists: looks focused from the first frame.
        focus = self._focus_row()
        focus.add_class("-focus-soon")
        if self.session.invalid:
            self.call_after_refresh(focus.scroll_visible, top=True, animate=False)
        self.redraw()
        self.call_after_refresh(self.call_after_refresh, self._after_first_frame)

    def _focus_row(self) -> ParamRow:
        """The row focused on opening: the first the model rejects (e.g. from --set), else
        the first."""
        bad = list(self.session.invalid)
        if bad:
            return self.query_one(ParamEditor).row(bad[0])
        return self.query(ParamRow).first()

    async def _after_first_frame(self) -> None:
        """Put the real widgets in the stand-ins' places, then let the keys typed meanwhile in."""
        from textual.widgets import TabbedContent, TabPane

        from tuner.tui.widgets.components_panel import ComponentsPanel

        if not self.is_attached or self.app.return_code is not None:
            return  # the app is closing already (a quit typed before the first frame)
        params = self.query_one(ParamEditor)
        await params.add_editors()
        focus = self._focus_row()
        if self.focused is None:  # else already given (a click, or `jump_to` from a command)
            focus.editor.focus(scroll_visible=False)
        focus.remove_class("-focus-soon")
        narrow = self.has_class("-narrow")
        presets = self.query_one("#presets", Vertical)
        if not presets.children:
            from tuner.tui.widgets.preset_list import PresetList

            await presets.mount_all(
                [
                    PresetList(self.session.store, self.session.name),
                    Static("⌂ built-in\n~ user", id="legend"),
                ]
            )
        side = TabbedContent(id="side")
        for pane_id, title, make in self._tabs():
            side.compose_add_child(TabPane(title, make(), id=pane_id))
        side.display = False
        components = ComponentsPanel(self.components, id="components")
        components.display = False
        stand_in = self.query_one("#side-stand-in")
        await self.query_one("#body").mount(side, after=stand_in)
        await self.query_one("#turn").mount(components)
        if not narrow:
            side.hide_tab("tab-presets")
        # One swap, one layout pass: the real widgets show what their stand-ins showed.
        await stand_in.remove()
        await self.query_one("#components-stand-in").remove()
        side.display = True
        components.display = True
        self.complete = True
        self.redraw(timeline=False)
        self.offer_draft()
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            release()

    def on_screen_resume(self) -> None:
        # Textual lays the screen out at the app's size on resuming (`Screen._on_screen_resume`).
        self._laid_out = self.app.size

    def on_resize(self, event: events.Resize) -> None:
        """Show the Presets tab on narrow screens only. A resize to the size already laid out
        is no resize: Textual sends the first size again (from the app, and from the screen's
        own first layout), and each would lay the whole screen out once more before the first
        frame; Textual's own handling (`Screen._on_resize`, called after this) is skipped
        for those."""
        if event.size == self._laid_out:
            event.prevent_default()
            event.stop()
            return
        from textual.widgets import TabbedContent  # not before the first frame: ~20 ms

        self._laid_out = event.size
        for tabs in self.query("#side").results(TabbedContent):
            if event.size.width < NARROW:
                tabs.show_tab("tab-presets")
            else:
                tabs.hide_tab("tab-presets")

    # -- drawing ---------------------------------------------------------------------------
    def redraw(self, timeline: bool = True) -> None:
        """Redraw every view from the session (the fields' texts are theirs: left alone)."""
        session = self.session
        self.query_one(ParamEditor).show(session)
        self._draw_side()
        if timeline or session.invalid:
            self._draw_timeline()
        if self.status_blocked and not session.invalid:
            self.status, self.status_style, self.status_blocked = "", "$text-muted", False
        if self.evidence and self.complete:
            from tuner.tui.widgets.evidence_panel import EvidencePanel

            for panel in self.query(EvidencePanel):
                panel.show(session)
        self._draw_title()

    def _draw_side(self) -> None:
        """Redraw the side tab on show; the others are redrawn when they are shown (each redraw
        of a hidden one would cost a layout pass for nothing)."""
        session = self.session
        notes = "".join(f"# ⚠ {key}: {note}\n" for key, note in session.fallbacks().items())
        if not self.complete:  # the first frame: the first tab, as text
            if not self.evidence:
                python = notes + to_python(session.preset().params, name=session.name)
                self.query_one("#side-text-stand-in", ExportPreview).show(python)
            return
        from textual.widgets import TabbedContent, TabPane

        from tuner.tui.widgets.diff_panel import DiffPanel

        active = self.query_one("#side", TabbedContent).active
        if not active:
            return
        pane = self.query_one(f"#{active}", TabPane)
        for preview in pane.query(ExportPreview):
            preset = session.preset()
            if preview.kind == "python":
                preview.show(notes + to_python(preset.params, name=session.name))
            else:
                preview.show(notes + to_toml(preset))
        for diff in pane.query(DiffPanel):
            diff.show(session)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._draw_side()

    def _draw_timeline(self) -> None:
        fallbacks = self.session.fallbacks()
        note = next((f"⚠ {k}: {v}" for k, v in fallbacks.items() if k in TIMELINE_KEYS), "")
        self.query_one(Timeline).show(self.session.params(), self.components, note)

    def _draw_title(self) -> None:
        session = self.session
        count, bad = session.unsaved(), len(session.invalid)
        parts: list[str | tuple[str, str]] = [
            ("speech-tuner", "bold $accent"),
            " — ",
            (session.name, "bold"),
            f" ({session.saved.source})",
        ]
        if count:
            parts.append((f" • {count} unsaved change{'s' if count != 1 else ''}", "$warning"))
        else:
            parts.append((" • no unsaved changes", "$success"))
        if bad:
            parts.append((f" • {bad} invalid, cannot save", "bold $error"))
        # Fixed one-line widgets: no layout pass, and none at all when the text is the same.
        for widget_id, content in (
            ("title", Content.assemble(*parts)),
            ("status", Content.styled(self.status, self.status_style)),
        ):
            if self._shown.get(widget_id) != content:
                self._shown[widget_id] = content
                self.query_one(f"#{widget_id}", Static).update(content, layout=False)

    def say(self, message: str, severity: str = "information") -> None:
        """Show a message in the status line, where it stays. Not as a toast: toasts would
        cover the timeline's figures."""
        self.status = message
        self.status_style = "bold $error" if severity == "error" else "$text"
        self.status_blocked = False
        if severity == "error":
            self.app.bell()
        self._draw_title()

    def _keep_focus_visible(self) -> None:
        """Rows above the focused one grow and shrink with their messages: keep it in view."""
        key = self.focused_key()
        if key is not None:
            row = self.query_one(ParamEditor).row(key)
            params = self.query_one(ParamEditor)
            if not params.can_view_entire(row.editor):
                row.editor.scroll_visible(animate=False, immediate=True)

    # -- editing ---------------------------------------------------------------------------
    def on_param_row_edited(self, event: ParamRow.Edited) -> None:
        if self._unchanged(event):
            return  # e.g. a field announcing the value it was built with
        if event.text is not None:
            self.session.set_text(event.key, event.text)
        else:
            self.session.set(event.key, event.value)
        self.redraw(timeline=event.key in TIMELINE_KEYS)
        self.keep_draft()
        # Once the rows have their new heights (a layout pass after the next refresh).
        self.call_after_refresh(self.call_after_refresh, self._keep_focus_visible)

    def _unchanged(self, event: ParamRow.Edited) -> bool:
        """Whether an edit leaves the session as it is (nothing to redraw or keep)."""
        session, key = self.session, event.key
        rejected = session.invalid.get(key)
        if event.text is not None:
            if rejected is not None:
                return rejected[0] == event.text
            return field_text(session.value(key)) == event.text.strip()
        now = session.value(key)
        return rejected is None and now == event.value and type(now) is type(event.value)

    def loaded(self, keys: list[str] | None = None, keep: bool = True) -> None:
        """The session changed under the fields (revert, default, draft, open): load them."""
        self.query_one(ParamEditor).load(self.session, keys)
        self.redraw()
        if keep:
            self.keep_draft()

    def keep_draft(self) -> None:
        """Keep the unsaved edits on disk (or forget them when there are none)."""
        if not self.draft_offered:
            return  # a draft from an earlier run is still to be offered: not overwritten
        error = drafts.write(self.session)
        if error is not None and not self.status:
            self.say(f"unsaved edits not kept on disk: {error}", "error")

    def on_evidence_panel_loaded(self, event: EvidencePanel.Loaded) -> None:
        notes = event.evidence.notes
        if notes:
            more = f" (and {len(notes) - 1} more in the Evidence tab)" if len(notes) > 1 else ""
            self.say(f"evidence: {notes[0]}{more}", "warning")

    def on_components_panel_changed(self, event: ComponentsPanel.Changed) -> None:
        self.components = event.components
        self._draw_timeline()

    def focused_key(self) -> str | None:
        node = self.focused
        while node is not None:
            if isinstance(node, ParamRow):
                return node.key
            node = node.parent  # type: ignore[assignment]
        return None

    def action_revert(self) -> None:
        key = self.focused_key()
        if key is None:
            self.say("focus a field to revert it; revert all is in the command palette (ctrl+p)")
            return
        self.session.revert(key)
        self.loaded([key])

    def action_revert_all(self) -> None:
        self.session.revert_all()
        self.loaded()
        self.say("every field reverted to its value on disk")

    def action_use_default(self) -> None:
        key = self.focused_key()
        if key is None:
            self.say("focus a field first")
            return
        self.session.set(key, None)
        self.loaded([key])

    async def jump_to(self, key: str) -> None:
        """Focus a param's field (building the rows below the first screen if need be)."""
        editor = self.query_one(ParamEditor)
        await editor.build_all()
        row = editor.row(key)
        row.editor.focus(scroll_visible=False)
        editor.scroll_to_widget(row, animate=False, top=True)

    def action_next_tab(self) -> None:
        """Show the next side tab and move the focus into it (ctrl+t again goes on)."""
        from textual.widgets import TabbedContent, TabPane

        tabs = self.query_one("#side", TabbedContent)
        shown = [pane.id for pane in tabs.query(TabPane) if pane.id and not _hidden(tabs, pane.id)]
        if shown:
            at = shown.index(tabs.active) if tabs.active in shown else -1
            tabs.active = shown[(at + 1) % len(shown)]
            pane = tabs.get_pane(tabs.active)
            target = next((w for w in pane.query("*") if w.focusable), None)
            if target is not None:
                target.focus()

    def action_copy_python(self) -> None:
        if self._blocked("copy"):
            return
        self.app.copy_to_clipboard(to_python(self.session.params(), name=self.session.name))
        self.say("copied the set_params call to the clipboard")

    def action_help(self) -> None:
        from tuner.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def _blocked(self, what: str) -> bool:
        errors = self.session.errors()
        if errors:
            key, message = next(iter(errors.items()))
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            self.say(f"cannot {what}: {key}: {message}{more}", "error")
            self.status_blocked = True
            return True
        return False


def _hidden(tabs: TabbedContent, pane_id: str) -> bool:
    """Whether a pane's tab is hidden (the Presets tab on wide screens)."""
    return not tabs.get_tab(pane_id).display
