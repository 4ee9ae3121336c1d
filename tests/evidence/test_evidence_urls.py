"""The editor's evidence options take URLs like `pauses` and `calls` do: same figures, clear notes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from calllogs import write_calls

from tuner import evidence

RECORDINGS = Path(__file__).parent.parent / "audio" / "fixtures" / "calls"


def test_call_logs_over_https_give_the_same_evidence_as_the_local_folder(
    http_root: tuple[Path, str],
) -> None:
    pytest.importorskip("aiohttp")
    root, base = http_root
    write_calls(root / "logs", 12)
    local = evidence.load(calls=[str(root / "logs")])
    remote = evidence.load(calls=[f"{base}/logs/"])
    assert remote.notes == local.notes == []
    assert remote.calls == local.calls == 12
    assert sorted(remote.wait_ms) == sorted(local.wait_ms)  # type: ignore[type-var]
    assert sorted(remote.first_ms) == sorted(local.first_ms)  # type: ignore[type-var]


def test_recordings_over_https_are_fetched_and_measured_like_local_ones(
    http_root: tuple[Path, str],
) -> None:
    pytest.importorskip("aiohttp")
    pytest.importorskip("numpy")
    root, base = http_root
    wav = next(RECORDINGS.glob("*.wav"))
    shutil.copy(wav, root / wav.name)
    local = evidence.load([str(wav)])
    remote = evidence.load([f"{base}/{wav.name}"], jobs=1)  # in a child process, like the editor
    assert remote.notes == local.notes == []
    assert remote.recordings == 1
    assert remote.pause_ms == local.pause_ms
    assert remote.pause_ms  # the fixture call has pauses: the comparison is not of two empties


def test_a_missing_storage_backend_is_a_note_naming_the_package() -> None:
    import importlib.util

    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed here: the missing-backend note cannot be shown")
    ev = evidence.load(["s3://bucket/calls/"], ["s3://bucket/logs/"])
    assert any("s3fs" in note and "pip install s3fs" in note for note in ev.notes), ev.notes


def test_a_missing_url_among_good_inputs_is_a_note_and_the_rest_is_read(
    http_root: tuple[Path, str],
) -> None:
    pytest.importorskip("aiohttp")
    root, base = http_root
    write_calls(root / "logs", 5)
    ev = evidence.load(calls=[f"{base}/logs/", f"{base}/nothere.json"])
    assert ev.calls == 5
    assert any(note.startswith(f"{base}/nothere.json:") for note in ev.notes), ev.notes
