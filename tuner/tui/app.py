"""The speech-tuner Textual app: wires the session, the editor screen and the keys together."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tuner.presets import PresetStore, parse_overrides
from tuner.tui.commands import Palette, ParamCommands
from tuner.tui.keys import KEYS, PALETTE_ONLY
from tuner.tui.screens.editor import NARROW, EditorScreen
from tuner.tui.sources import Sources
from tuner.tui.state import Session

#: Signals that end the app the way closing the terminal or `kill` does: the unsaved edits
#: stay in their draft (written on every change) and are offered back on the next open.
LEAVING_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class TunerApp(App[None]):
    """One window over one open preset; the editor screen does the work."""

    CSS_PATH = "app.tcss"
    TITLE = "speech-tuner"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        k for k in KEYS if k.id == "quit"
    ]
    COMMANDS = App.COMMANDS | {ParamCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]  # noqa: RUF012

    def __init__(self, session: Session, evidence: Sources | None = None) -> None:
        super().__init__()
        self.session = session
        self.evidence = evidence
        #: Keys (and pastes) held to be handled in the order typed: those that came before the
        #: editor was complete (see `EditorScreen._after_first_frame`), and those that came
        #: while a key bound above the focused widget was on its way up (`_in_order`); None
        #: while nothing is held.
        self._held: list[events.Event] | None = []
        #: The key on its way up to its binding (tab, ctrl+s, ...) while the keys typed after it
        #: are held, and how long it may take.
        self._waiting_for: events.Key | None = None
        self._waiting_since = 0.0
        #: The priority key (ctrl+s, ...) last held until the keys before it were handled, and
        #: the task that waits for them (kept here: asyncio holds only a weak reference).
        self._settled: events.Key | None = None
        self._settling: asyncio.Task[None] | None = None
        #: Whether the cyclic garbage collector is paused until the editor is complete.
        self._gc_paused = False

    async def run_async(self, **kwargs: Any) -> None:
        """Run, with the cyclic garbage collector paused until the editor is complete.

        Starting up allocates a great deal and frees little; left on, the collector scans the
        whole heap (every module and widget) again and again before the first frame, about a
        fifth of the time to it. Nothing is lost by waiting: it runs as usual from then on.
        """
        self._gc_paused = gc.isenabled()
        gc.disable()
        try:
            return await super().run_async(**kwargs)
        finally:
            self._resume_gc()

    def _resume_gc(self) -> None:
        if self._gc_paused:
            self._gc_paused = False
            gc.enable()

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._held is not None:
            self._held.append(event)
            return
        if (
            isinstance(event, events.Key)
            and event is not self._settled
            and self._bound_with_priority(event.key)
        ):
            # ctrl+s and the like act on what the fields have reported: the keys typed before
            # them go first, with everything they made the fields report.
            self._held, self._settled = [event], event
            self._settling = asyncio.create_task(self._release_when_settled())
            return
        in_order = isinstance(event, events.Key) and self._in_order(event)
        if in_order:
            assert isinstance(event, events.Key)
            self._held, self._waiting_for = [], event
            self._waiting_since = asyncio.get_running_loop().time()
            self.set_timer(0.005, self._check_waiting)
        await super().on_event(event)
        if in_order and not event.is_forwarded:
            self._key_done()  # taken by a priority binding: it never goes down and up

    def _in_order(self, event: events.Key) -> bool:
        """Whether the keys typed after `event` must wait for it: a key that a binding above
        the focused widget takes (tab, ctrl+s, escape). Textual runs such a binding only once
        the key has gone down to the focused widget and back up to the app, while the keys
        typed after it are already on their way to the field that had the focus: `800`, tab,
        `5` in one read put `8005` in the first field. The field's own keys (typed text, and
        its editing keys, see `Field`) take effect at once and need no wait."""
        focused = self.focused
        if event.is_printable or focused is None:
            return False
        return event.key not in focused._bindings.key_to_bindings

    def _bound_with_priority(self, key: str) -> bool:
        """Whether a priority binding takes `key`: Textual runs those before the key goes
        anywhere, even before keys typed earlier have reached their field."""
        return any(
            binding.priority
            for _, bindings in self.screen._binding_chain
            for binding in bindings.key_to_bindings.get(key, ())
        )

    async def _release_when_settled(self) -> None:
        """Release the held keys once the focused widget and the widgets above it (up to the
        screen) have handled every message sent to them: the keys typed so far, and what those
        made each field report to its row and the row to the screen."""
        try:
            focused = self.focused
            for node in focused.ancestors_with_self if focused is not None else ():
                if node is self:
                    break
                # Messages are handled in order: once this callback has run, so has everything
                # sent to the node before it, including what the nodes below reported to it.
                handled = asyncio.Event()
                if node.call_later(handled.set):
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(handled.wait(), 0.5)
        finally:
            self.call_later(self._release)

    async def _on_key(self, event: events.Key) -> None:
        # The key came back up to the app: Textual's own handler (`App._on_key`, called after
        # this one) runs its binding; the keys typed after it go on once that is done.
        if event is self._waiting_for:
            self.call_next(self._key_done)

    def _check_waiting(self) -> None:
        """A key the focused widget took for itself never comes back up: stop waiting for it
        once it has been stopped, or after half a second whatever happened to it."""
        key = self._waiting_for
        if key is None:
            return
        waited = asyncio.get_running_loop().time() - self._waiting_since
        if key._stop_propagation or waited > 0.5:
            self._key_done()
        else:
            self.set_timer(0.005, self._check_waiting)

    def _key_done(self) -> None:
        if self._waiting_for is not None:
            self._waiting_for = None
            self.call_next(self._release)

    def release_keys(self) -> None:
        """The editor is complete: handle the keys held until now, before any typed later."""
        self._resume_gc()
        self.call_next(self._release)

    async def _release(self) -> None:
        held, self._held = self._held or [], None
        for at, event in enumerate(held):
            if self._held is not None:  # a released key made the rest wait again
                self._held[:0] = held[at:]
                return
            await self.on_event(event)

    def get_default_screen(self) -> Screen[None]:
        return EditorScreen(self.session, self.evidence)

    def on_mount(self) -> None:
        if self.is_headless:
            return  # under tests: the test process's own signals are left alone
        loop = asyncio.get_running_loop()
        for signum in LEAVING_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._signalled)

    def on_unmount(self) -> None:
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in LEAVING_SIGNALS:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)

    def _signalled(self) -> None:
        editor = self.screen_stack[0] if self.screen_stack else None
        if isinstance(editor, EditorScreen):
            editor.keep_draft()
        self.exit(return_code=1)

    def editor(self) -> EditorScreen | None:
        screen = self.screen_stack[0] if self.screen_stack else None
        return screen if isinstance(screen, EditorScreen) else None

    def action_request_quit(self) -> None:
        editor = self.editor()
        if editor is not None:
            editor.request_quit()
        else:
            self.exit()

    async def action_quit(self) -> None:
        """Textual's own quit (its palette entry, `app.quit` anywhere): asks first too."""
        self.action_request_quit()

    def action_command_palette(self) -> None:
        """The palette, once: a second ctrl+p typed before the first palette is up would push
        another with the same id (Textual checks only the screen already shown)."""
        if self.use_command_palette and not any(
            screen.id == "--command-palette" for screen in self.screen_stack
        ):
            self.push_screen(Palette(id="--command-palette"))

    def action_help_quit(self) -> None:
        """ctrl+c outside a field (inside one it copies): say how to quit, lose nothing."""
        editor = self.editor()
        if editor is not None:
            editor.say("ctrl+q quits (it asks first when there are unsaved changes)")

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
        for command in super().get_system_commands(screen):
            # Textual's own "Quit" exits at once; ours (above) asks about unsaved changes.
            if command.title != "Quit":
                yield command


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
