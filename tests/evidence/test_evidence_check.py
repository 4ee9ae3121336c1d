"""`speech-tuner check` on real agent files, loaded and rendered by the real SDK."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

LIST_FILLERS = dedent(
    """
    from signalwire_agents import AgentBase
    from signalwire_agents.core.function_result import SwaigFunctionResult


    class Support(AgentBase):
        def __init__(self):
            super().__init__(name="support", route="/support")
            self.prompt_add_section("Role", "You help callers with orders.")
            self.add_language("English", "en-US", "rime.spore")
            self.set_params({"end_of_speech_timeout": 900, "barge_min_words": 2})
            self.define_tool(
                name="lookup",
                description="Look up an order",
                parameters={"id": {"type": "string"}},
                handler=lambda args, raw: SwaigFunctionResult("found"),
                fillers=["One moment", "Let me check"],
            )
            self.define_tool(
                name="status",
                description="Order status",
                parameters={},
                handler=lambda args, raw: SwaigFunctionResult("ok"),
                fillers={"en-US": ["Sure"]},
            )


    agent = Support()

    if __name__ == "__main__":
        agent.run()
    """
)

OUT_OF_RANGE = dedent(
    """
    from signalwire_agents import AgentBase


    class Fast(AgentBase):
        def __init__(self):
            super().__init__(name="fast", route="/fast")
            self.prompt_add_section("Role", "Be quick.")
            self.set_params({
                "end_of_speech_timeout": 200,
                "attention_timeout": 5000,
                "barge_min_words": 0,
                "ai_model": "gpt-4o-mini",
            })


    class Other(AgentBase):
        def __init__(self):
            super().__init__(name="other", route="/other")
            self.prompt_add_section("Role", "Be calm.")
            self.set_params({"end_of_speech_timeout": 1000})
    """
)


def check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuner", "check", str(path), *args],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=120,
        check=False,
    )


def test_list_form_fillers_are_an_error_naming_the_function(tmp_path: Path) -> None:
    agent = tmp_path / "support_agent.py"
    agent.write_text(LIST_FILLERS)
    run = check(agent)
    assert run.returncode == 1, run.stderr
    assert "lookup.fillers" in run.stdout
    assert "status.fillers" not in run.stdout
    line = LIST_FILLERS.splitlines().index('            fillers=["One moment", "Let me check"],')
    assert f"support_agent.py:{line + 1}: lookup.fillers" in run.stdout
    assert "end_of_speech_timeout       900 ms" in run.stdout
    assert "agent" in run.stdout
    assert "Traceback" not in run.stderr


def test_valid_timing_shows_values_sources_and_the_budget(tmp_path: Path) -> None:
    agent = tmp_path / "support_agent.py"
    agent.write_text(LIST_FILLERS)
    doc = json.loads(check(agent, "--format", "json").stdout)
    rows = {r["param"]: r for r in doc["params"]}
    assert rows["end_of_speech_timeout"] == {
        "param": "end_of_speech_timeout",
        "group": "End of speech & turn detection",
        "value": 900,
        "source": "agent",
    }
    assert rows["turn_detection_timeout"]["source"] == "platform default"
    assert rows["turn_detection_timeout"]["value"] == 250
    assert doc["functions"] == ["lookup", "status"]
    silence = doc["budget"]["scenarios"]["silence"]
    assert silence["wait_ms"] == 900
    assert silence["first_response_ms"] == 900 + 150 + 450 + 250 + 100


def test_out_of_range_params_are_errors_with_file_line_and_key(tmp_path: Path) -> None:
    agent = tmp_path / "fast_agent.py"
    agent.write_text(OUT_OF_RANGE)
    run = check(agent, "--agent-class", "Fast")
    assert run.returncode == 1
    lines = OUT_OF_RANGE.splitlines()
    eos_line = next(i for i, t in enumerate(lines, 1) if '"end_of_speech_timeout": 200' in t)
    assert (
        f"fast_agent.py:{eos_line}: end_of_speech_timeout: 200 is below the minimum of 250 ms"
        in run.stdout
    )
    assert "attention_timeout: 5000 is not allowed" in run.stdout
    assert "barge_min_words: 0 is below the minimum of 1 word\n" in run.stdout
    assert "ai_model" in run.stdout  # listed as not a timing param, not an error
    assert "3 errors, 0 warnings" in run.stdout


def test_route_picks_one_of_several_agents(tmp_path: Path) -> None:
    agent = tmp_path / "agents.py"
    agent.write_text(OUT_OF_RANGE)
    run = check(agent, "--route", "/other", "--format", "json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["agent"] == "other"
    assert doc["errors"] == []
    assert doc["budget"]["scenarios"]["silence"]["wait_ms"] == 1000


def test_a_preset_shows_the_agent_with_that_preset_applied(tmp_path: Path) -> None:
    agent = tmp_path / "fast_agent.py"
    agent.write_text(OUT_OF_RANGE)
    run = check(agent, "--agent-class", "Fast", "--preset", "elderly", "--format", "json")
    doc = json.loads(run.stdout)
    rows = {r["param"]: r for r in doc["params"]}
    assert rows["end_of_speech_timeout"]["value"] == 800
    assert rows["end_of_speech_timeout"]["source"] == "preset elderly"
    assert doc["preset"] == "elderly"
    # the preset replaces every invalid value of this agent
    assert doc["errors"] == []
    assert run.returncode == 0
    assert doc["budget"]["scenarios"]["silence"]["wait_ms"] == 800


def test_set_values_go_on_the_preset_and_their_problems_are_filed_under_set(
    tmp_path: Path,
) -> None:
    agent = tmp_path / "fast_agent.py"
    agent.write_text(OUT_OF_RANGE)
    items = ["--set", "end_of_speech_timeout=900", "--set", "turn_detection_timeout=950"]
    run = check(agent, "--agent-class", "Fast", "--preset", "elderly", *items, "--format", "json")
    doc = json.loads(run.stdout)
    rows = {r["param"]: r for r in doc["params"]}
    assert rows["end_of_speech_timeout"]["value"] == 900
    assert rows["end_of_speech_timeout"]["source"] == "--set"
    assert rows["barge_min_words"]["source"] == "preset elderly"
    (warning,) = [w for w in doc["warnings"] if w["key"] == "turn_detection_timeout"]
    assert warning["path"] == "--set"
    # The same vocabulary as every command: booleans are true or false only.
    bad = check(agent, "--agent-class", "Fast", "--preset", "normal", "--set", "wait_for_user=on")
    assert bad.returncode == 1
    assert bad.stderr.strip() == '--set: wait_for_user: "on" is not true or false'
    alone = check(agent, "--set", "end_of_speech_timeout=900")
    assert alone.returncode == 2 and "--set needs --preset" in alone.stderr


def test_a_file_that_fails_to_load_is_one_error_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import nonexistent_module_xyz\n")
    run = check(broken)
    assert run.returncode == 1
    assert run.stderr == (
        f"{broken}:1: cannot load the agent: ModuleNotFoundError: No module named "
        "'nonexistent_module_xyz'\n"
    )
    assert "Traceback" not in run.stderr
    missing = check(tmp_path / "missing.py")
    assert missing.returncode == 1
    assert "no such file" in missing.stderr


UNGUARDED_RUN = dedent(
    """
    from signalwire_agents import AgentBase

    agent = AgentBase(name="plain", route="/")
    agent.set_params({"end_of_speech_timeout": 800})
    agent.run()          # no __main__ guard: importing this file would serve forever
    """
)


def test_an_agent_that_serves_at_import_is_checked_without_starting_a_server(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plain.py"
    path.write_text(UNGUARDED_RUN)
    run = check(path, "--format", "json")  # would hit the timeout if a server started
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["agent"] == "plain"
    (row,) = [p for p in report["params"] if p["param"] == "end_of_speech_timeout"]
    assert row["value"] == 800 and row["source"] == "agent"
    assert "Uvicorn running" not in run.stderr


def test_loading_leaves_the_sdks_run_and_serve_as_they_were(tmp_path: Path) -> None:
    from signalwire_agents import AgentBase

    from tuner.check import load_agent

    before = (AgentBase.run, AgentBase.serve, "run" in AgentBase.__dict__)
    path = tmp_path / "plain.py"
    path.write_text(UNGUARDED_RUN)
    assert load_agent(str(path)).name == "plain"
    assert (AgentBase.run, AgentBase.serve, "run" in AgentBase.__dict__) == before
