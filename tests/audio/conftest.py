"""Fixtures for the recordings tests: a private presets folder and generated speech."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


CALLS = FIXTURES / "calls"
#: How each committed call was made with `tuner.audio.synth.make_call` (3 turns each).
CALL_RECIPES: dict[str, dict[str, Any]] = {
    "stereo16": dict(rate=16000, encoding="pcm16", stereo=True, snr_db=None, seed=11),
    "stereo8noisy": dict(rate=8000, encoding="mulaw", stereo=True, snr_db=10.0, seed=12),
    "mono16": dict(rate=16000, encoding="pcm16", stereo=False, snr_db=None, seed=13),
}


@pytest.fixture(scope="session")
def generated() -> dict[str, tuple[Path, dict[str, Any]]]:
    """Calls made with espeak-ng and committed with their truth: 16 kHz PCM stereo (caller on
    0, agent on 1), 8 kHz mu-law stereo with noise at 10 dB SNR, and 16 kHz PCM mono."""
    return {
        name: (CALLS / f"{name}.wav", json.loads((CALLS / f"{name}.json").read_text()))
        for name in CALL_RECIPES
    }
