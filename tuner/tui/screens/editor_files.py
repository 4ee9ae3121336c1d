"""The editor's actions that touch files: save, save as, export, open another preset, the draft
of unsaved edits, and leaving (every way out asks first or keeps the edits in the draft)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from tuner.errors import TunerError
from tuner.presets import write_atomic
from tuner.tui import drafts
from tuner.tui.state import Session
from tuner.tui.widgets.param_editor import ParamEditor

if TYPE_CHECKING:
    # Built right after the first frame, which these actions never run before.
    from tuner.tui.widgets.preset_list import PresetList


class FileActions(Screen[None]):
    """The base of the editor screen: what it does with files; drawing is the editor's."""

    session: Session

    # Drawn by the editor screen.
    def redraw(self, timeline: bool = True) -> None:
        raise NotImplementedError

    def say(self, message: str, severity: str = "information") -> None:
        raise NotImplementedError

    def loaded(self, keys: list[str] | None = None, keep: bool = True) -> None:
        raise NotImplementedError

    def keep_draft(self) -> None:
        raise NotImplementedError

    def _blocked(self, what: str) -> bool:
        raise NotImplementedError

    def _reload_presets(self, name: str) -> None:
        from tuner.tui.widgets.preset_list import PresetList

        for preset_list in self.query(PresetList):
            preset_list.reload(name)

    # -- saving ----------------------------------------------------------------------------
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
        draft = drafts.path(self.session)
        try:
            path = self.session.save(name)
        except TunerError as exc:
            self.say(f"not saved, your edits are kept: {exc.problems[0]}", "error")
            return False
        draft.unlink(missing_ok=True)
        note = ""
        if shadows and self.session.shadows_builtin():
            note = f" — a user preset that shadows the built-in {self.session.name}"
        self._reload_presets(self.session.name)
        from tuner.tui.widgets.diff_panel import DiffPanel

        for diff in self.query(DiffPanel):
            diff.reload()
        self.redraw()
        self.keep_draft()
        self.say(f"saved {path}{note}")
        return True

    def action_export(self) -> None:
        from tuner.export import render
        from tuner.tui.screens.export import ExportScreen

        if self._blocked("export"):
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            fmt, where = answer
            target = Path(where).expanduser().absolute()
            try:
                if target.is_dir():
                    raise TunerError(f"{target} is a folder; give a file name")
                write_atomic(target, render(self.session.preset(), fmt))  # type: ignore[arg-type]
            except TunerError as exc:
                self.say(f"not exported: {exc.problems[0]}", "error")
                return
            self.say(f"exported {fmt} to {target}")

        self.app.push_screen(ExportScreen(self.session.name), chosen)

    # -- the draft of unsaved edits --------------------------------------------------------
    #: The draft a previous run left, read when the preset opened: until it has been offered,
    #: nothing is written over it.
    draft_found: tuple[dict[str, str], str] | None = None
    draft_offered = False

    def find_draft(self) -> None:
        """Read the draft of the preset just opened, before anything can write over it."""
        self.draft_found = drafts.read(self.session)
        self.draft_offered = False

    def offer_draft(self) -> None:
        """Offer back the unsaved edits a previous run left for this preset."""
        from tuner.tui.screens.restore_draft import RestoreDraftScreen

        found, self.draft_found, self.draft_offered = self.draft_found, None, True
        if found is None:
            self.keep_draft()  # e.g. --set values: unsaved edits from the first frame
            return
        fields, when = found

        def answered(choice: str | None) -> None:
            if choice == "restore":
                keys = drafts.restore(self.session, fields)
                self.loaded(keys)
                self.say(f"restored {len(keys)} unsaved edit{'s' if len(keys) != 1 else ''}")
            elif choice == "discard":
                drafts.remove(self.session)
                self.keep_draft()

        self.app.push_screen(RestoreDraftScreen(self.session.name, fields, when), answered)

    # -- leaving ---------------------------------------------------------------------------
    def request_quit(self) -> None:
        """Quit; with unsaved changes, ask first: save, discard or cancel."""
        from tuner.tui.screens.confirm_quit import ConfirmQuitScreen

        if not self.session.unsaved():
            drafts.remove(self.session)
            self.call_later(self._exit_when_built)
            return
        if any(isinstance(screen, ConfirmQuitScreen) for screen in self.app.screen_stack):
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save(then=self.app.exit)
            elif choice == "discard":
                drafts.remove(self.session)
                self.call_later(self._exit_when_built)

        self.app.push_screen(ConfirmQuitScreen(self.session.name, self.session.unsaved()), answered)

    async def _exit_when_built(self) -> None:
        """Exit once the rows built after the first frame are mounted: a widget still mounting
        while the app closes (a quit typed at once) fails inside Textual."""
        for params in self.query(ParamEditor):
            await params.build_all()
        self.app.exit()

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
                drafts.remove(self.session)
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
        self.find_draft()
        self._reload_presets(name)
        self.status = ""
        self.loaded(keep=False)  # its own draft, if any, is offered below
        self.say(f"opened {name} ({session.saved.source})")
        self.offer_draft()
