"""Every key binding of the app, as data: the footer, the help screen and the palette read it."""

from __future__ import annotations

from textual.binding import Binding

#: The editor's keys. Priority, so that they win over an Input's own ctrl+e (end of line).
KEYS: tuple[Binding, ...] = (
    Binding(
        "ctrl+s", "save", "Save", id="save", priority=True,
        tooltip="Save to the user presets folder; a built-in is shadowed by a user copy, "
        "never overwritten",
    ),
    Binding(
        "ctrl+n", "save_as", "Save as", id="save-as", priority=True,
        tooltip="Save the current values as a new user preset (asks the name)",
    ),
    Binding(
        "ctrl+e", "export", "Export", id="export", priority=True,
        tooltip="Write the preset to a file as TOML, a Python set_params call or JSON",
    ),
    Binding(
        "ctrl+r", "revert", "Revert", id="revert", priority=True,
        tooltip="Put the focused field back to its value on disk",
    ),
    Binding(
        "ctrl+y", "copy_python", "Copy", id="copy-python", priority=True, show=False,
        tooltip="Copy the agent.set_params({...}) call to the clipboard (terminals with OSC 52)",
    ),
    Binding(
        "ctrl+t", "next_tab", "Tabs", id="next-tab", priority=True,
        tooltip="Show the next side tab: Evidence (with --recordings/--calls), set_params, TOML, "
        "Diff (and Presets on narrow screens)",
    ),
    Binding(
        "f1", "help", "Help", id="help",
        tooltip="Show the keys and what the screen holds",
    ),
    Binding(
        "ctrl+q", "request_quit", "Quit", id="quit", priority=True,
        tooltip="Quit; asks first when there are unsaved changes",
    ),
)  # fmt: skip

#: Actions reachable only from the command palette: (name, help, action).
PALETTE_ONLY: tuple[tuple[str, str, str], ...] = (
    ("Revert all", "Put every field back to its value on disk", "revert_all"),
    (
        "Use platform default",
        "Clear the focused field so the platform's default applies",
        "use_default",
    ),
)


def key_display(key: str) -> str:
    return key.replace("ctrl+", "^")
