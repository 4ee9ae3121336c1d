"""The main editor: presets, params, previews, diff and the turn timeline of one open preset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from tuner.budget import Components
from tuner.errors import TunerError
from tuner.export import render, to_python, to_toml
from tuner.presets import write_atomic
from tuner.tui.keys import KEYS

# The dialogs are imported where they open: the first frame needs none of them.
from tuner.tui.state import Session
from tuner.tui.widgets.components_panel import ComponentsPanel
from tuner.tui.widgets.diff_panel import DiffPanel
from tuner.tui.widgets.evidence_panel import EvidencePanel, Sources
from tuner.tui.widgets.export_preview import ExportPreview
from tuner.tui.widgets.param_editor import ParamEditor
from tuner.tui.widgets.param_row import ParamRow
from tuner.tui.widgets.preset_list import PresetList
from tuner.tui.widgets.timeline import Timeline

#: Params the turn timeline depends on.
#: Below this width the presets column is hidden and shown as a tab instead.
NARROW = 110
TIMELINE_KEYS = ("end_of_speech_timeout", "turn_detection_timeout", "enable_turn_detection")


class EditorScreen(Screen[None]):
    """Shows a `Session`; every edit goes to the session, then the views are redrawn from it."""

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        k for k in KEYS if k.id != "quit"
    ]

    def __init__(self, session: Session, evidence: Sources | None = None) -> None:
        super().__init__(id="editor")
        self.session = session
        self.evidence = evidence or Sources()
        self.components = Components()
        self.status = ""

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The width class the first resize would set: set later, it would restyle every widget.
        self.add_class("-narrow" if self.app.size.width < NARROW else "-wide")
        with Vertical(id="header"):
            yield Static("", id="title")
            yield Static("", id="status")
        with Horizontal(id="body"):
            with Vertical(id="presets"):
                yield PresetList(self.session.store, self.session.name)
                yield Static("⌂ built-in\n~ user", id="legend")
            yield ParamEditor(self.session, id="params")
            with TabbedContent(id="side"):
                if self.evidence:  # first, so it is the tab shown on opening
                    with TabPane("Evidence", id="tab-evidence"):
                        yield EvidencePanel(self.evidence, self.session.saved.params, id="evidence")
                with TabPane("set_params", id="tab-python"):
                    yield ExportPreview("python", id="preview-python")
                # Filled right after the first frame (`_fill_hidden_tabs`): not shown before.
                yield TabPane("TOML", id="tab-toml")
                yield TabPane("Diff", id="tab-diff")
                # On narrow terminals the presets column gives its room to this tab.
                yield TabPane("Presets", id="tab-presets")
        with Vertical(id="turn"):
            yield Timeline(id="timeline")
            yield ComponentsPanel(self.components, id="components")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#params").border_title = "Params"
        self.query_one("#presets").border_title = "Presets"
        self.query_one("#turn").border_title = "Turn timeline"
        if self.session.saved.source == "built-in":
            self.status = "built-in preset: ctrl+s saves a user copy of it that shadows it"
        self.redraw()
        self.call_after_refresh(self.call_after_refresh, self._fill_hidden_tabs)
        # Start on the first field the model rejects (e.g. from --set), else the first field.
        bad = list(self.session.invalid)
        editors = ".param-row > *"
        if bad:
            row = self.query_one(ParamEditor).row(bad[0])
            row.editor.focus()
            self.call_after_refresh(row.scroll_visible, top=True, animate=False)
        else:
            self.query(editors).first().focus()

    async def _fill_hidden_tabs(self) -> None:
        session = self.session
        await self.query_one("#tab-toml", TabPane).mount(ExportPreview("toml", id="preview-toml"))
        await self.query_one("#tab-diff", TabPane).mount(DiffPanel(session.store, id="diff"))
        await self.query_one("#tab-presets", TabPane).mount(
            PresetList(session.store, session.name, id="preset-tab")
        )
        self.redraw(timeline=False)

    def on_resize(self) -> None:
        tabs = self.query_one("#side", TabbedContent)
        if self.size.width < NARROW:
            tabs.show_tab("tab-presets")
        else:
            tabs.hide_tab("tab-presets")

    def _reload_presets(self, name: str) -> None:
        for preset_list in self.query(PresetList):
            preset_list.reload(name)

    # -- drawing ---------------------------------------------------------------------------
    def redraw(self, timeline: bool = True) -> None:
        """Redraw every view from the session."""
        session = self.session
        self.query_one(ParamEditor).show(session)
        preset = session.preset()
        for preview in self.query(ExportPreview):
            if preview.kind == "python":
                preview.show(to_python(preset.params, name=session.name))
            else:
                preview.show(to_toml(preset))
        for diff in self.query(DiffPanel):
            diff.show(session)
        if timeline:
            self.query_one(Timeline).show(session.params(), self.components)
        for panel in self.query(EvidencePanel):
            panel.show(session)
        self._draw_title()

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
        self.query_one("#title", Static).update(Content.assemble(*parts))
        self.query_one("#status", Static).update(Content(self.status))

    def say(self, message: str, severity: str = "information") -> None:
        """Show a message in the status line (kept) and as a notification."""
        self.status = message
        self._draw_title()
        self.notify(message, severity=severity, timeout=6)  # type: ignore[arg-type]

    # -- editing ---------------------------------------------------------------------------
    def on_param_row_edited(self, event: ParamRow.Edited) -> None:
        if event.text is not None:
            self.session.set_text(event.key, event.text)
        else:
            self.session.set(event.key, event.value)
        self.redraw(timeline=event.key in TIMELINE_KEYS)

    def on_evidence_panel_loaded(self, event: EvidencePanel.Loaded) -> None:
        notes = event.evidence.notes
        if notes:
            more = f" (and {len(notes) - 1} more in the Evidence tab)" if len(notes) > 1 else ""
            self.say(f"evidence: {notes[0]}{more}", "warning")

    def on_components_panel_changed(self, event: ComponentsPanel.Changed) -> None:
        self.components = event.components
        self.query_one(Timeline).show(self.session.params(), self.components)

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
        self.redraw()

    def action_revert_all(self) -> None:
        self.session.revert_all()
        self.redraw()
        self.say("every field reverted to its value on disk")

    def action_use_default(self) -> None:
        key = self.focused_key()
        if key is None:
            self.say("focus a field first")
            return
        self.session.set(key, None)
        self.redraw()

    def action_next_tab(self) -> None:
        tabs = self.query_one("#side", TabbedContent)
        shown = [pane.id for pane in tabs.query(TabPane) if pane.id and not _hidden(tabs, pane.id)]
        if shown:
            at = shown.index(tabs.active) if tabs.active in shown else -1
            tabs.active = shown[(at + 1) % len(shown)]

    def action_copy_python(self) -> None:
        self.app.copy_to_clipboard(to_python(self.session.params(), name=self.session.name))
        self.say("copied the set_params call to the clipboard")

    def action_help(self) -> None:
        from tuner.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # -- saving ----------------------------------------------------------------------------
    def _blocked(self, what: str) -> bool:
        errors = self.session.errors()
        if errors:
            key, message = next(iter(errors.items()))
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            self.say(f"cannot {what}: {key}: {message}{more}", "error")
            return True
        return False

    def action_save(self, then: Callable[[], None] | None = None) -> None:
        """Save to the user folder (or the opened file); asks first if it changed on disk."""
        from tuner.tui.screens.confirm_overwrite import ConfirmOverwriteScreen

        if self._blocked("save"):
            return
        if self.session.changed_on_disk():

            def answered(choice: str | None) -> None:
                if choice == "overwrite" and self._write(None) and then:
                    then()

            self.app.push_screen(
                ConfirmOverwriteScreen(
                    "Changed on disk",
                    f"{self.session.target()} changed on disk since it was opened. "
                    "Overwrite it with your values?",
                ),
                answered,
            )
            return
        if self._write(None) and then:
            then()

    def action_save_as(self) -> None:
        from tuner.tui.screens.confirm_overwrite import ConfirmOverwriteScreen
        from tuner.tui.screens.save_as import SaveAsScreen

        if self._blocked("save"):
            return
        folder = str(self.session.store.user_dir)

        def named(name: str | None) -> None:
            if name is None:
                return
            target = self.session.store.path_for(name)
            if target.exists():

                def answered(choice: str | None) -> None:
                    if choice == "overwrite":
                        self._write(name)

                self.app.push_screen(
                    ConfirmOverwriteScreen(
                        "Preset exists", f"{target} already exists. Overwrite it?"
                    ),
                    answered,
                )
            else:
                self._write(name)

        self.app.push_screen(SaveAsScreen(self.session.name, folder), named)

    def _write(self, name: str | None) -> bool:
        shadows = self.session.saved.source == "built-in" or (
            name is not None and self.session.shadows_builtin(name)
        )
        try:
            path = self.session.save(name)
        except TunerError as exc:
            self.say(f"not saved, your edits are kept: {exc.problems[0]}", "error")
            return False
        note = ""
        if shadows and self.session.shadows_builtin():
            note = f" — a user preset that shadows the built-in {self.session.name}"
        self._reload_presets(self.session.name)
        for diff in self.query(DiffPanel):
            diff.reload()
        self.redraw()
        self.say(f"saved {path}{note}")
        return True

    def action_export(self) -> None:
        from tuner.tui.screens.export import ExportScreen

        if self._blocked("export"):
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            fmt, where = answer
            target = Path(where).expanduser()
            try:
                if target.is_dir():
                    raise TunerError(f"{target} is a folder; give a file name")
                write_atomic(target, render(self.session.preset(), fmt))  # type: ignore[arg-type]
            except TunerError as exc:
                self.say(f"not exported: {exc.problems[0]}", "error")
                return
            self.say(f"exported {fmt} to {target}")

        self.app.push_screen(ExportScreen(self.session.name), chosen)

    # -- leaving ---------------------------------------------------------------------------
    def request_quit(self) -> None:
        from tuner.tui.screens.confirm_quit import ConfirmQuitScreen

        count = self.session.unsaved()
        if not count:
            self.app.exit()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save(then=self.app.exit)
            elif choice == "discard":
                self.app.exit()

        self.app.push_screen(ConfirmQuitScreen(self.session.name, count), answered)

    def on_preset_list_chosen(self, event: PresetList.Chosen) -> None:
        from tuner.tui.screens.switch_preset import SwitchPresetScreen

        count = self.session.unsaved()
        if not count:
            self.open(event.name)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save(then=lambda: self.open(event.name))
            elif choice == "discard":
                self.open(event.name)
            else:
                self._reload_presets(self.session.name)

        self.app.push_screen(SwitchPresetScreen(self.session.name, count, event.name), answered)

    def open(self, name: str) -> None:
        """Open another preset in place of this one."""
        try:
            session = Session.open(self.session.store, name)
        except TunerError as exc:
            self.say(f"cannot open {name}: {exc.problems[0]}", "error")
            self._reload_presets(self.session.name)
            return
        self.session = session
        self._reload_presets(name)
        self.status = ""
        self.redraw()
        self.say(f"opened {name} ({session.saved.source})")


def _hidden(tabs: TabbedContent, pane_id: str) -> bool:
    """Whether a pane's tab is hidden (the Presets tab on wide screens)."""
    return not tabs.get_tab(pane_id).display
