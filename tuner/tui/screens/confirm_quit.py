"""Quitting with unsaved changes: save, discard or cancel."""

from __future__ import annotations

from typing import ClassVar

from tuner.tui.screens.choice import ChoiceScreen


class ConfirmQuitScreen(ChoiceScreen):
    CHOICES: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("save", "Save and quit", "primary"),
        ("discard", "Discard and quit", "error"),
        ("cancel", "Cancel", "default"),
    )

    def __init__(self, name: str, count: int) -> None:
        s = "" if count == 1 else "s"
        super().__init__(
            "Quit with unsaved changes?",
            f'"{name}" has {count} unsaved change{s}. Save before quitting?',
        )
