"""What changed: against the preset as opened, or against any other preset chosen here."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Select, Static

from tuner.errors import TunerError
from tuner.params import SPECS, Value
from tuner.presets import PresetStore
from tuner.tui.state import Session

OPENED = "@opened"


def _show(key: str, value: Value | None) -> str:
    spec = SPECS[key]
    if value is None:
        return "default" if spec.default is None else f"default {spec.display(spec.default)}"
    return spec.display(value)


class DiffPanel(Vertical):
    """A chooser of what to compare with, and one line per differing param."""

    def __init__(self, store: PresetStore, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self._session: Session | None = None

    def compose(self) -> ComposeResult:
        yield Select(
            self._options(),
            value=OPENED,
            allow_blank=False,
            compact=True,
            id="compare-with",
            tooltip="Compare the current values with the file as opened, or with another preset",
        )
        with VerticalScroll(id="diff-scroll"):
            yield Static("", id="diff-body")

    def _options(self) -> list[tuple[str, str]]:
        options = [("vs. as opened (on disk)", OPENED)]
        options += [(f"vs. {i.name} ({i.source})", i.name) for i in self.store.list_presets()]
        return options

    def reload(self) -> None:
        """Refresh the chooser after a save added a preset."""
        select = self.query_one("#compare-with", Select)
        current = select.value
        options = self._options()
        select.set_options(options)
        select.value = current if any(v == current for _, v in options) else OPENED

    def show(self, session: Session) -> None:
        self._session = session
        against = self.query_one("#compare-with", Select).value
        body = self.query_one("#diff-body", Static)
        if against == OPENED or against is Select.NULL:
            diff = session.changes()
            title = f"{session.name} as on disk"
        else:
            try:
                other = self.store.peek(str(against))
            except TunerError as exc:
                body.update(Content.assemble((str(exc), "$error")))
                return
            diff = session.compare(other)
            title = f"{other.name} ({other.source})"
        if not diff:
            body.update(Content.assemble(("no differences from ", "$text-muted"), title))
            return
        parts: list[Any] = [(f"{len(diff)} differ from {title}\n", "$text-muted")]
        for key, (then, now) in diff.items():
            error = session.invalid.get(key)
            parts.append((key, "bold"))
            parts.append("\n  ")
            parts.append((_show(key, then), "$error"))
            parts.append(" → ")
            if error:
                parts.append((f"{error[0]!r} (invalid)", "$error"))
            else:
                parts.append((_show(key, now), "$success"))
            parts.append("\n")
        body.update(Content.assemble(*parts))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self._session is not None:
            self.show(self._session)
