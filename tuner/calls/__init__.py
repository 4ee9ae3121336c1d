"""SignalWire post_conversation payloads: read files → one payload's turns → analysis → advice.

Public interface:
- `analyse(paths, jobs=N)` → `Analysis` (a mergeable `Summary` with the report document);
  `analyse_file(path)` → `Summary`, the unit of parallel work; `Summary.merge(other)`.
- `call_figures(payload)` → `CallFigures`, one call's turn-taking figures; `iter_figures(paths)`
  streams them for every call in files; `PresetFigures` pools them per (preset, experiment)
  and merges.
- `read_call(payload)` → `Call`, every per-turn figure of one payload; `preset_of(payload)`.
"""

from tuner.calls.advice import Recommendation, recommend, recommended_params
from tuner.calls.analysis import GRADE_PERCENTILE, Analysis, analyse, analyse_file
from tuner.calls.figures import CallFigures, PresetFigures, call_figures, iter_figures
from tuner.calls.histogram import Histogram, percentile
from tuner.calls.payload import (
    CUT_OFF_GAP_MS,
    EARLY_BARGE_MS,
    Call,
    PayloadError,
    preset_of,
)
from tuner.calls.read import Failure, discover, parse_file
from tuner.calls.summary import StepSummary, Summary
from tuner.calls.turns import read_call

#: The name the payload reader had before the package split.
analyse_payload = read_call

__all__ = [
    "CUT_OFF_GAP_MS",
    "EARLY_BARGE_MS",
    "GRADE_PERCENTILE",
    "Analysis",
    "Call",
    "CallFigures",
    "Failure",
    "Histogram",
    "PayloadError",
    "PresetFigures",
    "Recommendation",
    "StepSummary",
    "Summary",
    "analyse",
    "analyse_file",
    "analyse_payload",
    "call_figures",
    "discover",
    "iter_figures",
    "parse_file",
    "percentile",
    "preset_of",
    "read_call",
    "recommend",
    "recommended_params",
]
