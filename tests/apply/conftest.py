"""Fixtures for applying presets to a real SignalWire `AgentBase` (whichever SDK is installed)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from swml_helpers import SDKS, Platform


@pytest.fixture(autouse=True)
def presets_dir(user_presets: Path) -> Path:
    """The shared tmp user presets folder (see tests/conftest.py), created."""
    user_presets.mkdir(exist_ok=True)
    return user_presets


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
