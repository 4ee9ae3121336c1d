"""`speech-tuner calls PATH --by preset`: as a user runs it, on files of generated payloads."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from cli_support import run_cli
from payloads import Arm, experiment_logs

from tuner import load

pytest.importorskip("numpy")


def write_logs(folder: Path, arms: list[Arm], per_arm: int, seed: int, **kw: object) -> Path:
    """One JSON-lines file per day, as the agent's call recorder writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    logs = experiment_logs(arms, per_arm, seed, **kw)  # type: ignore[arg-type]
    half = len(logs) // 2
    for day, chunk in (("2026-12-01", logs[:half]), ("2026-12-02", logs[half:])):
        (folder / f"{day}.jsonl").write_text("".join(json.dumps(p) + "\n" for p in chunk))
    return folder


def test_a_clear_experiment_prints_side_by_side_and_writes_the_winner(
    tmp_path: Path, user_presets: Path
) -> None:
    logs = write_logs(
        tmp_path / "logs",
        [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03, endpointing=900)],
        300,
        seed=5,
    )
    done = run_cli(
        "calls", str(logs), "--by", "preset", "--experiment", "exp-1", "--write-preset", "patient"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("experiment exp-1: 600 calls with a preset stamp")
    header = next(line for line in out.splitlines() if "normal" in line and "elderly" in line)
    assert header.split() == ["normal", "elderly"]
    assert "cut-offs per 100 caller turns" in out
    assert "first response p50 (ms)" in out
    assert "`elderly` cuts off " in out and "fewer caller turns per 100 (95% CI" in out
    assert "on 300 vs 300 calls" in out.replace("\n", " ")
    assert "keep `elderly`" in out
    assert f"wrote {user_presets / 'patient.toml'}" in done.stderr
    written = tomllib.loads((user_presets / "patient.toml").read_text())
    assert written["preset"]["extends"] == "elderly"
    assert load("patient").params.values() == load("elderly").params.values()


def test_too_few_calls_says_so_and_writes_nothing(tmp_path: Path, user_presets: Path) -> None:
    logs = write_logs(tmp_path / "logs", [Arm("normal"), Arm("elderly")], 20, seed=6)
    done = run_cli("calls", str(logs), "--by", "preset", "--write-preset", "patient")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "too few calls to tell `elderly` from `normal` (on 20 vs 20 calls): about " in text
    assert "no preset to keep yet" in text
    assert "not written" in done.stderr
    assert not (user_presets / "patient.toml").exists()


def test_json_report_has_every_preset_every_difference_and_the_decision(tmp_path: Path) -> None:
    logs = write_logs(
        tmp_path / "logs", [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03)], 200, 7
    )
    done = run_cli("calls", str(logs), "--by", "preset", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["presets"]["normal"]["calls"] == 200
    assert set(doc["presets"]["elderly"]) >= {"cut_offs_per_100_turns", "first_response_p90_ms"}
    comparison = doc["comparisons"][0]
    assert (comparison["baseline"], comparison["other"]) == ("normal", "elderly")
    cut = next(d for d in comparison["differences"] if d["figure"] == "cut_offs_per_100_turns")
    assert cut["clear"] and cut["ci"][1] < 0
    assert doc["decision"]["outcome"] in ("winner", "between")


def test_unreadable_payloads_are_reported_and_the_rest_compared(tmp_path: Path) -> None:
    logs = write_logs(tmp_path / "logs", [Arm("normal"), Arm("elderly")], 15, 8)
    (logs / "broken.json").write_text('{"call_log": [1, 2')
    done = run_cli("calls", str(logs), "--by", "preset")
    assert done.returncode == 1
    assert f"{logs / 'broken.json'}: truncated JSON" in done.stderr
    assert "Traceback" not in done.stderr
    assert "30 calls with a preset stamp" in done.stdout


def test_logs_without_a_stamp_say_how_to_get_one(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    payload = experiment_logs([Arm("normal")], 1, 9)[0]
    del payload["global_data"]
    (folder / "one.json").write_text(json.dumps(payload))
    done = run_cli("calls", str(folder), "--by", "preset", "--experiment", "exp-1")
    assert done.returncode == 1
    assert "no call of experiment 'exp-1' carries a preset stamp" in done.stderr
    assert "use_call_presets(agent, split=...)" in done.stderr


def test_experiment_without_by_preset_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("calls", str(tmp_path), "--experiment", "x")
    assert done.returncode == 2
    assert "go with --by preset" in done.stderr


def test_help_explains_by_preset_with_examples() -> None:
    done = run_cli("calls", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())  # argparse wraps at the terminal's width
    by = re.search(r"--by \{([a-z,]+)\}", text)
    assert by is not None and "preset" in by.group(1).split(",")
    # What --by preset does, where the stamp comes from, and how to narrow it down.
    assert "preset: each preset's figures side by side" in text
    assert "confidence interval (bootstrap over calls)" in text
    assert "use_call_presets(agent, split=...)" in text
    assert "--experiment NAME with --by preset: only the calls of this experiment" in text
    assert "--baseline PRESET with --by preset" in text
    assert "--by preset --experiment patience-1 --write-preset patient" in done.stdout


def test_a_baseline_that_did_not_run_is_said_plainly(tmp_path: Path) -> None:
    logs = write_logs(tmp_path / "logs", [Arm("normal"), Arm("elderly")], 12, 10)
    done = run_cli("calls", str(logs), "--by", "preset", "--baseline", "quick")
    assert done.returncode == 1
    assert "no calls ran with the baseline preset 'quick'" in done.stderr


def test_jobs_spread_files_over_processes_and_give_the_same_report(tmp_path: Path) -> None:
    logs = write_logs(
        tmp_path / "logs", [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03)], 60, 11
    )
    one = run_cli("calls", str(logs), "--by", "preset", "--format", "json")
    two = run_cli("calls", str(logs), "--by", "preset", "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 0, two.stderr
    assert json.loads(two.stdout) == json.loads(one.stdout)


def test_a_torn_last_line_is_skipped_and_said_not_a_crash(tmp_path: Path) -> None:
    # record_calls appends one line per call: a write in progress leaves an unterminated line.
    logs = write_logs(tmp_path / "logs", [Arm("normal"), Arm("elderly")], 15, 12)
    day = logs / "2026-12-02.jsonl"
    day.write_text(day.read_text() + '{"action": "post_conversation", "call_log": [')
    done = run_cli("calls", str(logs), "--by", "preset")
    assert done.returncode == 0, done.stderr
    assert f"{day}:16: incomplete last line skipped" in done.stderr
    assert "Traceback" not in done.stderr
    assert "30 calls with a preset stamp" in done.stdout
