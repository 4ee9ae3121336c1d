"""`check` loads the agent files people write, on both SDKs, and never serves one.

Each agent below has the shape of a real example of the SDK repositories (named in its comment).
Every check runs in its own process, watched for listening sockets (there must never be one) and
killed if it hangs. Each agent is told to serve on a free port: were `check` to serve it, the
process would listen there and never finish.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from textwrap import dedent

import pytest
from check_runs import assert_clean, free_port, run_check

SDKS = [sdk for sdk in ("signalwire_agents", "signalwire") if importlib.util.find_spec(sdk)]


def write(folder: Path, name: str, text: str, sdk: str = "signalwire") -> Path:
    path = folder / name
    path.write_text(dedent(text).replace("SDK", sdk).replace("PORT", str(free_port())))
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if fragment in t)


# Follows signalwire-python examples/simple_agent.py: the successor SDK, an AgentBase subclass
# built and run by main() under the __main__ guard.
SUCCESSOR = """
    from signalwire import AgentBase
    from signalwire.core.function_result import FunctionResult


    class SimpleAgent(AgentBase):
        def __init__(self):
            super().__init__(name="simple", route="/simple", host="127.0.0.1", port=PORT)
            self.prompt_add_section("Personality", body="You are a friendly assistant.")
            self.add_language("English", "en-US", "inworld.Mark")
            self.set_params({
                "end_of_speech_timeout": 600,
                "ai_model": "gpt-4.1-nano",
                "local_tz": "America/Chicago",
            })

        @AgentBase.tool(name="get_time", description="Get the time")
        def get_time(self, args, raw_data):
            return FunctionResult("It is noon")


    def main():
        agent = SimpleAgent()
        print("Starting the agent")
        agent.run()


    if __name__ == "__main__":
        main()
"""


@pytest.mark.skipif("signalwire" not in SDKS, reason="signalwire-sdk is in the test extra")
def test_an_agent_of_the_successor_sdk_loads_and_reports_its_timing(tmp_path: Path) -> None:
    agent = write(tmp_path, "simple_agent.py", SUCCESSOR)
    run = run_check(agent, "--format", "json")
    assert_clean(run)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert (doc["agent"], doc["route"]) == ("simple", "/simple")
    rows = {r["param"]: r for r in doc["params"]}
    assert rows["end_of_speech_timeout"] == {
        "param": "end_of_speech_timeout",
        "group": "End of speech & turn detection",
        "value": 600,
        "source": "agent",
    }
    assert doc["other_params"] == ["ai_model", "local_tz"]
    assert doc["functions"] == ["get_time"]
    assert doc["errors"] == []


# Follows receptionist_agent_example.py of both SDK repositories: a subclass of a prefab,
# imported beside it, made and run only under the __main__ guard (the SDK's own loader stops
# at "Multiple service classes found" here).
PREFAB = """
    from SDK.prefabs import ReceptionistAgent


    class CustomReceptionistAgent(ReceptionistAgent):
        def __init__(self, **kwargs):
            departments = [
                {"name": "sales", "description": "Product questions", "number": "+15551235555"},
                {"name": "support", "description": "Technical help", "number": "+15551236666"},
            ]
            super().__init__(
                departments=departments, name="acme-receptionist", route="/reception",
                host="127.0.0.1", port=PORT, **kwargs,
            )
            self.set_params({"end_of_speech_timeout": 900, "barge_min_words": "2"})


    if __name__ == "__main__":
        agent = CustomReceptionistAgent()
        agent.run()
