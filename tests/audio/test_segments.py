"""From detector frames and levels to speech segments: noisy channels and missed loud speech."""

from __future__ import annotations

import numpy as np

from tuner.audio.vad import close_loud_gaps, min_gap_for


def _levels(spans_db: list[tuple[int, float]]) -> np.ndarray:
    """10 ms frame levels: (frames, dB) runs one after another."""
    return np.concatenate([np.full(n, db) for n, db in spans_db])


def test_a_short_silence_counts_as_a_pause_only_on_a_clean_channel() -> None:
    # A 265 ms silence between words: a pause when clean; on a channel only ~12 dB above its
    # noise it is what a comma looks like once the quiet ends of words sink into the noise.
    assert min_gap_for(80.0) < 265 < min_gap_for(12.0)
    levels = _levels([(100, -60.0), (100, -20.0), (27, -60.0), (100, -20.0), (100, -60.0)])
    segs = [(1000.0, 2000.0), (2265.0, 3265.0)]
    assert close_loud_gaps(segs, levels, min_gap_ms=min_gap_for(80.0)) == segs
    assert close_loud_gaps(segs, levels, min_gap_ms=min_gap_for(12.0)) == [(1000.0, 3265.0)]


def test_a_loud_word_the_detector_missed_splits_a_long_silence() -> None:
    # "Yes." (300 ms, as loud as the rest) between two sentences, with no detector speech on it.
    levels = _levels([(100, -90.0), (100, -20.0), (80, -90.0), (30, -22.0), (80, -90.0),
                      (100, -20.0), (100, -90.0)])  # fmt: skip
    segs = [(1000.0, 2000.0), (3900.0, 4900.0)]
    out = close_loud_gaps(segs, levels)
    assert len(out) == 3
    start, end = out[1]
    assert abs(start - 2800.0) <= 20 and abs(end - 3100.0) <= 20  # 30 ms level smoothing
