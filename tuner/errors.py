"""The one error type people see: each problem with its file, line, key and a did-you-mean."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as it can be."""

    message: str
    path: str | None = None
    line: int | None = None
    key: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        head = self.path or ""
        if self.line is not None:
            head = f"{head}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return ": ".join([*(p for p in (head, self.key) if p), prefix + self.message])

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TunerError(Exception):
    """Invalid or unreadable input; carries every problem found, never a traceback for users."""

    problems: list[Problem] = field(default_factory=list)

    def __init__(self, problems: Problem | Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean "x"?)` for the closest choice, or an empty string when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def unknown_key(key: str, known: Iterable[str], what: str = "param") -> str:
    """The message for a key the model does not know."""
    hint = did_you_mean(key, known)
    return f"unknown {what}{hint or ': it would be silently ignored on a live call'}"
