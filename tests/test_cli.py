"""The command line as a user meets it: help, outputs, files written and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import jsonschema_rs
import pytest
from cli_support import ROOT, run_cli

from tuner.cli import COMMAND_MODULES, build_parser, main
from tuner.presets import builtin_dir

Capture = pytest.CaptureFixture[str]


def commands() -> list[str]:
    parser = build_parser()
    return sorted(parser.commands)  # type: ignore[attr-defined]


def test_every_command_has_help_with_an_example(capsys: Capture) -> None:
    assert {"list", "show", "export", "validate", "diff", "new", "schema"} <= set(commands())
    assert "presets" in COMMAND_MODULES
    for name in commands():
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert f"speech-tuner {name}" in out.split("examples:")[1], name


def test_usage_errors_exit_2(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", "normal", "--format", "yaml"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_module_and_console_entry_points_agree() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("speech-tuner ")


def test_list_as_json_names_source_path_and_description(
    user_presets: Path, capsys: Capture
) -> None:
    user_presets.mkdir()
    (user_presets / "support.toml").write_text('[preset]\ndescription = "Help desk"\n[params]\n')
    assert main(["list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["quick", "normal", "elderly", "support"]
    assert rows[3] == {
        "name": "support",
        "source": "user",
        "path": str(user_presets / "support.toml"),
        "description": "Help desk",
    }
    assert rows[0]["source"] == "built-in" and rows[0]["path"] == str(builtin_dir() / "quick.toml")


def test_presets_dir_is_an_option_of_each_command(tmp_path: Path, capsys: Capture) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "team.toml").write_text("[params]\nbarge_min_words = 4\n")
    assert main(["show", "team", "--presets-dir", str(folder), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["params"] == [
        {
            "param": "barge_min_words",
            "value": 4,
            "unit": "words",
            "range": "1–99",
            "source": "this preset",
        }
    ]
    assert main(["show", "team"]) == 1  # not in the default folder


def test_show_says_where_each_value_comes_from(user_presets: Path, capsys: Capture) -> None:
    user_presets.mkdir()
    (user_presets / "kid.toml").write_text(
        '[preset]\nextends = "elderly"\n[params]\nai_volume = 2\n'
    )
    assert main(["show", "kid", "--all"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert rows["ai_volume"].endswith("this preset")
    assert rows["end_of_speech_timeout"].split()[1:3] == ["800", "ms"]
    assert rows["end_of_speech_timeout"].endswith("from elderly")
    assert rows["speech_timeout"].endswith("platform default")


def test_export_json_is_the_ai_params_object(capsys: Capture) -> None:
    assert main(["export", "normal", "--format", "json", "--set", "end_of_speech_timeout=650"]) == 0
    params = json.loads(capsys.readouterr().out)
    assert params["end_of_speech_timeout"] == 650
    assert params["barge_min_words"] == 2


def test_export_python_is_one_set_params_call(capsys: Capture) -> None:
    assert main(["export", "elderly", "--format", "python"]) == 0
    code = capsys.readouterr().out
    assert code.count("agent.set_params(") == 1
    compile(code, "<export>", "exec")
    assert '"end_of_speech_timeout": 800,' in code


def test_export_to_a_file_writes_a_loadable_preset(tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "mine.toml"
    assert main(["export", "quick", "--set", "barge_min_words=2", "-o", str(out)]) == 0
    assert tomllib.loads(out.read_text())["params"]["barge_min_words"] == 2
    assert main(["validate", str(out)]) == 0


def test_toml_export_validates_and_exports_identically(tmp_path: Path, capsys: Capture) -> None:
    for name in ("quick", "normal", "elderly"):
        first = tmp_path / f"{name}.toml"
        assert main(["export", name, "-o", str(first)]) == 0
        assert main(["validate", str(first)]) == 0
        capsys.readouterr()
        assert main(["export", str(first)]) == 0
        assert capsys.readouterr().out == first.read_text()


def test_validate_warnings_do_not_fail_unless_strict(tmp_path: Path, capsys: Capture) -> None:
    warn = tmp_path / "warn.toml"
    warn.write_text("[params]\nend_of_speech_timeout = 500\nturn_detection_timeout = 600\n")
    assert main(["validate", str(warn)]) == 0
    assert f"{warn}:3: turn_detection_timeout: warning:" in capsys.readouterr().out
    assert main(["validate", str(warn), "--strict"]) == 1


def test_validate_checks_every_file_and_reports_json(tmp_path: Path, capsys: Capture) -> None:
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text("[params]\nbarge_min_words = 2\n")
    bad.write_text("[params]\nbarge_min_words = 0\nend_of_speech_timeout = 11000\n")
    assert main(["validate", str(good), str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert [f["valid"] for f in report["files"]] == [True, False]
    assert [(p["line"], p["key"]) for p in report["files"][1]["problems"]] == [
        (2, "barge_min_words"),
        (3, "end_of_speech_timeout"),
    ]


def test_diff_lists_only_the_params_that_differ(capsys: Capture) -> None:
    assert main(["diff", "normal", "elderly", "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    changed = {d["param"]: (d["a"], d["b"]) for d in diff["differences"]}
    assert changed["end_of_speech_timeout"] == (500, 800)
    assert "speech_timeout" not in changed
    assert main(["diff", "normal", "normal"]) == 0
    assert "same params" in capsys.readouterr().out


def test_new_writes_a_user_preset_and_will_not_clobber_it(
    user_presets: Path, capsys: Capture
) -> None:
    args = ["new", "support", "--from", "normal", "--set", "end_of_speech_timeout=650"]
    assert main(args) == 0
    path = user_presets / "support.toml"
    doc = tomllib.loads(path.read_text())
    assert doc["preset"]["extends"] == "normal"
    assert doc["params"] == {"end_of_speech_timeout": 650}
    assert main(args) == 1
    assert "already exists" in capsys.readouterr().err
    assert main([*args, "--force", "--set", "barge_min_words=3"]) == 0
    assert tomllib.loads(path.read_text())["params"]["barge_min_words"] == 3


def test_schema_accepts_the_built_ins_and_rejects_bad_values(capsys: Capture) -> None:
    assert main(["schema"]) == 0
    validator = jsonschema_rs.validator_for(json.loads(capsys.readouterr().out))
    for path in builtin_dir().glob("*.toml"):
        assert validator.is_valid(tomllib.loads(path.read_text())), path
    assert not validator.is_valid({"params": {"end_of_speech_timeout": 200}})
    assert not validator.is_valid({"params": {"attention_timeout": 5000}})
    assert not validator.is_valid({"params": {"end_of_speach_timeout": 500}})
    assert validator.is_valid({"params": {"end_of_speech_timeout": "${eos}"}})


def test_built_in_presets_work_from_an_installed_wheel(tmp_path: Path) -> None:
    """Built from this tree, installed elsewhere, run away from the source: presets still load."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("speech_tuner-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {f"tuner/presets/builtin/{n}.toml" for n in ("quick", "normal", "elderly")} <= names
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    result = subprocess.run(
        [sys.executable, "-m", "tuner", "export", "elderly", "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(site)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["end_of_speech_timeout"] == 800
