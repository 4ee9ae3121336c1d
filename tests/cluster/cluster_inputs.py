"""Inputs the cluster tests share (a module of its own: every test folder has a conftest)."""

from __future__ import annotations

from pathlib import Path

AUDIO = Path(__file__).parent.parent / "audio" / "fixtures"


def speech_recordings() -> list[Path]:
    """Recordings with speech in them (generated calls, the mono speech sample), up to 1 MB."""
    found = sorted(
        p
        for p in AUDIO.rglob("*")
        if p.suffix in (".wav", ".flac") and 50_000 < p.stat().st_size < 1_000_000
    )
    assert len(found) >= 3, found
    return found
