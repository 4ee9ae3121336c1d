"""A/B experiments between presets on live calls: the split, and the comparison of the arms."""

from tuner.experiment.split import (
    EXPERIMENT_QUERY,
    STAMP_EXPERIMENT,
    STAMP_PRESET,
    Split,
    caller_number,
    stamp,
)

__all__ = [
    "EXPERIMENT_QUERY",
    "STAMP_EXPERIMENT",
    "STAMP_PRESET",
    "Split",
    "caller_number",
    "stamp",
]
