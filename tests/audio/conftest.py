"""Fixtures for the recordings tests: a private presets folder and generated speech."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from audio_calls import CALLS, STORED

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def generated() -> dict[str, tuple[Path, dict[str, Any]]]:
    """Calls made with espeak-ng and committed with their truth: 16 kHz stereo as FLAC (caller
    on 0, agent on 1), 8 kHz mu-law stereo with noise at 10 dB SNR, and 8 kHz mu-law mono."""
    return {
        name: (CALLS / stored, json.loads((CALLS / f"{name}.json").read_text()))
        for name, stored in STORED.items()
    }