"""


@pytest.mark.parametrize("sdk", SDKS)
def test_a_prefab_subclass_beside_its_base_is_the_agent_checked(sdk: str, tmp_path: Path) -> None:
    agent = write(tmp_path, "receptionist.py", PREFAB, sdk)
    run = run_check(agent)
    assert_clean(run)
    assert run.returncode == 1, run.stderr
    assert "agent acme-receptionist at /reception" in run.stdout
    assert "Multiple service classes" not in run.stdout + run.stderr
    line = line_of(agent, '"barge_min_words": "2"')
    assert (
        f'{agent}:{line}: barge_min_words: "2" is text; write it without quotes (a whole number '
        "of words)" in run.stdout
    )


# Follows signalwire-agents examples/multi_agent_server.py: an AgentServer with two agents
# registered at their own routes, run under the __main__ guard.
SERVER = """
    from SDK import AgentBase, AgentServer


    class SalesAgent(AgentBase):
        def __init__(self):
            super().__init__(name="sales", route="/sales")
            self.prompt_add_section("Role", "You sell.")
            self.set_params({"end_of_speech_timeout": 700})


    class SupportAgent(AgentBase):
        def __init__(self):
            super().__init__(name="support", route="/support")
            self.prompt_add_section("Role", "You help.")
            self.set_params({"end_of_speech_timeout": 200, "silence_timeout": 500})


    server = AgentServer(host="127.0.0.1", port=PORT)
    server.register(SalesAgent(), "/sales")
    server.register(SupportAgent(), "/help")

    if __name__ == "__main__":
        server.run()
"""


@pytest.mark.parametrize("sdk", SDKS)
def test_every_agent_of_an_agent_server_is_checked_one_section_each(
    sdk: str, tmp_path: Path
) -> None:
    agent = write(tmp_path, "server.py", SERVER, sdk)
    run = run_check(agent)
    assert_clean(run)
    assert run.returncode == 1
    assert run.stdout.index("agent support at /help") < run.stdout.index("agent sales at /sales")
    assert f"{agent}:{line_of(agent, ': 200')}: end_of_speech_timeout: 200 is below" in run.stdout
    assert (
        f"{agent}:{line_of(agent, 'silence_timeout')}: silence_timeout: unknown param "
        '(did you mean "speech_timeout"?)' in run.stdout
    )
    assert "2 agents checked: 1 with errors" in run.stdout

    sales = run_check(agent, "--route", "/sales", "--format", "json")
    assert_clean(sales)
    assert sales.returncode == 0, sales.stderr
    assert json.loads(sales.stdout)["agent"] == "sales"

    wrong = run_check(agent, "--route", "/nope")
    assert wrong.returncode == 1
    assert "no agent at /nope; agents in this file: /help (SupportAgent), /sales (SalesAgent)" in (
        wrong.stderr
    )


@pytest.mark.parametrize("sdk", SDKS)
def test_several_agents_in_json_are_a_list_by_route(sdk: str, tmp_path: Path) -> None:
    agent = write(tmp_path, "server.py", SERVER, sdk)
    run = run_check(agent, "--format", "json")
    assert_clean(run)
    doc = json.loads(run.stdout)
    assert [a["route"] for a in doc["agents"]] == ["/help", "/sales"]
    assert [a["class"] for a in doc["agents"]] == ["SupportAgent", "SalesAgent"]


# Follows signalwire-agents examples/simple_agent.py and kubernetes_ready_agent.py: main()
# parses its own command line with argparse before running the agent.
OWN_ARGV = """
    import argparse

    from SDK import AgentBase


    def main():
        parser = argparse.ArgumentParser(description="Support agent")
        parser.add_argument("--port", type=int, default=PORT)
        parser.add_argument("--host", default="127.0.0.1")
        args = parser.parse_args()
        agent = AgentBase(name="cli-agent", route="/", host=args.host, port=args.port)
        agent.set_params({"end_of_speech_timeout": 1200, "enable_vision": "false"})
        agent.run()


    if __name__ == "__main__":
        main()
