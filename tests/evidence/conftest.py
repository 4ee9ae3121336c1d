"""Fixtures for the evidence commands: a private presets folder, no colour."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-presets"
    monkeypatch.setenv("SPEECH_TUNER_PRESETS_DIR", str(folder))
    monkeypatch.setenv("NO_COLOR", "1")
    return folder
