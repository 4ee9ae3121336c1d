"""The committed calls made with the speech generator, and how each was made and stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
CALLS = FIXTURES / "calls"
#: How each committed call was made with `benchmarks/synth.py`'s `make_call` (3 turns each).
CALL_RECIPES: dict[str, dict[str, Any]] = {
    "stereo16": dict(rate=16000, encoding="pcm16", stereo=True, snr_db=None, seed=11),
    "stereo8noisy": dict(rate=8000, encoding="mulaw", stereo=True, snr_db=10.0, seed=12),
    "mono8": dict(rate=16000, encoding="pcm16", stereo=False, snr_db=None, seed=13),
}
#: How each is stored, to keep the fixtures small: the 16 kHz stereo call losslessly as FLAC
#: (16-bit PCM inside), the mono call resampled to 8 kHz and G.711 mu-law encoded, like a phone
#: line (its pauses are the generated ones: resampling keeps every sample's time).
STORED: dict[str, str] = {
    "stereo16": "stereo16.flac",
    "stereo8noisy": "stereo8noisy.wav",
    "mono8": "mono8.wav",
}
