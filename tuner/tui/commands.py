"""The command palette's params: every param by name (and by its help), and jumping to it."""

from __future__ import annotations

import contextlib
from functools import partial

from textual.command import CommandPalette, Hit, Hits, Provider
from textual.css.query import NoMatches

from tuner.params import PARAM_NAMES, SPECS


class ParamCommands(Provider):
    """`ctrl+p`, then part of a param's name (`end_of`): Enter focuses its field."""

    def _jump(self, key: str) -> None:
        from tuner.tui.screens.editor import EditorScreen

        screen = self.app.screen_stack[0]
        if isinstance(screen, EditorScreen):
            self.app.call_later(partial(screen.jump_to, key))

    def _help(self, key: str) -> str:
        spec = SPECS[key]
        return f"Go to this param: {spec.help} ({spec.group})"

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in PARAM_NAMES:
            score = matcher.match(key)
            if score <= 0:
                continue
            yield Hit(score, matcher.highlight(key), partial(self._jump, key), help=self._help(key))


class Palette(CommandPalette):
    """Textual's command palette, safe against keys typed faster than it opens and closes: its
    search worker may report after a quick escape has already taken its list away."""

    def _watch__list_visible(self) -> None:
        with contextlib.suppress(NoMatches):
            super()._watch__list_visible()
