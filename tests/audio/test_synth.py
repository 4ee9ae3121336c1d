"""The speech generator behind the committed calls and the accuracy benchmark."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from audio_calls import CALL_RECIPES, CALLS

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_generator_makes_the_committed_calls(tmp_path: Path) -> None:
    """The generator still makes speech with pauses where its truth says (needs espeak-ng)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("the speech generator needs espeak-ng (apt-get install espeak-ng)")
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from synth import make_call
    finally:
        sys.path.remove(str(BENCHMARKS))

    wav = tmp_path / "mono8.wav"
    make_call(wav, turns=3, **CALL_RECIPES["mono8"])
    made = json.loads(wav.with_suffix(".json").read_text())
    committed = json.loads((CALLS / "mono8.json").read_text())
    # Stored at 8 kHz mu-law (audio_calls.STORED): the same call and pauses, another encoding.
    # The generator's clips go through the resampler, whose rounding of a clip's length may move
    # a pause edge by a millisecond; anything more is a changed generator.
    spans = ("pause_spans_ms", "pauses_ms", "caller_speech_s", "duration_s")
    stored = {**made, "path": "mono8.wav", "rate": 8000, "encoding": "mulaw"}
    assert {k: v for k, v in stored.items() if k not in spans} == {
        k: v for k, v in committed.items() if k not in spans
    }
    assert len(made["pause_spans_ms"]) == len(committed["pause_spans_ms"])
    for (a, b), (c, d) in zip(made["pause_spans_ms"], committed["pause_spans_ms"], strict=True):
        assert abs(a - c) <= 2 and abs(b - d) <= 2
    assert abs(made["duration_s"] - committed["duration_s"]) <= 0.005
    assert made["pauses_ms"], "the call has pauses to measure"
