"""The installed package carries the pause analysis but not the benchmarks' speech generator."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_has_the_analysis_and_not_the_speech_generator(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("speech_tuner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tuner/audio/analysis.py" in names and "tuner/audio/decode.py" in names
    assert not [n for n in names if n.endswith("synth.py") or n.startswith("benchmarks/")]
    # and nothing the package ships imports it
    for source in (ROOT / "tuner").rglob("*.py"):
        assert "synth" not in source.read_text(encoding="utf-8"), source
