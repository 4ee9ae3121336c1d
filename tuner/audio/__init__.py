"""Pause analysis of call recordings: read audio, find voice activity, measure the caller's pauses.

Needs numpy and a voice-activity detector (`pip install 'speech-tuner[audio]'`); nothing here is
imported by `import tuner`.
"""

from tuner.audio.decode import Audio, AudioError, read_audio

__all__ = ["Audio", "AudioError", "read_audio"]
