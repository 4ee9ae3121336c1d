"""Every kind of broken preset gets one clear located line, exit 1, no traceback, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_support import run_cli

from tuner.cli import main

CORPUS = Path(__file__).parent / "data" / "invalid"
EXPECTED = dict(
    line.split("\t", 1) for line in (CORPUS / "EXPECTED.tsv").read_text().splitlines() if line
)


def test_the_corpus_and_its_expectations_match() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name.endswith(".toml")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_reports_the_expected_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    os.chdir(CORPUS)
    assert main(["validate", name]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == EXPECTED[name]
    assert "Traceback" not in out + err


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_of_a_broken_file_writes_nothing(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.py"
    assert main(["export", str(CORPUS / name), "--format", "python", "-o", str(target)]) == 1
    assert not target.exists()
    assert capsys.readouterr().err.strip()


def test_the_whole_corpus_in_one_run_reports_every_file_without_a_traceback() -> None:
    result = run_cli("validate", *sorted(EXPECTED), cwd=CORPUS)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for expected in EXPECTED.values():
        assert expected in result.stderr


def test_an_unreadable_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert main(["validate", str(loop)]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"{loop}: cannot be read: Too many levels of symbolic links"
    )


def test_an_unknown_preset_name_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "eldrly"]) == 1
    err = capsys.readouterr().err.strip()
    assert (
        err
        == 'unknown preset "eldrly" (did you mean "elderly"?); known presets: elderly, normal, quick'
    )


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("end_of_speech_timeout=9x", '--set: end_of_speech_timeout: "9x" is not a whole number'),
        ("end_of_speech_timeout=200", "--set: end_of_speech_timeout: 200 is below the minimum"),
        ("end_of_speach_timeout=500", 'did you mean "end_of_speech_timeout"'),
        ("novalue", '--set: "novalue" is not KEY=VALUE'),
    ],
)
def test_a_bad_set_value_is_one_line_and_writes_nothing(
    assignment: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.toml"
    assert main(["export", "normal", "--set", assignment, "-o", str(target)]) == 1
    assert expected in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize("name", ["../escape", "a/b", "Caps"])
def test_new_refuses_names_that_are_not_plain(
    name: str, user_presets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", name]) == 1
    assert "not a valid preset name" in capsys.readouterr().err
    assert not user_presets.exists() or not any(user_presets.rglob("*"))