"""


@pytest.mark.parametrize("sdk", SDKS)
def test_an_agent_with_its_own_argparse_main_gets_a_clean_command_line(
    sdk: str, tmp_path: Path
) -> None:
    agent = write(tmp_path, "cli_agent.py", OWN_ARGV, sdk)
    run = run_check(agent, "--format", "json", "--query", "x=1", "--timeout", "60")
    assert_clean(run)
    assert "unrecognized arguments" not in run.stderr
    doc = json.loads(run.stdout)
    assert doc["agent"] == "cli-agent"
    (error,) = doc["errors"]
    assert error["key"] == "enable_vision"
    assert error["message"] == '"false" is text; write it without quotes (true or false)'
    assert error["line"] == line_of(agent, "enable_vision")


REQUIRED_ARG = """
    import argparse
    from SDK import AgentBase

    parser = argparse.ArgumentParser()
    parser.add_argument("--customer", required=True)
    args = parser.parse_args()
    agent = AgentBase(name=args.customer)
"""


def test_an_agent_that_exits_on_its_own_usage_error_is_one_clear_message(tmp_path: Path) -> None:
    agent = write(tmp_path, "needs_args.py", REQUIRED_ARG, SDKS[0])
    run = run_check(agent)
    assert_clean(run)
    assert run.returncode == 1
    assert "the following arguments are required: --customer" in run.stderr
    assert run.stderr.splitlines()[-1] == (
        f"{agent}:{line_of(agent, 'parse_args')}: the agent file exited with status 2 while "
        'loading (its message is above). It ran as "python needs_args.py" with no arguments; '
        "an agent with its own command line must work without any"
    )


# Follows signalwire-python examples/multi_agent_server.py and multi_endpoint_agent.py: the agents
# are mounted on the file's own FastAPI app, which it serves with uvicorn.run.
UVICORN = """
    from fastapi import FastAPI

    from SDK import AgentBase


    class HealthcareAgent(AgentBase):
        def __init__(self):
            super().__init__(name="healthcare", route="/healthcare")
            self.set_params({"end_of_speech_timeout": 1500, "attention_timeout": 30000})


    def create_app():
        app = FastAPI(redirect_slashes=False)
        healthcare = HealthcareAgent()
        app.include_router(healthcare.as_router(), prefix="/healthcare")
        return app


    if __name__ == "__main__":
        import uvicorn

        uvicorn.run(create_app(), host="127.0.0.1", port=PORT)
"""


@pytest.mark.parametrize("sdk", SDKS)
def test_an_agent_served_with_uvicorn_run_is_checked_without_a_server(
    sdk: str, tmp_path: Path
) -> None:
    agent = write(tmp_path, "app.py", UVICORN, sdk)
    run = run_check(agent, "--format", "json")
    assert_clean(run)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["agent"] == "healthcare"
    rows = {r["param"]: r["value"] for r in doc["params"]}
    assert rows["end_of_speech_timeout"] == 1500


OWN_SERVER = """
    from http.server import HTTPServer, SimpleHTTPRequestHandler
    from SDK import AgentBase

    agent = AgentBase(name="plain", route="/")
    agent.set_params({"end_of_speech_timeout": 800})

    if __name__ == "__main__":
        HTTPServer(("127.0.0.1", PORT), SimpleHTTPRequestHandler).serve_forever()
"""


def test_a_file_that_opens_a_port_itself_is_refused_the_port(tmp_path: Path) -> None:
    agent = write(tmp_path, "own_server.py", OWN_SERVER, SDKS[0])
    run = run_check(agent, "--format", "json")
    assert_clean(run)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["agent"] == "plain"


SLEEPS = """
    import time
    from SDK import AgentBase

    time.sleep(600)  # waits for a service that never comes
    agent = AgentBase(name="slow")
"""

SLEEPS_AFTER = """
    import time
    from SDK import AgentBase

    agent = AgentBase(name="slow")
    agent.set_params({"end_of_speech_timeout": 800})
    time.sleep(600)
