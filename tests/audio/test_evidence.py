"""Minimum evidence, the bootstrap interval, and the public pause functions the editor uses."""

from __future__ import annotations

import json
from pathlib import Path

from tuner.audio import evidence
from tuner.audio.analysis import FileResult, Pause, Summary, cut_off_share, measure_pauses

MONO = Path(__file__).parent / "fixtures" / "speech-8k-mulaw-mono.wav"


def _old_rule(pauses: list[int], caller_min: float, target: float) -> int:
    """The scan the rule replaces: 250 ms up in 50 ms steps until under the target rate."""
    base = 250
    while base < 10000 and sum(p > base for p in pauses) / caller_min > target:
        base += 50
    return base


def test_the_rule_is_the_scan_over_the_timeout_grid() -> None:
    pauses = sorted([310, 420, 455, 610, 640, 700, 800, 950, 1210, 1390, 1620, 1880, 2400])
    for minutes in (0.5, 2.0, 4.0, 7.5, 30.0):
        for target in (0.0, 0.5, 1.0):
            assert evidence.rule(pauses, minutes, target) == _old_rule(pauses, minutes, target)


def test_thin_evidence_says_what_is_missing_and_enough_evidence_says_nothing() -> None:
    assert evidence.missing(3, 0.2) == (
        "27 more within-turn pauses (3 of 30) and 4.8 more minutes of caller speech (0.2 of 5)"
    )
    assert evidence.missing(30, 5.0) is None


def test_the_interval_narrows_as_pauses_accumulate_and_holds_the_value() -> None:
    # Pause lengths shaped like recorded callers: most 300-900 ms, a tail to ~1.8 s.
    base = [320, 350, 400, 430, 480, 520, 560, 610, 650, 700, 760, 820, 900, 1050, 1300, 1750]
    few = FileResult("a.wav", 60.0, 1, 0, base[::3], caller_speech_s=60.0)
    many = FileResult("b.wav", 600.0, 1, 0, base * 10, caller_speech_s=600.0)
    widths = []
    for result in (few, many):
        summary = Summary([result], "silero")
        value, _ = summary.recommend()
        interval = summary.interval()
        assert value is not None and interval is not None
        assert interval[0] <= value <= interval[1]
        widths.append(interval[1] - interval[0])
    assert widths[1] < widths[0]
    assert Summary([many], "silero").missing() is None
    assert Summary([few], "silero").missing() is not None


def test_measure_pauses_lists_each_pause_in_its_file() -> None:
    pauses = measure_pauses(str(MONO))
    truth = json.loads(MONO.with_suffix(".json").read_text())
    assert len(pauses) == len(truth["pause_spans_ms"])
    for p, (start, end) in zip(pauses, truth["pause_spans_ms"], strict=True):
        assert isinstance(p, Pause) and p.file == str(MONO) and p.detector == "silero"
        assert abs(p.start_ms - start) < 150 and abs(p.end_ms - end) < 150
        assert p.duration_ms == p.end_ms - p.start_ms


def test_cut_off_share_is_the_share_of_pauses_longer_than_the_timeout() -> None:
    pauses = [Pause("a.wav", 0, d, "silero") for d in (400, 800, 1200, 1600)]
    assert cut_off_share(pauses, 1000) == 0.5
    assert cut_off_share(pauses, 1600) == 0.0
    assert cut_off_share([400, 800, 1200, 1600], 300) == 1.0
    assert cut_off_share([], 500) == 0.0
