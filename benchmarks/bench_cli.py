"""CLI start-up: `speech-tuner export normal --format python` (as `python -m tuner ...`) next to
`python -c "from pydantic import BaseModel"`. Goal: ratio <= 3.

    python benchmarks/bench_cli.py [--rounds N]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

from _timing import compare, python_env, report, rounds_from_argv

GOAL = 3.0
EXPORT = [sys.executable, "-m", "tuner", "export", "normal", "--format", "python"]


def main() -> int:
    with tempfile.TemporaryDirectory() as presets_dir:
        env = python_env(SPEECH_TUNER_PRESETS_DIR=presets_dir)
        check = subprocess.run(EXPORT, env=env, capture_output=True, text=True, timeout=60)
        if check.returncode != 0 or "agent.set_params({" not in check.stdout:
            print(
                f"the export command does not work here:\n{check.stderr.strip()}", file=sys.stderr
            )
            return 2
        medians = compare(
            {
                "speech-tuner export normal --format python": EXPORT,
                'python -c "from pydantic import BaseModel"': [
                    sys.executable,
                    "-c",
                    "from pydantic import BaseModel",
                ],
            },
            rounds=rounds_from_argv(21),
            env=env,
        )
    ok = report(
        "(c) CLI export vs importing pydantic (fresh interpreters)",
        medians,
        "speech-tuner export normal --format python",
        'python -c "from pydantic import BaseModel"',
        GOAL,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
