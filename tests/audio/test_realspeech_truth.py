"""The real-speech set's truth: pauses read from aligned transcriptions (benchmarks/realspeech)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REALSPEECH = Path(__file__).resolve().parents[2] / "benchmarks" / "realspeech"


@pytest.fixture(scope="module")
def alignments():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(REALSPEECH))
    try:
        import alignments as module
    finally:
        sys.path.remove(str(REALSPEECH))
    return module


# Shaped like the inter-pausal-unit TextGrids of SPPAS's samples: leading and trailing silence,
# "#" between units, and an empty interval (unlabelled silence) between two units.
TEXTGRID = """File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 9.5
tiers? <exists>
size = 1
item []:
    item [1]:
        class = "IntervalTier"
        name = "Transcription"
        xmin = 0
        xmax = 9.5
        intervals: size = 7
        intervals [1]:
            xmin = 0
            xmax = 1.22
            text = "#"
        intervals [2]:
            xmin = 1.22
            xmax = 2.88
            text = "I have a problem with my water softener."
        intervals [3]:
            xmin = 2.88
            xmax = 3.36
            text = "#"
        intervals [4]:
            xmin = 3.36
            xmax = 5.98
            text = "The water level is ""too"" high."
        intervals [5]:
            xmin = 5.98
            xmax = 6.18
            text = ""
        intervals [6]:
            xmin = 6.18
            xmax = 8.7
            text = "Could you send an engineer?"
        intervals [7]:
            xmin = 8.7
            xmax = 9.5
            text = "#"
"""

# Shaped like SPPAS's phone alignments (XRA): phones, '#' silences, two silences in a row.
XRA = """<?xml version='1.0' encoding='utf-8'?>
<Document><Tier id="t1" tiername="PhonAlign">
{}
</Tier></Document>"""


def _ann(begin: float, end: float, tag: str) -> str:
    return (
        f'<Annotation><Location><Interval><Begin midpoint="{begin}" radius="0.005" />'
        f'<End midpoint="{end}" radius="0.005" /></Interval></Location>'
        f"<Label><Tag>{tag}</Tag></Label></Annotation>"
    )


def test_a_textgrid_gives_the_silences_between_speech_as_pauses(alignments) -> None:  # type: ignore[no-untyped-def]
    intervals = alignments.read_textgrid(TEXTGRID, ("Transcription",))
    assert intervals[3][2] == 'The water level is "too" high.'
    truth = alignments.truth(intervals)
    # the 480 ms "#" is a pause; the 200 ms unlabelled gap is a silence but below 250 ms;
    # the leading and trailing silences are no pauses at all
    assert truth["pause_spans_ms"] == [(2880, 3360)]
    assert truth["pauses_ms"] == [480]
    assert truth["silence_spans_ms"] == [(2880, 3360), (5980, 6180)]
    assert truth["caller_speech_s"] == pytest.approx(1.66 + 2.62 + 2.52)


def test_adjacent_silences_in_a_phone_alignment_are_one_pause(alignments) -> None:  # type: ignore[no-untyped-def]
    anns = [(0.0, 0.5, "#"), (0.5, 0.6, "b"), (0.6, 0.7, "o~"), (0.7, 0.9, "#"),
            (0.9, 1.2, "+"), (1.2, 1.3, "Z"), (1.3, 1.4, "@"), (1.4, 2.0, "#")]  # fmt: skip
    xra = XRA.format("".join(_ann(*a) for a in anns))
    truth = alignments.truth(alignments.read_xra(xra))
    assert truth["pause_spans_ms"] == [(700, 1200)]


def test_a_missing_tier_is_an_error(alignments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="no tier named Word"):
        alignments.read_textgrid(TEXTGRID, ("Word",))