"""


def test_an_agent_file_that_never_finishes_loading_is_stopped(tmp_path: Path) -> None:
    agent = write(tmp_path, "slow.py", SLEEPS, SDKS[0])
    run = run_check(agent, "--timeout", "3")
    assert_clean(run)
    assert run.returncode == 1
    assert f"{agent}:{line_of(agent, 'sleep(600)')}: stopped: loading took over 3 s" in run.stderr

    after = write(tmp_path, "slow_after.py", SLEEPS_AFTER, SDKS[0])
    run = run_check(after, "--timeout", "3")
    assert_clean(run)
    assert run.returncode == 0  # the agent made before the wait is checked, with a warning
    assert "end_of_speech_timeout       800 ms" in run.stdout
    assert (
        f"{after}:{line_of(after, 'sleep(600)')}: warning: stopped: loading took over 3 s"
        in run.stdout
    )


# Follows contexts_demo.py of both SDK repositories: a context with steps and their criteria.
CONTEXTS = """
    from SDK import AgentBase


    class ContextsDemoAgent(AgentBase):
        def __init__(self):
            super().__init__(name="Computer Sales Agent", route="/contexts-demo")
            self.prompt_add_section("Role", "You are Franklin, a computer sales agent.")
            self.add_language("English", "en-US", "inworld.Mark")
            self.set_params({"end_of_speech_timeout": 1000, "speech_gen_quick_stops": 11})
            contexts = self.define_contexts()
            sales = contexts.add_context("default")
            sales.add_step("determine_use_case") \\
                .set_text("Ask what the computer is for.") \\
                .set_step_criteria("The customer said what it is for") \\
                .set_valid_steps(["build_configuration"])
            sales.add_step("build_configuration") \\
                .set_text("Suggest a configuration.") \\
                .set_valid_steps(["determine_use_case"])


    agent = ContextsDemoAgent()

    if __name__ == "__main__":
        agent.run()
"""


@pytest.mark.parametrize("sdk", SDKS)
def test_an_agent_with_contexts_and_steps_is_checked(sdk: str, tmp_path: Path) -> None:
    agent = write(tmp_path, "contexts_demo.py", CONTEXTS, sdk)
    run = run_check(agent)
    assert_clean(run)
    assert run.returncode == 1
    assert (
        f"{agent}:{line_of(agent, 'speech_gen_quick_stops')}: speech_gen_quick_stops: 11 is above "
        "the maximum of 10" in run.stdout
    )


# Follows SignalWire-SDK-Workshop python/steps/step04_hello.py: the agent imports its project's
# own package from the project's root, where its users run it.
def test_an_agent_that_imports_its_project_from_the_root_loads_from_there(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "__init__.py").write_text(
        'TIMING = {"end_of_speech_timeout": 900, "attention_timeout": 20000}\n'
    )
    (tmp_path / "steps").mkdir()
    agent = tmp_path / "steps" / "hello.py"
    agent.write_text(
        f"from {SDKS[0]} import AgentBase\n"
        "from shared import TIMING\n\n"
        "agent = AgentBase(name='hello')\n"
        "agent.set_params(TIMING)\n"
    )
    run = run_check(Path("steps/hello.py"), "--format", "json", cwd=tmp_path)
    assert_clean(run)
    assert run.returncode == 0, run.stderr
    rows = {r["param"]: r["value"] for r in json.loads(run.stdout)["params"]}
    assert rows["end_of_speech_timeout"] == 900


EARLY_RETURN = """
    from SDK import AgentBase


    def main():
        print("Error: TMDB_API_KEY environment variable is required.")
        return
        AgentBase(name="movies").serve()


    if __name__ == "__main__":
        main()
"""


# Follows digital_employees moviebot.py: main() returns before making its agent when a key is missing.
def test_a_main_that_returns_early_runs_once_and_says_nothing_was_made(tmp_path: Path) -> None:
    agent = write(tmp_path, "moviebot.py", EARLY_RETURN, SDKS[0])
    run = run_check(agent)
    assert_clean(run)
    assert run.returncode == 1
    assert run.stderr.count("TMDB_API_KEY environment variable is required") == 1
    assert run.stderr.splitlines()[-1].startswith(f"{agent}: no agent found")
