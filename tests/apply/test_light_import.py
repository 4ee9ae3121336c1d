"""`import tuner` stays light: no Textual, numpy or SignalWire SDK until a feature needs them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("textual", "numpy", "signalwire_agents", "signalwire")


def imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return {name.split(".")[0] for name in json.loads(out.splitlines()[-1])}


def test_import_tuner_imports_no_textual_numpy_or_signalwire_sdk() -> None:
    loaded = imported_after("import tuner")
    assert "tuner" in loaded and "pydantic" in loaded
    assert sorted(loaded & set(HEAVY)) == []


def test_the_public_api_is_usable_without_importing_the_sdk() -> None:
    loaded = imported_after(
        "from tuner import apply_preset, preset_params, use_call_presets, active_preset\n"
        "import tuner.apply, tuner.export, tuner.presets, tuner.params\n"
        "assert preset_params('normal')['end_of_speech_timeout'] == 500"
    )
    assert sorted(loaded & set(HEAVY)) == []


def test_the_experiment_modules_import_numpy_only_when_a_comparison_runs() -> None:
    loaded = imported_after(
        "import tuner.experiment, tuner.experiment.compare, tuner.experiment.decide\n"
        "import tuner.experiment.adapter, tuner.experiment.command\n"
        "from tuner.experiment import Split\n"
        "assert Split.parse({'normal': 1, 'quick': 1}, 'x').assign('15550100001')"
    )
    assert sorted(loaded & set(HEAVY)) == []
