"""Shared test setup: every test gets its own empty user presets folder, never the real one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def user_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user presets folder in tmp_path, named by $SPEECH_TUNER_PRESETS_DIR."""
    folder = tmp_path / "user-presets"
    monkeypatch.setenv("SPEECH_TUNER_PRESETS_DIR", str(folder))
    monkeypatch.delenv("SPEECH_TUNER_PRESET", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield folder
