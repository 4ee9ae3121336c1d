"""Pause analysis of call recordings: read audio, find voice activity, measure the caller's pauses.

The modules below `decode` need numpy and a voice-activity detector (`pip install
'speech-tuner[audio]'`); this package itself and `defaults` import neither, so the command line can
show its help without them. Nothing here is imported by `import tuner`.
"""
