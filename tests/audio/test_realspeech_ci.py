"""Pauses measured on real human speech: the CI set built by benchmarks/realspeech/ci_set.py
from LibriSpeech, AMI, LJ Speech and Common Voice clips under free licences, as 8 kHz mu-law
telephone audio. The audio is data kept beside the repository (shared/realspeech/ci, or
$REALSPEECH_CI, or benchmarks/.cache/realspeech-ci), not in it: where no copy is found the
measurement is skipped and says how to build one.

The set is small (7 clips, 5 required pauses, 3 of them >= 400 ms, about 0.6 minutes of speech)
and its truth is labelled from the level contour (its label edges move by up to ~100 ms between
the 18 and 26 dB thresholds), so the bounds are the issue's goals where one pause more or less
cannot flip them, and looser where the truth itself is uncertain:

- every required pause found (none missed): closing real pauses is what a bad threshold,
  smoothing or minimum-gap change does first;
- at most 1 false pause in the whole set (the goal is 1 per minute of speech; the set has 0.6
  minutes), so splitting words into pauses shows at once;
- mean absolute error <= 150 ms (the goals are 80 ms MAE and 150 ms p90 on aligned speech; the
  labels' own spread is up to ~100 ms): a wrong edge correction of ~100 ms or more fails it.
Today's figures: 0 missed, 0 false, MAE ~96 ms (python benchmarks/accuracy.py --real).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tuner.audio.analysis import measure_pauses
from tuner.audio.defaults import DEFAULT_BACKEND

REALSPEECH = Path(__file__).resolve().parents[2] / "benchmarks" / "realspeech"


def _import(name: str):  # type: ignore[no-untyped-def]
    for p in (REALSPEECH, REALSPEECH.parent):
        sys.path.insert(0, str(p))
    try:
        return __import__(name)
    finally:
        for p in (REALSPEECH, REALSPEECH.parent):
            sys.path.remove(str(p))


@pytest.fixture(scope="module")
def score():  # type: ignore[no-untyped-def]
    return _import("score")


@pytest.fixture(scope="module")
def ci_set() -> Path:
    found = _import("ci_set").locate()
    if found is None:
        pytest.skip(
            "no real-speech CI set: python benchmarks/realspeech/ci_set.py --lhotse DIR "
            "(a copy of github.com/lhotse-speech/lhotse), or REALSPEECH_CI=FOLDER"
        )
    return found


def test_the_labels_cover_seven_clips_with_five_required_pauses() -> None:
    clips = _import("ci_set").CLIPS
    assert len(clips) == 7
    assert sorted(b - a for c in clips for a, b in c.pauses_ms) == [280, 360, 690, 830, 950]
    for c in clips:  # every labelled gap lies inside the clip's speech
        assert all(c.speech_ms[0] <= a < b <= c.speech_ms[1] for a, b in c.pauses_ms)


def test_the_set_is_real_telephone_audio_with_its_truth(ci_set: Path) -> None:
    wavs = sorted(ci_set.glob("*.wav"))
    assert len(wavs) == 7
    docs = [json.loads(w.with_suffix(".json").read_text()) for w in wavs]
    assert sum(len(d["pause_spans_ms"]) for d in docs) == 5
    assert all(d["rate"] == 8000 and d["encoding"] == "mulaw" for d in docs)
    assert {d["licence"] for d in docs} <= {"CC BY 4.0", "CC0", "public domain"}
    assert sum(w.stat().st_size for w in wavs) < 1_000_000  # small enough to keep as shared data


def test_default_detector_finds_the_pauses_of_real_speech(score, ci_set: Path) -> None:  # type: ignore[no-untyped-def]
    files = score.load_set(ci_set)

    def measure(wav: Path) -> list[tuple[float, float]]:
        return [
            (p.start_ms, p.end_ms)
            for p in measure_pauses(str(wav), backend=DEFAULT_BACKEND, max_pause_ms=10000)
        ]

    table = score.score_set(files, measure, DEFAULT_BACKEND)
    r = table[("8k-mulaw-clean", "ci")]
    assert r["pauses"] == 5
    assert r["missed"] == 0, r
    assert r["false"] <= 1, r
    assert 0.5 <= r["speech_min"] <= 0.8, r
    assert r["mae_ms"] <= 150, r
