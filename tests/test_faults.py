"""Saving survives SIGKILL, concurrent writers, a read-only folder and a full disk."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest
from cli_support import ROOT

from tuner import presets
from tuner.errors import TunerError

# A writer that saves one preset over and over, alternating between two versions whose
# files differ in size (so a torn write could not pass for either).
WRITER = textwrap.dedent(
    """
    import sys
    from tuner import presets
    folder, tag = sys.argv[1], sys.argv[2]
    base = presets.load("normal")
    versions = [
        presets.from_params("shared", {"end_of_speech_timeout": 600, "attention_timeout_prompt": tag * 2000}, base=base),
        presets.from_params("shared", {"end_of_speech_timeout": 900, "attention_timeout_prompt": tag}, base=base),
    ]
    print("ready", flush=True)
    i = 0
    while True:
        presets.save(versions[i % 2], folder)
        i += 1
        if len(sys.argv) > 3 and i >= int(sys.argv[3]):
            break
    """
)


def start_writer(folder: Path, tag: str, count: int | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", WRITER, str(folder), tag, *([str(count)] if count else [])]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def assert_whole(path: Path, tags: str) -> None:
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    prompt = doc["params"]["attention_timeout_prompt"]
    eos = doc["params"]["end_of_speech_timeout"]
    assert any(prompt in (t * 2000, t) for t in tags)
    assert (eos, len(prompt) > 1) in ((600, True), (900, False))
    presets.load(str(path))


def test_sigkill_while_saving_never_leaves_a_torn_preset(tmp_path: Path) -> None:
    folder = tmp_path / "presets"
    target = folder / "shared.toml"
    rng = random.Random(1234)
    kills = 0
    for _ in range(25):
        proc = start_writer(folder, "a")
        time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.stdout is not None
        proc.stdout.close()
        kills += 1
        if target.exists():
            assert_whole(target, "a")
    assert kills == 25 and target.exists()
    # Leftovers of killed writers are hidden temporaries, never listed as presets.
    assert [p.name for p in presets.list_presets(folder) if p.source == "user"] == ["shared"]


def test_two_processes_saving_the_same_preset_do_not_corrupt_it(tmp_path: Path) -> None:
    folder = tmp_path / "presets"
    writers = [start_writer(folder, tag, count=150) for tag in "xy"]
    for proc in writers:
        assert proc.wait(timeout=120) == 0
        assert proc.stdout is not None
        proc.stdout.close()
    assert_whole(folder / "shared.toml", "xy")
    assert sorted(p.name for p in folder.iterdir()) == ["shared.toml"]


def test_a_full_disk_keeps_the_old_preset_and_says_why(small_disk: Path) -> None:
    folder = small_disk / "presets"
    first = presets.from_params("mine", {"ai_volume": 1})
    path = presets.save(first, folder)
    before = path.read_bytes()
    (small_disk / "filler").write_bytes(b"\0" * (64 * 1024 - len(before) - 4096 * 2))
    huge = presets.from_params("mine", {"attention_timeout_prompt": "x" * 20000})
    with pytest.raises(TunerError) as exc:
        presets.save(huge, folder)
    assert "No space left on device" in str(exc.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["mine.toml"]


def test_a_read_only_folder_is_a_clear_error(small_disk: Path) -> None:
    folder = small_disk / "presets"
    presets.save(presets.from_params("mine", {"ai_volume": 1}), folder)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(TunerError) as exc:
        presets.save(presets.from_params("mine", {"ai_volume": 2}), folder)
    assert str(exc.value) == f"{folder}: cannot write here: Read-only file system"
    assert presets.load(str(folder / "mine.toml")).params.ai_volume == 1


def test_a_folder_that_cannot_exist_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TunerError, match="cannot write here: Not a directory"):
        presets.save(presets.from_params("mine", {"ai_volume": 1}), blocker / "presets")
