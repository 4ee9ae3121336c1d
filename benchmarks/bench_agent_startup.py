"""What a user pays at agent startup: import the SDK + apply_preset(agent, "normal") + render,
next to import the SDK + set_params of the same dict + render. Goal: ratio <= 1.15.

    python benchmarks/bench_agent_startup.py [--rounds N]

Uses `signalwire_agents` if installed, else `signalwire`.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile

from _timing import compare, python_env, report, rounds_from_argv

GOAL = 1.15


def main() -> int:
    from tuner import preset_params

    sdk = next(s for s in ("signalwire_agents", "signalwire") if importlib.util.find_spec(s))
    params = preset_params("normal")
    head = f"from {sdk} import AgentBase\nagent = AgentBase(name='support')\n"
    render = "swml = agent._render_swml()\nassert 'end_of_speech_timeout' in swml\n"
    with_tuner = head + "from tuner import apply_preset\napply_preset(agent, 'normal')\n" + render
    plain = head + f"agent.set_params({params!r})\n" + render
    with tempfile.TemporaryDirectory() as presets_dir:
        env = python_env(SPEECH_TUNER_PRESETS_DIR=presets_dir)
        env.pop("SPEECH_TUNER_PRESET", None)
        medians = compare(
            {
                "SDK + apply_preset(agent, 'normal') + render": [sys.executable, "-c", with_tuner],
                "SDK + agent.set_params({...}) + render": [sys.executable, "-c", plain],
            },
            rounds=rounds_from_argv(11),
            env=env,
        )
    ok = report(
        f"(b) agent startup with {sdk}: apply_preset vs set_params of the same dict",
        medians,
        "SDK + apply_preset(agent, 'normal') + render",
        "SDK + agent.set_params({...}) + render",
        GOAL,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
