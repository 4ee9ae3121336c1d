"""Saving over a file that someone else changed (or that already exists): overwrite or cancel."""

from __future__ import annotations

from typing import ClassVar

from tuner.tui.screens.choice import ChoiceScreen


class ConfirmOverwriteScreen(ChoiceScreen):
    CHOICES: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("cancel", "Cancel", "default"),
        ("overwrite", "Overwrite", "warning"),
    )
