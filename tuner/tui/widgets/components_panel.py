"""The latencies of ASR, LLM, TTS, network and a tool call, editable for the turn timeline."""

from __future__ import annotations

from dataclasses import fields, replace

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tuner.budget import Components
from tuner.tui.widgets.field import Field
from tuner.tui.widgets.param_row import compact

LABELS = {
    "asr_ms": "asr",
    "llm_ms": "llm",
    "tts_ms": "tts",
    "network_ms": "net",
    "function_ms": "fn",
}


class ComponentsPanel(Horizontal):
    """One small input per component; a valid change posts the new `Components`."""

    class Changed(Message):
        def __init__(self, components: Components) -> None:
            self.components = components
            super().__init__()

    def __init__(self, components: Components, id: str | None = None) -> None:
        super().__init__(id=id)
        self.components = components

    def compose(self) -> ComposeResult:
        yield Label("ms:", classes="components-title")
        for f in fields(self.components):
            yield Label(LABELS[f.name], classes="component-label")
            yield compact(
                Field(
                    str(getattr(self.components, f.name)),
                    type="integer",
                    id=f"component-{f.name}",
                    classes="component-input",
                    tooltip=f"{f.name}: latency used by the turn timeline (not saved in presets)",
                    select_on_focus=False,
                )
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        name = (event.input.id or "").removeprefix("component-")
        try:
            ms = int(event.value)
        except ValueError:
            event.input.add_class("-invalid")
            return
        if not 0 <= ms <= 60000:
            event.input.add_class("-invalid")
            return
        event.input.remove_class("-invalid")
        self.components = replace(self.components, **{name: ms})
        self.post_message(self.Changed(self.components))
