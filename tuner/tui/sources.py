"""What `edit --recordings/--calls` named: kept apart from the Evidence panel, which is imported
only when there is evidence to show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sources:
    """What `edit --recordings/--calls` named."""

    recordings: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.recordings or self.calls)
