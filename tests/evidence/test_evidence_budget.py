"""The turn-latency budget: arithmetic, grade boundaries and the `budget` command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tuner.budget import Components, budget, grade
from tuner.cli import main
from tuner.model import SpeechTiming


@pytest.mark.parametrize(
    ("metric", "ms", "expected"),
    [
        ("first_response", 999, "good"),
        ("first_response", 1000, "acceptable"),
        ("first_response", 2000, "acceptable"),
        ("first_response", 2001, "poor"),
        ("function", 499, "good"),
        ("function", 500, "acceptable"),
        ("function", 1000, "acceptable"),
        ("function", 1001, "poor"),
        ("function_turn", 1999, "good"),
        ("function_turn", 2000, "acceptable"),
        ("function_turn", 3000, "acceptable"),
        ("function_turn", 3001, "poor"),
    ],
)
def test_grades_put_each_boundary_in_acceptable(metric: str, ms: int, expected: str) -> None:
    assert grade(metric, ms) == expected


def test_first_response_and_function_turn_add_up_the_components() -> None:
    params = SpeechTiming(end_of_speech_timeout=600, turn_detection_timeout=200)
    comps = Components(asr_ms=100, llm_ms=400, tts_ms=200, network_ms=50, function_ms=700)
    turns = budget(params, comps, fillers=True)
    silence, detected = turns["silence"], turns["detected"]
    assert silence.wait_ms == 600
    assert silence.first_response_ms == 600 + 100 + 400 + 200 + 50
    assert silence.function_turn_ms == 600 + 100 + 400 + 700 + 400 + 200 + 50
    assert silence.perceived_silence_ms == 600 + 100 + 400 + 200 + 50
    assert detected.wait_ms == 200
    assert detected.first_response_ms == 950
    assert silence.grades == {
        "first_response": "acceptable",
        "function": "acceptable",
        "function_turn": "acceptable",
    }


def test_turn_detection_off_makes_both_scenarios_wait_the_silence_timeout() -> None:
    params = SpeechTiming(end_of_speech_timeout=900, enable_turn_detection=False)
    turns = budget(params)
    assert turns["detected"].wait_ms == turns["silence"].wait_ms == 900


def test_budget_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "budget", "normal", "--format", "json",
            "--asr-ms", "100", "--llm-ms", "300", "--tts-ms", "200", "--network-ms", "0",
            "--function-ms", "1001",
        ]
    )  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["preset"] == "normal"
    assert doc["components"] == {
        "asr_ms": 100, "llm_ms": 300, "tts_ms": 200, "network_ms": 0, "function_ms": 1001
    }  # fmt: skip
    silence = doc["scenarios"]["silence"]
    # normal: end_of_speech_timeout 500, turn_detection_timeout 250
    assert silence["wait_ms"] == 500
    assert silence["first_response_ms"] == 1100
    assert silence["function_turn_ms"] == 500 + 100 + 300 + 1001 + 300 + 200
    assert "perceived_silence_ms" not in silence
    assert silence["grades"] == {
        "first_response": "acceptable",
        "function": "poor",
        "function_turn": "acceptable",
    }
    assert doc["scenarios"]["detected"]["wait_ms"] == 250
    assert doc["scenarios"]["detected"]["first_response_ms"] == 850
    assert doc["scenarios"]["detected"]["grades"]["first_response"] == "good"


def test_set_override_and_fillers_change_the_budget(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        ["budget", "quick", "--set", "end_of_speech_timeout=1200", "--fillers", "--format", "json"]
    )
    silence = json.loads(capsys.readouterr().out)["scenarios"]["silence"]
    assert silence["wait_ms"] == 1200
    assert silence["perceived_silence_ms"] == silence["first_response_ms"] == 1200 + 950


def test_text_output_draws_a_bar_per_scenario_without_colour_when_piped() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tuner", "budget", "elderly"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "\033[" not in out
    assert "silence:" in out and "detected:" in out
    assert "waits end_of_speech_timeout = 800 ms" in out
    assert "1750 ms  acceptable" in out
    assert "░" in out and "▓" in out


def test_help_documents_the_component_defaults_and_their_sources() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tuner", "budget", "--help"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "default 450" in out and "TTFT" in out
    assert "examples:" in out


def test_unknown_preset_and_bad_override_exit_1_without_traceback() -> None:
    for args in (["nope"], ["normal", "--set", "end_of_speech_timeout=10"]):
        run = subprocess.run(
            [sys.executable, "-m", "tuner", "budget", *args], capture_output=True, text=True
        )
        assert run.returncode == 1
        assert "Traceback" not in run.stderr and run.stderr.strip()


def test_negative_component_is_a_usage_error() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tuner", "budget", "normal", "--llm-ms", "-5"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2
    assert "negative" in run.stderr
