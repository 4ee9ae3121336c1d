"""The help screen: what the editor shows and every key, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuner.tui.keys import KEYS, PALETTE_ONLY, key_display

ABOUT = """\
Left: the presets (⌂ built-in, ~ user); Enter opens one.
Middle: every param of the open preset, grouped as in the model: its value (empty = the \
platform default), unit, allowed range and help. ● marks a change ("was" = on disk); \
✗ is the model's error (the preset cannot be saved until fixed); ⚠ is a warning.
Right: the agent.set_params({...}) call and the TOML file as they stand, and the diff \
against the file as opened or any other preset.
Evidence (opened with --recordings / --calls): your callers' pauses as a histogram with ▲ at \
end_of_speech_timeout (△ turn_detection_timeout), the cut-offs per 100 caller turns, the wait \
each reply gains or loses and the first response from the calls' measured latencies, barge-ins \
and attention timeouts, each beside the opened preset's figure; the chooser shows one \
dialogue step. Redrawn on every change.
Bottom: one turn of the conversation (the platform's wait, ASR, LLM, TTS, network) for the \
current values, graded against the latency goals; edit the component latencies there.
Saving writes to the user presets folder; a built-in is never overwritten: saving it \
writes a user preset of the same name that shadows it."""


def keys_table() -> Table:
    """Every key as (key, action, what it does); the last column wraps, never cut."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, row_styles=["", "dim"])
    table.add_column("key", no_wrap=True, style="bold")
    table.add_column("action", no_wrap=True)
    table.add_column("what it does", ratio=1, overflow="fold")
    for binding in KEYS:
        table.add_row(key_display(binding.key), binding.description, binding.tooltip)
    for name, help_text, _ in PALETTE_ONLY:
        table.add_row("palette", name, f"{help_text} (ctrl+p, then type its name)")
    table.add_row("palette", "A param by name", "ctrl+p, then part of its name: jumps to it")
    table.add_row("^p", "Command palette", "Every action above, by name")
    table.add_row("tab", "Next field", "Move between fields; shift+tab goes back")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape,f1,q", "dismiss", "Close", id="close-help", tooltip="Close the help"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static("speech-tuner — help  (esc closes)", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(ABOUT, classes="help-about", markup=False)
                yield Static(keys_table(), id="help-keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
