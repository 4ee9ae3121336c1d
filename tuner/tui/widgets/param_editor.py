"""All params of the open preset, grouped as in the model, one `ParamRow` each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuner.params import by_group
from tuner.tui.state import Session
from tuner.tui.widgets.param_row import ParamRow


class ParamEditor(VerticalScroll):
    """The scrolling list of param rows; shows a `Session`, edits flow up as messages."""

    def __init__(self, session: Session, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.can_focus = False

    def compose(self) -> ComposeResult:
        # The first frame needs only the rows it can show: mount the first group (and any group
        # holding an invalid value, which gets the focus) now, the others right after.
        groups = list(by_group())
        needed = max(
            [0] + [i for i, (_, keys) in enumerate(groups) if set(keys) & set(self.session.invalid)]
        )
        for group, keys in groups[: needed + 1]:
            yield from self._group(group, keys)
        self._later = groups[needed + 1 :]

    def _group(self, group: str, keys: list[str]) -> ComposeResult:
        yield Static(group, classes="group-title", markup=False)
        for key in keys:
            yield ParamRow(key, self.session.value(key))

    def on_mount(self) -> None:
        if self._later:
            self.call_after_refresh(self._mount_later)

    async def _mount_later(self) -> None:
        widgets = [w for group, keys in self._later for w in self._group(group, keys)]
        self._later = []
        await self.mount_all(widgets)
        self.show(self.session)

    def row(self, key: str) -> ParamRow:
        return self.query_one(f"#row-{key}", ParamRow)

    def show(self, session: Session, keys: list[str] | None = None) -> None:
        """Redraw the rows of `keys` (all when None) from the session."""
        self.session = session
        changes = session.changes()
        warnings = session.warnings()
        before = session.saved.params.values()
        for row in self.query(ParamRow):
            if keys is not None and row.key not in keys:
                continue
            invalid = session.invalid.get(row.key)
            row.show(
                session.value(row.key),
                invalid[0] if invalid else None,
                invalid[1] if invalid else None,
                warnings.get(row.key, []),
                (row.key in changes, before.get(row.key)),
            )
