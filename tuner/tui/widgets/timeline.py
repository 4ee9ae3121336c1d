"""The turn timeline: what a caller waits for after they stop speaking, graded."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget

from tuner.budget import Components, Turn, budget
from tuner.params import JudgedTiming, Timing

#: (label, Components field or None for the platform's wait, style) in the order of a turn.
SEGMENTS: tuple[tuple[str, str | None, str], ...] = (
    ("wait", None, "on $warning 35%"),
    ("asr", "asr_ms", "on $accent 40%"),
    ("llm", "llm_ms", "on $primary 55%"),
    ("tts", "tts_ms", "on $success 35%"),
    ("net", "network_ms", "on $panel-lighten-2"),
)
GRADE_STYLE = {"good": "bold $success", "acceptable": "bold $warning", "poor": "bold $error"}
SCENARIO_LABEL = {"silence": "caller stops", "detected": "sentence end"}


def bar(turn: Turn, components: Components, width: int, scale: int) -> list[Any]:
    """The segments of one turn as styled text, `scale` ms filling `width` cells."""
    parts: list[Any] = []
    for label, attr, style in SEGMENTS:
        ms = turn.wait_ms if attr is None else int(getattr(components, attr))
        cells = max(1, round(ms * width / scale)) if ms else 0
        text = f"{label} {ms}"
        if len(text) > cells:
            text = label if len(label) <= cells else ""
        parts.append((text.center(cells)[:cells] if cells else "", style))
    return parts


class Timeline(Widget):
    """Two turns (the caller just stops; the transcript ends a sentence) as horizontal bars."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.params: Timing = JudgedTiming()
        self.components = Components()
        self.turns = budget(self.params, self.components)
        #: Which value the timeline uses for a field the model rejects (shown on its last line).
        self.note = ""

    def show(self, params: Timing, components: Components, note: str = "") -> None:
        self.params, self.components, self.note = params, components, note
        self.turns = budget(params, components)
        self.refresh(layout=True)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self.turns) + 1

    def render(self) -> Content:
        width = max(self.size.width, 40)
        label_w, tail_w = 13, 26
        bar_w = max(10, width - label_w - tail_w)
        scale = max(t.first_response_ms for t in self.turns.values())
        parts: list[Any] = []
        for scenario, turn in self.turns.items():
            parts.append((SCENARIO_LABEL[scenario].ljust(label_w), "$text-muted"))
            parts.extend(bar(turn, self.components, bar_w, scale))
            used = sum(len(p[0]) for p in bar(turn, self.components, bar_w, scale))
            parts.append(" " * (bar_w - used + 1))
            grade = turn.grades["first_response"]
            parts.append(f"reply {turn.first_response_ms:>5} ms ")
            parts.append((grade, GRADE_STYLE[grade]))
            parts.append("\n")
        if self.note:
            # In place of the tool-call line: which value the bars use while a field is invalid.
            parts.append((self.note, "$error"))
            return Content.assemble(*parts)
        turn = self.turns["silence"]
        grade = turn.grades["function_turn"]
        parts.append(
            (
                f"with a tool call (fn {self.components.function_ms} ms): "
                f"{turn.function_turn_ms} ms ",
                "$text-muted",
            )
        )
        parts.append((grade, GRADE_STYLE[grade]))
        goals = "   goals: reply <1 s good, 1–2 s acceptable, >2 s poor"
        if sum(len(p if isinstance(p, str) else p[0]) for p in parts[-2:]) + len(goals) <= width:
            parts.append((goals, "$text-muted"))
        return Content.assemble(*parts)
