"""The pause analysis's documented defaults, importable without numpy (the CLI help shows them)."""

from __future__ import annotations

from typing import Literal

Backend = Literal["silero", "webrtc"]

#: The detector that measured pauses best on recorded human speech at 8 kHz mu-law, clean and in
#: pink and babble noise (benchmarks/accuracy.py --real; docs/recordings.md).
DEFAULT_BACKEND: Backend = "silero"
#: Detectors that lose badly on recorded human speech: offered only with this warning.
WEAK_ON_REAL_SPEECH: dict[Backend, str] = {
    "webrtc": "WebRTC drops whole words of real speech and reports them as pauses (on recorded "
    "callers: 2-25 false pauses per minute against Silero's 1-7, and mean errors up to 330 ms); "
    "use it only to compare with silero",
}

#: The end_of_speech_timeout values the table simulates (ms).
TIMEOUTS = range(250, 2001, 50)
#: Caller speech starting this soon after the agent starts talking (and while it still talks)
#: is a cut-off: the caller had not finished; later than that it is a barge-in.
CUTOFF_WINDOW_MS = 1000
#: Agent speech shorter than this (a click, a breath, line noise) does not end a caller's turn.
AGENT_MIN_MS = 250
#: Mono: longer silences are taken as turn ends, not pauses.
DEFAULT_MAX_PAUSE_MS = 2000
#: The recommendation keeps cut-offs at or below this many per minute of caller speech:
#: about one cut-off in every two minutes a caller talks.
DEFAULT_TARGET_PER_MIN = 0.5
#: Added to the recommendation for voice-detection error: the 95th percentile of how much shorter
#: than the truth each detector measured pauses, in the worst of clean and 10 dB SNR (speech-band,
#: white and pink noise), rounded up to 10 ms (benchmarks/accuracy.py; docs/recordings.md).
VAD_MARGIN_MS: dict[Backend, int] = {"silero": 170, "webrtc": 130}
#: The recordings a folder is searched for (read by soundfile; MP3 also by the mp3 extra).
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".mp3")
