"""Opening another preset while this one has unsaved changes: save, discard or cancel."""

from __future__ import annotations

from typing import ClassVar

from tuner.tui.screens.choice import ChoiceScreen


class SwitchPresetScreen(ChoiceScreen):
    CHOICES: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("save", "Save, then open", "primary"),
        ("discard", "Discard, then open", "error"),
        ("cancel", "Cancel", "default"),
    )

    def __init__(self, current: str, count: int, target: str) -> None:
        s = "" if count == 1 else "s"
        super().__init__(
            f'Open "{target}"?',
            f'"{current}" has {count} unsaved change{s}. Save them before opening "{target}"?',
        )
