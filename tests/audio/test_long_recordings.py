"""Long recordings are filtered block by block: the same result, without whole-file FFT memory."""

from __future__ import annotations

import tracemalloc

import numpy as np

from tuner.audio import vad


def test_blockwise_high_pass_matches_filtering_the_whole_signal() -> None:
    rate = 8000
    rng = np.random.default_rng(3)
    t = np.arange(int(75 * rate)) / rate  # longer than one block, with a partial last block
    x = (0.3 * np.sin(2 * np.pi * 40 * t) + 0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    x += rng.normal(0, 0.01, x.size).astype(np.float32)
    whole = vad._high_pass_block(x, rate, vad.HIGH_PASS_HZ)
    blocks = vad.high_pass(x, rate, vad.HIGH_PASS_HZ)
    inner = slice(rate, x.size - rate)  # the file's own edges are circular in both
    assert np.max(np.abs(blocks[inner] - whole[inner])) < 2e-3
    # the 40 Hz hum is gone and the 1 kHz tone kept
    spectrum = np.abs(np.fft.rfft(blocks[inner]))
    freqs = np.fft.rfftfreq(blocks[inner].size, 1 / rate)
    assert (
        spectrum[np.argmin(np.abs(freqs - 40))] < 0.01 * spectrum[np.argmin(np.abs(freqs - 1000))]
    )


def test_filtering_an_hour_needs_memory_for_a_block_not_the_hour() -> None:
    rate = 8000
    hour = np.zeros(3600 * rate, np.float32)  # 115 MB of samples
    tracemalloc.start()
    try:
        vad.high_pass(hour, rate, vad.HIGH_PASS_HZ)
        vad.frame_levels_db(hour, rate)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the output itself (115 MB) plus a few block-sized buffers, not several copies of the hour
    assert peak < hour.nbytes + 64 * 1024 * 1024
