"""Fixtures for applying presets to a real SignalWire `AgentBase` (whichever SDK is installed)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from swml_helpers import SDKS, Platform


@pytest.fixture(autouse=True)
def _isolated_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user's real presets and $SPEECH_TUNER_PRESET out of every test."""
    folder = tmp_path / "user-presets"
    folder.mkdir()
    monkeypatch.setenv("SPEECH_TUNER_PRESETS_DIR", str(folder))
    monkeypatch.delenv("SPEECH_TUNER_PRESET", raising=False)
    return folder


@pytest.fixture
def presets_dir(_isolated_presets: Path) -> Path:
    return _isolated_presets


@pytest.fixture(params=SDKS)
def AgentBase(request: pytest.FixtureRequest) -> Any:
    """The real `AgentBase` of each installed SDK."""
    return importlib.import_module(request.param).AgentBase


@pytest.fixture
def platform_for() -> Iterator[Any]:
    made: list[Platform] = []

    def make(agent: Any) -> Platform:
        made.append(Platform(agent))
        return made[-1]

    yield make
    for p in made:
        p.client.close()
