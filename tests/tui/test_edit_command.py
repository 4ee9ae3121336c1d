"""`speech-tuner edit` on the command line: what fails before the app opens, and how."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tuner.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_set_key_is_an_error_with_a_did_you_mean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["edit", "--set", "end_of_speach_timeout=800"]) == 1
    err = capsys.readouterr().err
    assert 'end_of_speach_timeout: unknown param (did you mean "end_of_speech_timeout"?)' in err


def test_an_unknown_preset_is_an_error_naming_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["edit", "norml"]) == 1
    assert 'unknown preset "norml" (did you mean "normal"?)' in capsys.readouterr().err


def test_no_arguments_means_edit_and_without_a_terminal_it_says_so() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tuner"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "needs an interactive terminal" in result.stderr
    assert "Traceback" not in result.stderr
