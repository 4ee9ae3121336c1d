"""The speech-tuner Textual app: wires the session, the editor screen and the keys together."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tuner.presets import PresetStore, parse_overrides
from tuner.tui.keys import KEYS, PALETTE_ONLY
from tuner.tui.screens.editor import NARROW, EditorScreen
from tuner.tui.state import Session
from tuner.tui.widgets.evidence_panel import Sources


class TunerApp(App[None]):
    """One window over one open preset; the editor screen does the work."""

    CSS_PATH = "app.tcss"
    TITLE = "speech-tuner"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        k for k in KEYS if k.id == "quit"
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]  # noqa: RUF012

    def __init__(self, session: Session, evidence: Sources | None = None) -> None:
        super().__init__()
        self.session = session
        self.evidence = evidence

    def get_default_screen(self) -> Screen[None]:
        return EditorScreen(self.session, self.evidence)

    def action_request_quit(self) -> None:
        if isinstance(self.screen, EditorScreen):
            self.screen.request_quit()

    def get_system_commands(self, screen: Screen[None]) -> Iterable[SystemCommand]:
        if isinstance(screen, EditorScreen):
            for binding in KEYS:
                yield SystemCommand(
                    f"{binding.description} ({binding.key})",
                    binding.tooltip,
                    partial(screen.run_action, binding.action)
                    if binding.id != "quit"
                    else self.action_request_quit,
                )
            for name, help_text, action in PALETTE_ONLY:
                yield SystemCommand(name, help_text, partial(screen.run_action, action))
        yield from super().get_system_commands(screen)


def make_app(
    preset_ref: str = "normal",
    store: PresetStore | str | os.PathLike[str] | None = None,
    overrides: Sequence[str] = (),
    *,
    presets_dir: str | os.PathLike[str] | None = None,
    recordings: Sequence[str] = (),
    calls: Sequence[str] = (),
) -> TunerApp:
    """The app on a preset of `store` (a `PresetStore`, or a user presets folder), with
    `KEY=VALUE` overrides applied as unsaved edits. One factory for the command line and tests.

    Raises TunerError for an unknown preset or key; a value the model rejects is not an error
    here: it opens in its field with the model's message, like a value typed in the app.
    `recordings` and `calls` (files or folders) open the Evidence tab, filled in the background.
    """
    if not isinstance(store, PresetStore):
        store = PresetStore(store if store is not None else presets_dir)
    session = Session.open(store, preset_ref, parse_overrides(overrides))
    return TunerApp(session, Sources(tuple(recordings), tuple(calls)))
