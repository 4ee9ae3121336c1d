"""Comparing presets on generated call logs: the right sign, "too few calls", no false claims."""

from __future__ import annotations

import pytest
from payloads import Arm, experiment_logs

from tuner.experiment.adapter import from_payload
from tuner.experiment.compare import MIN_CALLS, Comparison, compare
from tuner.experiment.figures import CallFigures

pytest.importorskip("numpy")

#: `elderly` truly cuts off fewer caller turns than `normal` (3 vs 8 in 100: what a
#: too-short end_of_speech_timeout does to slow talkers); everything else is the same.
CUTS_MORE = [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03)]
SAME = [Arm("normal"), Arm("elderly")]


def comparison(arms: list[Arm], per_arm: int, seed: int, **kwargs: object) -> Comparison:
    calls = [from_payload(p) for p in experiment_logs(arms, per_arm, seed)]
    result = compare(calls, seed=seed, **kwargs)  # type: ignore[arg-type]
    assert len(result.comparisons) == 1
    return result.comparisons[0]


def cut_offs(c: Comparison) -> object:
    return next(d for d in c.differences if d.figure.key == "cut_offs_per_100_turns")


@pytest.mark.parametrize("seed", range(6))
def test_at_400_calls_per_preset_the_true_difference_is_found_with_the_right_sign(
    seed: int,
) -> None:
    c = comparison(CUTS_MORE, 400, seed)
    d = cut_offs(c)
    assert d.clear and d.diff < 0  # type: ignore[attr-defined]
    assert d.high < 0  # type: ignore[attr-defined]
    assert c.verdict == "clear"
    sentence = c.sentence()
    assert sentence.startswith("`elderly` cuts off ")
    assert "fewer caller turns per 100 (95% CI " in sentence
    assert "on 400 vs 400 calls" in sentence


def test_at_20_calls_per_preset_it_says_too_few_calls_with_how_many_more() -> None:
    # With this difference 20 calls per preset tell it about one time in ten (measured over
    # 100 seeds: 9): the verdict must mostly be "too few calls", and never the wrong way round.
    verdicts = [comparison(CUTS_MORE, 20, seed) for seed in range(30)]
    too_few = [c for c in verdicts if not cut_offs(c).clear]  # type: ignore[attr-defined]
    assert len(too_few) >= 24
    assert not any(cut_offs(c).clear and cut_offs(c).diff > 0 for c in verdicts)  # type: ignore[attr-defined]
    for c in too_few:
        d = cut_offs(c)
        assert d.more_calls is not None and d.more_calls >= 1  # type: ignore[attr-defined]
    quiet = [c for c in verdicts if c.verdict == "too few calls"]
    assert quiet
    assert "too few calls to tell `elderly` from `normal` (on 20 vs 20 calls): about " in (
        quiet[0].sentence()
    )
    assert "more calls per preset would tell a difference of" in quiet[0].sentence()


def test_with_no_true_difference_false_claims_stay_at_or_below_5_percent() -> None:
    # 200 experiments of 30 calls per preset (the small end, where the bootstrap is least
    # sure of itself; at 20 the measured rate is 3.5%, at 100 about 3%). A claim on any of the
    # seven figures counts as false. 200 runs keep the test near ten seconds; a method at a
    # true 5% would exceed 10 claims in 200 about 40% of the time, one at 1-2% almost never.
    claims = sum(comparison(SAME, 30, 10_000 + seed).verdict == "clear" for seed in range(200))
    assert claims <= 10


def test_the_number_of_calls_said_to_be_needed_is_enough_to_tell() -> None:
    # At the calls it asks for, the difference is found in most experiments (aimed at 80%).
    said = [cut_offs(comparison(CUTS_MORE, 20, seed)).more_calls for seed in range(5)]  # type: ignore[attr-defined]
    per_arm = 20 + sorted(n for n in said if n is not None)[len(said) // 2]
    found = [
        cut_offs(comparison(CUTS_MORE, per_arm, 900 + s, resamples=2000)).clear for s in range(10)
    ]  # type: ignore[attr-defined]
    assert sum(found) >= 6, (per_arm, found)


def test_turns_of_one_call_are_not_counted_as_independent_evidence() -> None:
    # Two presets, one caller each, 200 turns per call: a turn-level bootstrap would call the
    # difference certain; over calls there are only 2 callers, which is nothing.
    heavy = CallFigures("normal", caller_turns=200, cut_offs=20)
    light = CallFigures("elderly", caller_turns=200, cut_offs=2)
    result = compare([heavy] * 1 + [light] * 1)
    assert result.comparisons[0].verdict == "too few calls"
    assert f"at least {MIN_CALLS} calls per preset" in result.comparisons[0].sentence()


def test_the_same_calls_give_the_same_report() -> None:
    calls = [from_payload(p) for p in experiment_logs(CUTS_MORE, 60, 3)]
    first = compare(calls).to_json()
    assert compare(list(reversed(calls))).to_json() != {} and compare(calls).to_json() == first


def test_only_the_named_experiment_counts_and_unstamped_calls_are_left_out() -> None:
    ours = experiment_logs(CUTS_MORE, 15, 1, experiment="exp-1")
    older = experiment_logs(CUTS_MORE, 10, 2, experiment="exp-0")
    unstamped = experiment_logs(SAME, 5, 3)
    for p in unstamped:
        del p["global_data"]["speech_tuner_preset"]
    calls = [from_payload(p) for p in ours + older + unstamped]
    result = compare(calls, experiment="exp-1")
    assert result.calls == {"normal": 15, "elderly": 15}
    assert result.left_out == 20 + 10
    assert not result.notes
    pooled = compare(calls)
    assert pooled.calls == {"normal": 25, "elderly": 25}
    assert pooled.notes == [
        "calls of experiments exp-0, exp-1 are pooled: name one with --experiment to compare "
        "only the calls it dealt"
    ]


def test_three_presets_are_each_compared_with_the_baseline() -> None:
    arms = [*CUTS_MORE, Arm("quick", cut_off=0.15, endpointing=400)]
    calls = [from_payload(p) for p in experiment_logs(arms, 150, 4)]
    result = compare(calls, resamples=2000)
    assert [(c.baseline, c.other) for c in result.comparisons] == [
        ("normal", "elderly"),
        ("normal", "quick"),
    ]
    quick = cut_offs(result.comparisons[1])
    assert quick.clear and quick.diff > 0  # type: ignore[attr-defined]
    assert "`quick` cuts off " in result.comparisons[1].sentence()
    assert "more caller turns per 100" in result.comparisons[1].sentence()
