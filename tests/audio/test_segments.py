"""From detector frames and levels to speech segments: noisy channels and missed loud speech."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import numpy as np

from tuner.audio.vad import TUNING, close_loud_gaps, min_gap_for, segments_from_probabilities


def _levels(spans_db: list[tuple[int, float]]) -> np.ndarray:
    """10 ms frame levels: (frames, dB) runs one after another."""
    return np.concatenate([np.full(n, db) for n, db in spans_db])


def test_a_short_silence_counts_as_a_pause_only_on_a_clean_channel() -> None:
    # A 265 ms silence between words: a pause when clean; on a channel only ~12 dB above its
    # noise it is what a comma looks like once the quiet ends of words sink into the noise.
    assert min_gap_for(80.0) < 265 < min_gap_for(12.0)
    levels = _levels([(100, -60.0), (100, -20.0), (27, -60.0), (100, -20.0), (100, -60.0)])
    segs = [(1000.0, 2000.0), (2265.0, 3265.0)]
    clean = close_loud_gaps(segs, levels, min_gap_ms=min_gap_for(80.0))
    assert len(clean) == 2
    assert abs(clean[0][1] - 2000) <= 10 and abs(clean[1][0] - 2270) <= 10  # 30 ms smoothing
    assert close_loud_gaps(segs, levels, min_gap_ms=min_gap_for(12.0)) == [(1000.0, 3265.0)]


def test_quiet_speech_the_detector_let_go_of_is_no_pause() -> None:
    # A read sentence (shape of the SPPAS French tracks at 8 kHz): Silero's probability sinks
    # to 0.25-0.33 over 400 ms of quiet speech 16 dB under the rest, so it reports a pause; the
    # level never comes near the floor there. That stretch is most of what lies outside the
    # detector's speech, so the floor must not be read from it.
    levels = _levels([(30, -60.0), (100, -22.0), (40, -38.0), (100, -22.0), (30, -60.0)])
    segs = [(300.0, 1300.0), (1700.0, 2700.0)]
    assert close_loud_gaps(segs, levels) == [(300.0, 2700.0)]


def test_a_breath_in_a_pause_leaves_the_pause() -> None:
    # A caller stops, breathes in (30 dB under the speech, as in the CID recordings) and goes
    # on: the pause is the whole silence, breath included.
    levels = _levels([(50, -65.0), (100, -20.0), (15, -65.0), (30, -50.0), (15, -65.0),
                      (100, -20.0), (50, -65.0)])  # fmt: skip
    segs = [(500.0, 1500.0), (2100.0, 3100.0)]
    out = close_loud_gaps(segs, levels)
    assert len(out) == 2
    assert abs(out[0][1] - 1500) <= 10 and abs(out[1][0] - 2100) <= 10


def test_pause_edges_follow_the_level_on_a_clean_channel() -> None:
    # The detector holds on 150 ms after a word's quiet last sound and picks the next word up
    # 50 ms early (its 32 ms frames and hangover); the level shows where the silence is:
    # 2100-2700 ms. The quiet last sound (15 dB under the speech) is speech.
    levels = _levels([(100, -70.0), (100, -20.0), (10, -35.0), (60, -70.0), (100, -20.0),
                      (100, -70.0)])  # fmt: skip
    segs = [(1000.0, 2250.0), (2650.0, 3700.0)]
    out = close_loud_gaps(segs, levels)
    assert len(out) == 2
    assert abs(out[0][1] - 2100) <= 10 and abs(out[1][0] - 2700) <= 10
    # In noise (speech 12 dB over the floor) the level cannot show the quiet ends of words:
    # the detector's edges are kept.
    noisy = _levels([(100, -32.0), (100, -20.0), (10, -26.0), (60, -32.0), (100, -20.0),
                     (100, -32.0)])  # fmt: skip
    assert close_loud_gaps(segs, noisy) == segs


def test_a_loud_word_the_detector_missed_splits_a_long_silence() -> None:
    # "Yes." (300 ms, as loud as the rest) between two sentences, with no detector speech on it.
    levels = _levels([(100, -90.0), (100, -20.0), (80, -90.0), (30, -22.0), (80, -90.0),
                      (100, -20.0), (100, -90.0)])  # fmt: skip
    segs = [(1000.0, 2000.0), (3900.0, 4900.0)]
    out = close_loud_gaps(segs, levels)
    assert len(out) == 3
    start, end = out[1]
    assert abs(start - 2800.0) <= 20 and abs(end - 3100.0) <= 20  # 30 ms level smoothing


def test_silero_probabilities_are_median_smoothed_before_the_thresholds() -> None:
    # Silero frames (32 ms) of real speech at 8 kHz: a lip click 96 ms after a word ends pokes
    # one frame over 0.5. Unsmoothed, the click joins the word (the gap to it is far under a
    # pause) and the 640 ms pause comes out 128 ms short; smoothed over 3 frames it is gone.
    pause = [0.05] * 3 + [0.7] + [0.05] * 16
    probs = np.array([0.02] * 5 + [0.9] * 12 + pause + [0.9] * 15 + [0.02] * 5, np.float32)
    tuning = TUNING["silero"]
    assert tuning.median_frames == 3
    shifts = tuning.start_shift_ms - tuning.end_shift_ms

    def gaps(segments: list[tuple[float, float]]) -> list[float]:
        return [b[0] - a[1] - shifts for a, b in pairwise(segments)]

    assert gaps(segments_from_probabilities(probs, tuning, 250)) == [20 * 32.0]
    plain = replace(tuning, median_frames=1)
    assert gaps(segments_from_probabilities(probs, plain, 250)) == [16 * 32.0]


def test_an_in_breath_pause_the_detector_held_on_to_is_a_pause_where_both_say_silence() -> None:
    # A caller stops for 430 ms and breathes in (30 dB under the speech, the shape of the CID
    # recordings at 8 kHz). Silero scores the breath 0.3-0.6, never under its 0.35 release for
    # long, so its speech runs through; the level is quiet and its median probability under 0.5.
    levels = _levels([(50, -70.0), (100, -20.0), (43, -50.0), (100, -20.0), (50, -70.0)])
    segs = [(500.0, 2930.0)]
    breath = np.concatenate([np.full(150, 0.95), np.full(43, 0.42), np.full(150, 0.95)])
    out = close_loud_gaps(segs, levels, detector_prob=breath)
    assert len(out) == 2
    assert abs(out[0][1] - 1500) <= 20 and abs(out[1][0] - 1930) <= 20
    # Without the detector's word, or where it is sure of speech (a long, quiet sound), the
    # level alone does not split Silero's speech.
    assert close_loud_gaps(segs, levels) == segs
    sure = np.concatenate([np.full(150, 0.95), np.full(43, 0.8), np.full(150, 0.95)])
    assert close_loud_gaps(segs, levels, detector_prob=sure) == segs
