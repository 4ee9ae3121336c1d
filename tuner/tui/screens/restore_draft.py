"""Unsaved edits a previous run left for this preset: restore or discard them."""

from __future__ import annotations

from typing import ClassVar

from tuner.tui.screens.choice import ChoiceScreen


class RestoreDraftScreen(ChoiceScreen):
    CHOICES: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("restore", "Restore", "primary"),
        ("discard", "Discard", "error"),
    )

    def __init__(self, name: str, fields: dict[str, str], when: str) -> None:
        one = len(fields) == 1
        listed = ", ".join(f"{k} = {v or '(default)'}" for k, v in list(fields.items())[:4])
        more = f", and {len(fields) - 4} more" if len(fields) > 4 else ""
        super().__init__(
            "Unsaved edits found",
            f'"{name}" has {len(fields)} unsaved edit{"" if one else "s"} from '
            f"{when.replace('T', ' ')} that {'was' if one else 'were'} never saved: "
            f"{listed}{more}. Restore {'it' if one else 'them'}?",
        )
