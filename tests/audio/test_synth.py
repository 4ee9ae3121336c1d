"""The speech generator behind the committed calls and the accuracy benchmark."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from audio_calls import CALL_RECIPES, CALLS


def test_the_generator_makes_the_committed_calls(tmp_path: Path) -> None:
    """The generator still makes speech with pauses where its truth says (needs espeak-ng)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("the speech generator needs espeak-ng (apt-get install espeak-ng)")
    from tuner.audio.synth import make_call

    wav = tmp_path / "mono16.wav"
    make_call(wav, turns=3, **CALL_RECIPES["mono16"])
    made = json.loads(wav.with_suffix(".json").read_text())
    committed = json.loads((CALLS / "mono16.json").read_text())
    assert {**made, "path": "mono16.wav"} == committed
    assert made["pauses_ms"], "the call has pauses to measure"
