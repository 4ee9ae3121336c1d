"""SVG snapshots of the Evidence tab at 80x24 and 120x40, after a change of end_of_speech_timeout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from calllogs import write_calls
from editor_ready import until_complete
from textual.pilot import Pilot

from tuner.tui.app import TunerApp, make_app

SIZES = [(80, 24), (120, 40)]


def saved_pauses(folder: Path) -> Path:
    """A saved `pauses --format json` result, as the command writes it (files[].pauses_ms and
    each file's turn ends), with callers who pause 300-1900 ms inside their turns."""
    files = [
        {"path": f"call{i}.wav", "duration_s": 90.0, "channels": 2, "caller_channel": 0,
         "pauses_ms": [300 + (i * 137 + k * 211) % 1600 for k in range(12)],
         "turn_ends": 9}
        for i in range(8)
    ]  # fmt: skip
    path = folder / "pauses.json"
    path.write_text(json.dumps({"files": files}), encoding="utf-8")
    return path


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_the_evidence_tab_after_moving_eos_to_1500(
    snap_compare: Any, size: tuple[int, int], tmp_path: Path
) -> None:
    write_calls(tmp_path / "logs", 40)
    pauses = saved_pauses(tmp_path)

    async def loaded(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, TunerApp)
        await until_complete(pilot.app, pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    # 1500 as an unsaved edit of normal's 500 (typing it is tested in test_evidence_panel.py).
    app = make_app(
        "normal",
        overrides=["end_of_speech_timeout=1500"],
        recordings=[str(pauses)],
        calls=[str(tmp_path / "logs")],
    )
    assert snap_compare(app, terminal_size=size, run_before=loaded)
