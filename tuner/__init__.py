"""speech-tuner: validated speech-timing presets for SignalWire AI voice agents.

The public names are loaded on first use (PEP 562), so `import tuner.tui.app` or
`import tuner.cli` does not pay for pydantic and the model before it needs them;
`from tuner import apply_preset` works as always.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuner.apply import (
        active_experiment,
        active_preset,
        apply_preset,
        preset_params,
        use_call_presets,
    )
    from tuner.errors import Problem, TunerError
    from tuner.model import SpeechTiming
    from tuner.presets import Preset, load, save
    from tuner.recording import record_calls

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_LAZY = {
    "active_experiment": "tuner.apply",
    "active_preset": "tuner.apply",
    "apply_preset": "tuner.apply",
    "preset_params": "tuner.apply",
    "use_call_presets": "tuner.apply",
    "Problem": "tuner.errors",
    "TunerError": "tuner.errors",
    "SpeechTiming": "tuner.model",
    "Preset": "tuner.presets",
    "load": "tuner.presets",
    "save": "tuner.presets",
    "record_calls": "tuner.recording",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tuner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
