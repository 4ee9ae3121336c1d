"""One override vocabulary: `--set KEY=VALUE` on every command and a value typed in the editor are
read the same way, accepted or rejected the same way, with the same message."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuner.cli import main
from tuner.errors import TunerError
from tuner.params import SPECS, Value
from tuner.presets import field_text, parse_overrides, read_value
from tuner.tui.app import make_app

#: (KEY=VALUE, the value both must end with, or None when both must reject it)
TABLE: list[tuple[str, Value | None]] = [
    ("enable_barge=on", "on"),  # text, with the model's "unknown barge mode" warning
    ("enable_barge=true", True),
    ("enable_barge=false", False),
    ("enable_barge=partial", "partial"),
    ('enable_barge="complete,partial"', "complete,partial"),
    ("enable_barge=1", "1"),
    ("wait_for_user=on", None),
    ("wait_for_user=yes", None),
    ("wait_for_user=TRUE", None),
    ("wait_for_user=1", None),
    ("wait_for_user=true", True),
    ("wait_for_user=${wait}", "${wait}"),
    ("vad_config=75", "75"),
    ("vad_config=60:20", "60:20"),
    ('vad_config="60:20"', "60:20"),
    ("end_of_speech_timeout=800", 800),
    ("end_of_speech_timeout=800.0", 800),
    ("end_of_speech_timeout=1_000", 1000),
    ("end_of_speech_timeout= 650 ", 650),
    ("end_of_speech_timeout=200", None),
    ('end_of_speech_timeout="800"', None),
    ("end_of_speech_timeout=800ms", None),
    ("end_of_speech_timeout=800 # ms", None),
    ("end_of_speech_timeout=true", None),
    ("end_of_speech_timeout=[800]", None),
    ("end_of_speech_timeout=800.5", None),
    ("end_of_speech_timeout=${eos}", "${eos}"),
    ("end_of_speech_timeout=%{eos}", "%{eos}"),
    ("attention_timeout=0", 0),
    ("attention_timeout=5000", None),
    ("energy_level=40.5", 40.5),
    ("energy_level=inf", None),
    ("speech_rate=0.9", 0.9),
    ("speech_rate=${rate}", None),
    ("ai_volume=-5", -5),
    ("ai_volume=+5", 5),
    ("tts_number_format=national", "national"),
    ("tts_number_format=nationals", None),
    ("hard_stop_time=30m", "30m"),
    ("hard_stop_time=30 minutes", None),
    ("attention_timeout_prompt=Are you still there?", "Are you still there?"),
    ("attention_timeout_prompt=true", "true"),
    ("attention_timeout_prompt='Say \"hi\"'", 'Say "hi"'),
    ("barge_match_string=cancel order", "cancel order"),
    ("digit_terminators=#", "#"),
    ("end_of_speech_timeout=", None),  # the platform default: accepted, and no value
]
ACCEPT_EMPTY = {"end_of_speech_timeout="}


def _export(item: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Value], str]:
    code = main(["export", "normal", "--set", item, "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else {}, err


@pytest.mark.parametrize(("item", "expected"), TABLE, ids=[item for item, _ in TABLE])
def test_edit_and_export_accept_and_reject_a_set_value_alike(
    item: str, expected: Value | None, capsys: pytest.CaptureFixture[str]
) -> None:
    key = item.partition("=")[0]
    session = make_app("normal", overrides=[item]).session
    code, exported, err = _export(item, capsys)
    accepted = expected is not None or item in ACCEPT_EMPTY
    edit_error = session.errors().get(key)
    assert (edit_error is None) is accepted, edit_error
    assert (code == 0) is accepted, err
    if not accepted:
        assert edit_error is not None
        assert err.strip() == f"--set: {key}: {edit_error}"
        return
    assert session.value(key) == expected and exported.get(key) == expected
    assert type(session.value(key)) is type(exported.get(key))
    # The model's warnings about the value: the same words, filed under --set on the command line.
    warned = [line for line in err.splitlines() if line.startswith(f"--set: {key}: warning: ")]
    assert [w.split("warning: ", 1)[1] for w in warned] == session.warnings().get(key, [])


def test_a_bare_on_is_text_for_barge_with_a_warning_and_no_boolean_anywhere(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, exported, err = _export("enable_barge=on", capsys)
    assert code == 0 and exported["enable_barge"] == "on"
    assert "--set: enable_barge: warning: unknown barge mode 'on'" in err


def test_a_warning_caused_by_an_override_is_filed_under_set_not_the_preset_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["budget", "normal", "--set", "turn_detection_timeout=600"]) == 0
    err = capsys.readouterr().err
    assert "--set: turn_detection_timeout: warning: 600 ms is not shorter" in err
    assert "normal.toml" not in err


def test_show_files_a_rejected_override_under_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "normal", "--set", "wait_for_user=on"]) == 1
    assert capsys.readouterr().err.strip() == '--set: wait_for_user: "on" is not true or false'


def test_unknown_keys_and_malformed_items_are_errors_before_any_value_is_judged() -> None:
    with pytest.raises(TunerError) as exc:
        parse_overrides(["end_of_speach_timeout=800", "novalue", "=3", "wait_for_user=on"])
    assert [str(p) for p in exc.value.problems] == [
        '--set: end_of_speach_timeout: unknown param (did you mean "end_of_speech_timeout"?)',
        '--set: "novalue" is not KEY=VALUE',
        '--set: "=3" is not KEY=VALUE',
    ]


def test_the_last_of_repeated_keys_wins(capsys: pytest.CaptureFixture[str]) -> None:
    items = ["--set", "barge_min_words=3", "--set", "barge_min_words=4"]
    assert main(["export", "normal", *items, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["barge_min_words"] == 4


_VALUES = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
)


@given(st.sampled_from(sorted(SPECS)), _VALUES)
def test_field_text_reads_back_to_the_same_value(key: str, value: Value) -> None:
    """What the editor shows in a field is read back by `read_value` as what it shows."""
    if isinstance(value, str) and (value != value.strip() or not value.strip()):
        return  # a field's text is taken stripped, and empty means "default"
    kind = SPECS[key].kind
    if kind in ("text", "choice") and not isinstance(value, str):
        return  # text params hold text only
    if kind == "barge" and not isinstance(value, bool | str):
        return
    back = read_value(key, field_text(value))
    if isinstance(value, str) and kind not in ("text", "choice", "barge"):
        # For a number or boolean param, text that reads as a literal is that literal.
        return
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "normal"],
        ["show", "normal"],
        ["budget", "normal"],
        ["new", "mine"],
        ["new", "mine", "--from", "elderly"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("wait_for_user=on", '--set: wait_for_user: "on" is not true or false'),
        ("barge_min_words=0", "--set: barge_min_words: 0 is below the minimum of 1 word"),
        ('ai_volume="3"', '--set: ai_volume: "3" is text'),
    ],
)
def test_every_command_rejects_a_set_value_with_the_same_line(
    command: list[str], item: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--set", item]) == 1
    assert capsys.readouterr().err.startswith(message)
