"""Shared test setup: every test gets its own empty user presets folder, never the real one."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def user_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user presets folder in tmp_path, named by $SPEECH_TUNER_PRESETS_DIR."""
    folder = tmp_path / "user-presets"
    monkeypatch.setenv("SPEECH_TUNER_PRESETS_DIR", str(folder))
    monkeypatch.delenv("SPEECH_TUNER_PRESET", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield folder


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB filesystem (tmpfs), so the disk really fills up."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr!r}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
