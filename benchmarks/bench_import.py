"""The model's import next to the floor: one module that only defines a Pydantic model with the
same fields as SpeechTiming (generated now from its fields). Goal: ratio <= 1.3.

`import tuner` alone loads nothing (its public names load on first use), and `tuner.params` (the
table of params) and the presets layer load without pydantic; what is timed is `import
tuner.model`, the Pydantic model `SpeechTiming` that `tuner.SpeechTiming`, `presets.load()` and
every agent-side use pull in.

    python benchmarks/bench_import.py [--rounds N]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _timing import compare, python_env, report, rounds_from_argv

GOAL = 1.3


def floor_module() -> str:
    """Source of a module with a plain Pydantic model of the same fields, types and bounds."""
    from tuner.model import SpeechTiming
    from tuner.params import SPECS

    lines = [
        '"""The floor: only a Pydantic model with the same fields as SpeechTiming."""',
        "from pydantic import BaseModel, ConfigDict, Field",
        "",
        "class Floor(BaseModel):",
        '    model_config = ConfigDict(extra="forbid", validate_assignment=True)',
    ]
    for name, field in SpeechTiming.model_fields.items():
        spec = SPECS[name]
        extra = ""
        if spec.minimum is not None:
            bounds = {"minimum": spec.minimum, "maximum": spec.maximum}
            extra = f", json_schema_extra={bounds!r}"
        help_text = f"description={spec.help!r}"
        lines.append(f"    {name}: {field.annotation} = Field(default=None, {help_text}{extra})")
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "floor_model.py").write_text(floor_module(), encoding="utf-8")
        env = python_env(PYTHONPATH=f"{tmp}:{python_env()['PYTHONPATH']}")
        medians = compare(
            {
                "import tuner.model": [sys.executable, "-c", "import tuner.model"],
                "import floor_model (Pydantic model, same fields)": [
                    sys.executable,
                    "-c",
                    "import floor_model",
                ],
            },
            rounds=rounds_from_argv(21),
            env=env,
        )
    ok = report(
        "(a) import tuner.model vs a bare Pydantic model with the same fields (fresh interpreters)",
        medians,
        "import tuner.model",
        "import floor_model (Pydantic model, same fields)",
        GOAL,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
