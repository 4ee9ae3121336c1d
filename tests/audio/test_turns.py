"""Telling pauses from turn ends and cut-offs, from caller and agent speech segments (ms)."""

from __future__ import annotations

from tuner.audio.analysis import FileResult, Summary, mono_pauses, stereo_pauses


def test_a_silence_the_agent_speaks_in_is_a_turn_end_not_a_pause() -> None:
    caller = [(0.0, 2000.0), (2600.0, 4000.0), (7000.0, 8000.0)]
    agent = [(4500.0, 6500.0)]
    pauses, turn_ends, cutoffs = stereo_pauses(caller, agent)
    assert pauses == [(2000.0, 2600.0)]
    assert (turn_ends, cutoffs) == (1, 0)


def test_caller_resuming_just_after_the_agent_starts_is_an_observed_cutoff() -> None:
    # The agent took the turn 800 ms into the caller's pause; the caller went on 300 ms later.
    caller = [(0.0, 2000.0), (3100.0, 5000.0)]
    agent = [(2800.0, 3600.0)]
    pauses, turn_ends, cutoffs = stereo_pauses(caller, agent)
    assert (turn_ends, cutoffs) == (0, 1)
    assert pauses == [(2000.0, 3100.0)]  # the caller had not finished: it was their pause


def test_caller_speaking_after_the_agent_finished_is_a_new_turn() -> None:
    caller = [(0.0, 2000.0), (3500.0, 5000.0)]
    agent = [(2500.0, 3000.0)]
    assert stereo_pauses(caller, agent) == ([], 1, 0)


def test_a_click_on_the_agent_channel_does_not_end_the_callers_turn() -> None:
    caller = [(0.0, 2000.0), (2900.0, 5000.0)]
    agent = [(2400.0, 2500.0)]
    assert stereo_pauses(caller, agent) == ([(2000.0, 2900.0)], 0, 0)


def test_mono_counts_silences_up_to_the_bound_as_pauses() -> None:
    caller = [(0.0, 1000.0), (1500.0, 2000.0), (5000.0, 6000.0)]
    assert mono_pauses(caller, 2000) == ([(1000.0, 1500.0)], 1)
    assert mono_pauses(caller, 4000) == ([(1000.0, 1500.0), (2000.0, 5000.0)], 0)


def test_no_pauses_means_no_recommendation() -> None:
    empty = FileResult("a.wav", 10.0, 2, 0, [], caller_speech_s=5.0)
    value, reason = Summary([empty], "silero").recommend()
    assert value is None
    assert "no within-turn pauses" in reason
