"""The presets that can be opened, marked by where they come from."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuner.presets import PresetStore

MARKS = {"built-in": "⌂", "user": "~", "file": "·"}


class PresetList(OptionList):
    """Built-in and user presets; choosing one asks the screen to open it."""

    class Chosen(Message):
        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    def __init__(
        self,
        store: PresetStore,
        current: str,
        id: str = "preset-list",
    ) -> None:
        super().__init__(id=id, classes="preset-list")
        self.store = store
        self.current = current
        self.border_title = "Presets"
        self.tooltip = "Enter opens a preset (asks first if there are unsaved changes)"

    def on_mount(self) -> None:
        self.reload(self.current)

    def reload(self, current: str) -> None:
        """List the presets again (after a save) and mark the open one."""
        self.current = current
        self.clear_options()
        infos = self.store.list_presets()
        width = max((len(i.name) for i in infos), default=6)
        for info in infos:
            mark = MARKS[info.source]
            self.add_option(Option(f"{info.name.ljust(width)} {mark}", id=info.name))
        if all(i.name != current for i in infos):
            self.add_option(Option(f"{current.ljust(width)} {MARKS['file']}", id=current))
        self.highlighted = self.get_option_index(current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != self.current:
            self.post_message(self.Chosen(event.option.id))
