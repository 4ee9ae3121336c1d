"""Every branch of a dynamic config is checked when `check` is given the request that selects it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_runs import assert_clean, run_check
from test_agent_shapes import SDKS, line_of, write

# Follows comprehensive_dynamic_agent.py of both SDK repositories: the dynamic config callback
# reads the tier from the query params and sets params per tier; its enterprise tier sets
# energy_level 150, above the schema's maximum of 100. The region header and the call's body
# pick other branches, as headers and body_params do in the SDK's callback.
TIERS = """
    from SDK import AgentBase


    class ComprehensiveDynamicAgent(AgentBase):
        def __init__(self, route="/dynamic"):
            super().__init__(name="Comprehensive Dynamic Agent", route=route, port=PORT)
            self.set_dynamic_config_callback(self.configure_agent_dynamically)

        def configure_agent_dynamically(self, query_params, body_params, headers, agent):
            tier = query_params.get("tier", "standard").lower()
            agent.add_language("English", "en-US", "inworld.Mark")
            agent.prompt_add_section("Role", f"You serve {tier} customers.")
            if tier == "enterprise":
                params = {
                    "end_of_speech_timeout": 800,
                    "attention_timeout": 25000,
                    "energy_level": 150,
                }
            elif tier == "premium":
                params = {"end_of_speech_timeout": 600, "attention_timeout": 20000}
            else:
                params = {"end_of_speech_timeout": 400, "attention_timeout": 15000}
            if headers.get("x-region") == "emea":
                params["local_tz"] = "Europe/Berlin"
                params["max_tokens"] = 300
            caller = body_params.get("call", {}).get("from", "")
            if caller.startswith("+49"):
                params["background_file_volume"] = "-10"
            agent.set_params(params)


    agent = ComprehensiveDynamicAgent()

    if __name__ == "__main__":
        agent.run()
"""


@pytest.fixture(params=SDKS)
def tiers(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return write(tmp_path, "comprehensive_dynamic_agent.py", TIERS, request.param)


def test_the_default_branch_passes_and_says_it_is_one_branch(tiers: Path) -> None:
    run = run_check(tiers)
    assert_clean(run)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "end_of_speech_timeout       400 ms" in run.stdout
    assert "configured per call (dynamic config)" in run.stdout


def test_query_selects_the_tier_whose_invalid_value_is_found_on_its_line(tiers: Path) -> None:
    run = run_check(tiers, "--query", "tier=enterprise", "--format", "json")
    assert_clean(run)
    assert run.returncode == 1
    doc = json.loads(run.stdout)
    assert doc["request"] == "?tier=enterprise"
    (error,) = doc["errors"]
    assert (error["key"], error["line"]) == ("energy_level", line_of(tiers, '"energy_level": 150'))
    assert error["message"] == "150 is above the maximum of 100 dB"


def test_a_query_key_given_several_times_checks_every_tier_in_one_go(tiers: Path) -> None:
    run = run_check(
        tiers, "--query", "tier=standard", "--query", "tier=premium", "--query", "tier=enterprise"
    )
    assert_clean(run)
    assert run.returncode == 1
    titles = [line for line in run.stdout.splitlines() if line.startswith("agent ")]
    assert [t.split(" (")[0] for t in titles] == [
        "agent Comprehensive Dynamic Agent at /dynamic ?tier=standard",
        "agent Comprehensive Dynamic Agent at /dynamic ?tier=premium",
        "agent Comprehensive Dynamic Agent at /dynamic ?tier=enterprise",
    ]
    assert "3 checked (1 agents, 3 requests each): 1 with errors" in run.stdout


def test_headers_and_body_reach_the_callback(tiers: Path) -> None:
    run = run_check(
        tiers,
        "--header",
        "X-Region: emea",
        "--body",
        '{"call": {"from": "+4930123456"}}',
        "--format",
        "json",
    )
    assert_clean(run)
    doc = json.loads(run.stdout)
    assert doc["other_params"] == ["local_tz", "background_file_volume"]
    errors = {e["key"]: e["message"] for e in doc["errors"]}
    assert errors == {
        "max_tokens": "unknown param: max_tokens is a prompt setting, not an ai.params one (set "
        "it with set_prompt_llm_params(max_tokens=...)); here it would be silently ignored; or "
        'did you mean "max_response_tokens"?',
        "background_file_volume": '"-10" is text; write it without quotes (a whole number)',
    }


def test_request_options_on_an_agent_without_dynamic_config_say_they_change_nothing(
    tmp_path: Path,
) -> None:
    agent = tmp_path / "static.py"
    agent.write_text(
        f"from {SDKS[0]} import AgentBase\n"
        "agent = AgentBase(name='static')\n"
        "agent.set_params({'end_of_speech_timeout': 700})\n"
    )
    run = run_check(agent, "--query", "tier=gold", "--query", "tier=free")
    assert_clean(run)
    assert run.returncode == 0
    assert run.stdout.count("agent static at /") == 1
    assert "no agent here has a dynamic config callback" in run.stdout


def test_malformed_request_options_are_usage_errors(tiers: Path) -> None:
    run = run_check(tiers, "--query", "tier")
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1].endswith("""argument --query: "tier" is not KEY=VALUE""")
    run = run_check(tiers, "--body", "{not json")
    assert run.returncode == 2
    assert "argument --body: is not JSON" in run.stderr
