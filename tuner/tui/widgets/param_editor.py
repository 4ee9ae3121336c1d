"""All params of the open preset, grouped as in the model, one `ParamRow` each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from tuner.params import PARAM_NAMES, by_group
from tuner.tui.state import Session
from tuner.tui.widgets.param_row import ParamRow, RowState

#: Terminal lines a row takes at least (name, editor, help, gap), and a group title.
ROW_LINES, TITLE_LINES = 4, 2


class ParamEditor(VerticalScroll):
    """The scrolling list of param rows; shows a `Session`, edits flow up as messages."""

    def __init__(self, session: Session, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.can_focus = False
        self._later: list[tuple[str | None, str]] = []
        #: The mounting of the rows below the first screen, once started.
        self._building: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        # The first frame needs only the rows it can show: build the rows that fill the
        # terminal's height (all of them up to a group holding an invalid value, which gets the
        # focus) now, the others right after the first frame.
        items = list(self._items())
        bad = [i for i, (_, key) in enumerate(items) if key in self.session.invalid]
        # Counted from the first invalid row, which is scrolled to the top.
        first = bad[0] if bad else 0
        lines, needed = 0, len(items)
        for i in range(first, len(items)):
            lines += TITLE_LINES if items[i][0] else ROW_LINES
            if lines >= self.app.size.height:
                needed = i + 1
                break
        needed = max([needed] + [i + 1 for i in bad])
        # The first frame's rows draw their fields themselves; the editors follow it.
        yield from self._widgets(items[:needed], bare=True)
        self._later = items[needed:]

    def _items(self) -> Iterator[tuple[str | None, str]]:
        """(group, "") for a group's title, then (None, key) for each of its params."""
        for group, keys in by_group():
            yield group, ""
            for key in keys:
                yield None, key

    def _widgets(self, items: list[tuple[str | None, str]], bare: bool = False) -> Iterator[Widget]:
        states = self.states(self.session)
        for group, key in items:
            if group:
                yield Static(group, classes="group-title", markup=False)
            else:
                invalid = self.session.invalid.get(key)
                yield ParamRow(key, states[key], invalid[0] if invalid else None, bare=bare)

    async def add_editors(self) -> None:
        """Give the first frame's rows their editors (each shows what its row drew)."""
        mounting = [m for row in self.query(ParamRow) if (m := row.add_editor()) is not None]
        for done in mounting:
            await done

    def on_mount(self) -> None:
        if self._later:
            # Once the first frame is on screen and everything waiting for it has run.
            self.call_after_refresh(self.call_after_refresh, self._mount_later)

    async def _mount_later(self) -> None:
        if not self.is_attached or self.app.return_code is not None:
            return  # closing before the rows below the first screen were built
        if self._later:
            widgets = list(self._widgets(self._later))
            self._later = []
            self._building = self.mount_all(widgets)
        if self._building is not None:
            await self._building  # also when another caller started it: rows complete

    async def build_all(self) -> None:
        """Build the rows still waiting for the first frame to pass, now (or wait for them)."""
        await self._mount_later()

    def watch_virtual_size(self) -> None:
        """Rows grow and shrink with their messages: keep the focused field in view."""
        focused = self.screen.focused if self.is_attached else None
        if focused is not None and self in focused.ancestors:
            self.call_after_refresh(self._keep_in_view, focused)

    def _keep_in_view(self, field: Widget) -> None:
        if field.is_attached and field.has_focus and not self.can_view_entire(field):
            field.scroll_visible(animate=False, immediate=True)

    def row(self, key: str) -> ParamRow:
        return self.query_one(f"#row-{key}", ParamRow)

    @staticmethod
    def states(session: Session) -> dict[str, RowState]:
        """What every row shows, from the session."""
        changes = session.changes()
        warnings = session.warnings()
        before = session.saved.params.values()
        out = {}
        for key in PARAM_NAMES:
            invalid = session.invalid.get(key)
            out[key] = RowState(
                value=session.value(key),
                error=invalid[1] if invalid else None,
                warnings=tuple(warnings.get(key, ())),
                changed=key in changes,
                before=before.get(key),
            )
        return out

    def show(self, session: Session) -> None:
        """Redraw the rows around their editors from the session (rows not built yet are built
        from it later); the editors' texts are left alone."""
        self.session = session
        states = self.states(session)
        for row in self.query(ParamRow):
            row.show(states[row.key])

    def load(self, session: Session, keys: Iterable[str] | None = None) -> None:
        """Write the session's values into the editors of `keys` (all by default): on open,
        revert, default and a restored draft only."""
        self.show(session)
        wanted = set(PARAM_NAMES if keys is None else keys)
        for row in self.query(ParamRow):
            if row.key in wanted:
                invalid = session.invalid.get(row.key)
                row.load(session.value(row.key), invalid[0] if invalid else None)
