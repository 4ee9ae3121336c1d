"""What an experiment says to keep: the winner, a preset between the two, or nothing yet."""

from __future__ import annotations

from dataclasses import replace

import pytest
from payloads import Arm, experiment_logs

from tuner import load
from tuner.experiment.adapter import from_payload
from tuner.experiment.compare import Comparison, compare
from tuner.experiment.decide import between, decide
from tuner.params import spec

pytest.importorskip("numpy")


def comparison(arms: list[Arm], per_arm: int = 300, seed: int = 1) -> Comparison:
    calls = [from_payload(p) for p in experiment_logs(arms, per_arm, seed)]
    return compare(calls, resamples=2000).comparisons[0]


def test_fewer_cut_offs_at_the_same_speed_wins() -> None:
    c = comparison([Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03)])
    d = decide(c)
    assert (d.outcome, d.preset) == ("winner", "elderly")
    assert "cut-offs per 100 caller turns" in d.reason


def test_the_baseline_wins_when_the_other_preset_is_clearly_worse() -> None:
    c = comparison([Arm("normal", cut_off=0.03), Arm("quick", cut_off=0.09)])
    assert (decide(c).outcome, decide(c).preset) == ("winner", "normal")


def test_fewer_cut_offs_for_a_slower_answer_in_the_same_grade_wins() -> None:
    # 1.5 s -> 1.85 s: both "acceptable" (1-2 s).
    c = comparison([Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03, endpointing=900)])
    d = decide(c)
    assert (d.outcome, d.preset) == ("winner", "elderly")
    assert "stays acceptable" in d.reason


def test_fewer_cut_offs_for_an_answer_a_grade_slower_meets_halfway() -> None:
    # 1.5 s -> about 2.6 s: "acceptable" becomes "poor".
    arms = [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03, endpointing=1900)]
    d = decide(comparison(arms))
    assert (d.outcome, d.preset) == ("between", "elderly")


def test_no_clear_difference_and_a_difference_only_in_the_wait_decide_nothing() -> None:
    assert decide(comparison([Arm("normal"), Arm("elderly")], per_arm=20)).outcome == "none"
    c = comparison([Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03)])
    wait = next(d for d in c.differences if d.figure.key == "endpointing_p50_ms")
    clear_wait = replace(wait, diff=300.0, low=250.0, high=350.0, clear=True)
    only_wait = replace(
        c,
        differences=tuple(
            clear_wait if d is wait else replace(d, clear=False) for d in c.differences
        ),
    )
    assert [d.figure.key for d in only_wait.clear] == ["endpointing_p50_ms"]
    d = decide(only_wait)
    assert d.outcome == "none" and "only in how long they wait" in d.reason


def test_halfway_averages_numbers_and_every_value_passes_the_model() -> None:
    normal, elderly = load("normal").params.values(), load("elderly").params.values()
    mid = between(elderly, normal)
    assert mid["end_of_speech_timeout"] == 650  # (800 + 500) / 2
    for key, value in mid.items():
        spec(key).validate(value)
    assert between({"attention_timeout": 0}, {"attention_timeout": 10000}) == {
        "attention_timeout": 0  # 5000 is no valid attention_timeout: the kept value stays
    }
    assert between({"barge_min_words": 3}, {"barge_min_words": 2}) == {"barge_min_words": 2}
