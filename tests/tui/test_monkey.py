"""A monkey at the keyboard: a few hundred seeded random key sequences through Pilot.

After every sequence: no exception, and the preset file on disk is either the original or a
state the model accepts (every other preset file too). The sequences are generated from a fixed
seed, so a failure names the sequence that caused it and reproduces.
"""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key

from tuner import presets
from tuner.tui.app import TunerApp, make_app

pytestmark = pytest.mark.anyio

SEED = 13
#: How many sequences (more with SPEECH_TUNER_MONKEY=N for a longer run).
SEQUENCES = int(os.environ.get("SPEECH_TUNER_MONKEY", "250"))
#: Keys a person presses in the editor and its dialogs, the risky ones included.
KEYS = (
    ["tab"] * 4
    + ["shift+tab"]
    + ["up", "down", "left", "right", "home", "end", "enter", "space", "escape"]
    + ["backspace"] * 3
    + ["delete", "ctrl+u"]
    + list("0123456789") * 3
    + ["minus", "full_stop", "a", "x", "$", "{", "}", "comma"]
    + ["ctrl+s", "ctrl+r", "ctrl+t", "ctrl+y", "ctrl+q", "ctrl+e", "ctrl+n", "ctrl+c"]
    + ["f1", "ctrl+p"]
)

#: A user preset as a person writes one (comments, own order), in the shape of the built-ins.
ORIGINAL = """\
# My support line: slower callers.
[preset]
description = "support"

[params]
end_of_speech_timeout = 900  # callers pause mid-sentence
barge_min_words = 3
attention_timeout_prompt = "Are you still there?"
enable_turn_detection = false
"""


def sequences() -> list[list[str]]:
    rng = random.Random(SEED)
    return [[rng.choice(KEYS) for _ in range(rng.randint(2, 8))] for _ in range(SEQUENCES)]


def type_fast(app: TunerApp, key: str) -> None:
    """Send a key as the terminal driver does; unlike `pilot.press`, without waiting for the
    app to go idle after it (a fast typist, and ten times quicker a test)."""
    char = {"minus": "-", "full_stop": ".", "comma": ",", "space": " "}.get(key, key)
    event = events.Key(
        key if len(key) > 1 or key.isalnum() else _character_to_key(key),
        char if len(char) == 1 else None,
    )
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


def check_disk(folder: Path, which: int, keys: list[str]) -> None:
    """The open preset is the original file or a valid saved state; so is every other file."""
    mine = folder / "mine.toml"
    assert mine.exists(), f"sequence {which} {keys}: the preset file is gone"
    text = mine.read_text()
    if text != ORIGINAL:
        presets.load(str(mine))  # raises on an invalid file
    for other in folder.glob("*.toml"):
        presets.load(str(other))


async def test_random_key_sequences_never_crash_or_leave_a_bad_file(
    presets_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # exports and screenshots land here
    (presets_dir / "mine.toml").write_text(ORIGINAL)
    todo = sequences()
    done = apps = 0
    while done < len(todo):
        apps += 1
        app = make_app("mine")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            while done < len(todo) and app.return_code is None:
                keys = todo[done]
                for key in keys:
                    if app.return_code is not None:
                        break
                    type_fast(app, key)
                    await asyncio.sleep(0)
                await pilot.pause()
                check_disk(presets_dir, done, keys)
                done += 1
        # Leaving `run_test` re-raises anything the app raised.
        assert app.return_code in (None, 0), f"sequence {done - 1}: {todo[done - 1]}"
    assert done == SEQUENCES and apps >= 1
