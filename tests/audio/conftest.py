"""Fixtures for the recordings tests: a private presets folder and generated speech."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the user's real presets folder out of every test."""
    folder = tmp_path / "user-presets"
    monkeypatch.setenv("SPEECH_TUNER_PRESETS_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Calls made with espeak-ng: 16 kHz PCM stereo (caller on 0, agent on 1), 8 kHz mu-law
    stereo with noise at 10 dB SNR, and 16 kHz PCM mono, each with its truth."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("these tests need espeak-ng to generate speech: apt-get install espeak-ng")
    from tuner.audio.synth import make_call

    out = tmp_path_factory.mktemp("speech")
    calls = {
        "stereo16": dict(rate=16000, encoding="pcm16", stereo=True, snr_db=None, seed=11),
        "stereo8noisy": dict(rate=8000, encoding="mulaw", stereo=True, snr_db=10.0, seed=12),
        "mono16": dict(rate=16000, encoding="pcm16", stereo=False, snr_db=None, seed=13),
    }
    made = {}
    for name, kw in calls.items():
        wav = out / f"{name}.wav"
        make_call(wav, turns=3, **kw)  # type: ignore[arg-type]
        made[name] = (wav, json.loads(wav.with_suffix(".json").read_text()))
    return made
