"""The committed calls made with the speech generator, and how each was made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
CALLS = FIXTURES / "calls"
#: How each committed call was made with `tuner.audio.synth.make_call` (3 turns each).
CALL_RECIPES: dict[str, dict[str, Any]] = {
    "stereo16": dict(rate=16000, encoding="pcm16", stereo=True, snr_db=None, seed=11),
    "stereo8noisy": dict(rate=8000, encoding="mulaw", stereo=True, snr_db=10.0, seed=12),
    "mono16": dict(rate=16000, encoding="pcm16", stereo=False, snr_db=None, seed=13),
}
