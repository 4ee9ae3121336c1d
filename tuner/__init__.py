"""speech-tuner: validated speech-timing presets for SignalWire AI voice agents."""

from tuner.apply import (
    active_experiment,
    active_preset,
    apply_preset,
    preset_params,
    use_call_presets,
)
from tuner.errors import Problem, TunerError
from tuner.params import SpeechTiming
from tuner.presets import Preset, load, save
from tuner.recording import record_calls

__version__ = "0.1.0"

__all__ = [
    "Preset",
    "Problem",
    "SpeechTiming",
    "TunerError",
    "__version__",
    "active_experiment",
    "active_preset",
    "apply_preset",
    "load",
    "preset_params",
    "record_calls",
    "save",
    "use_call_presets",
]
