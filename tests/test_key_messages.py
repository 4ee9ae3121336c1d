"""Every surface gives the classifier's one true message for a key that is not speech timing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tuner.cli import main
from tuner.keys import NOT_TIMING

# The set_params dict of signalwire-python examples/sigmond_simple.py (_configure_parameters),
# written as a preset's [params] table the way a user pastes it.
SIGMOND = """\
[params]
ai_model = "gpt-4.1-nano"
conscience = "Limit the conversation to the SignalWire Agents SDK and the SignalWire platform."
end_of_speech_timeout = 300
attention_timeout = 5000
inactivity_timeout = 3500000
speech_event_timeout = 900
enable_vision = true
video_idle_file = "https://mcdn.signalwire.com/videos/robot_idle2.mp4"
video_talking_file = "https://mcdn.signalwire.com/videos/robot_talking2.mp4"
temperature = 0.6
top_p = 0.3
"""


def test_validate_on_a_real_set_params_dict_gives_a_true_message_for_each_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sigmond.toml"
    path.write_text(SIGMOND)
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    messages = {}
    for line in lines:
        match = re.match(rf"{re.escape(str(path))}:(\d+): (\w+): (.*)", line)
        assert match, line
        messages[match[2]] = match[3]
    real = ["ai_model", "conscience", "enable_vision", "video_idle_file", "video_talking_file"]
    assert {key: messages[key] for key in real} == dict.fromkeys(real, NOT_TIMING)
    assert messages["attention_timeout"].startswith("5000 is not allowed: use 0 (off)")
    for key in ("temperature", "top_p"):
        assert messages[key].startswith(f"unknown param: {key} is a prompt setting")
    # The valid timing params have no message.
    assert set(messages) == {*real, "attention_timeout", "temperature", "top_p"}


def test_export_set_names_a_signalwire_param_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "normal", "--set", "local_tz=America/Chicago"]) == 1
    assert capsys.readouterr().err.strip() == f"--set: local_tz: {NOT_TIMING}"


def test_the_editor_set_names_a_signalwire_param_as_such(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["edit", "--set", "static_greeting=Hello"]) == 1
    assert capsys.readouterr().err.strip() == f"--set: static_greeting: {NOT_TIMING}"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'end_of_speech_timeout = "250"',
            '"250" is text; write it without quotes (a whole number of ms)',
        ),
        ('energy_level = "52.5"', '"52.5" is text; write it without quotes (a number of dB)'),
        (
            'enable_turn_detection = "false"',
            '"false" is text; write it without quotes (true or false)',
        ),
        ('wait_for_user = "TRUE"', '"TRUE" is text; write it without quotes (true or false)'),
    ],
)
def test_quoted_numbers_and_booleans_get_the_same_wording(
    toml: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quoted.toml"
    path.write_text(f"[params]\n{toml}\n")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err.strip().endswith(f": {message}")
