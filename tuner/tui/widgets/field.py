"""`Field`: a text input whose editing keys take effect in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class Field(Input):
    """An `Input` that runs its own bound keys (backspace, delete, the arrows, home and end,
    ctrl+u, ctrl+w, ...) at once, in their place among the characters typed.

    Textual inserts a typed character in the field's own key handler, but runs a bound key's
    action only once the key has bubbled up to the app. When several keys arrive in one read
    (a fast typist, keys sent over a slow link, a key macro), a character typed after a
    backspace was inserted before the backspace ran: `12`, backspace, `5` gave `12` instead of
    `15` (Textual issue #6605; its proposed fix does the same as this). Keys bound by the
    screen or the app (tab, ctrl+s) act on what the field has reported, which arrives by
    messages: `TunerApp` keeps those in order (see `TunerApp.on_event`).
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
