"""use_call_presets(): each call picks its preset with ?preset=, over real HTTP requests."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from swml_helpers import Platform, ai_verb, rendered_params

from tuner import TunerError, active_preset, apply_preset, load, use_call_presets


def values(name: str) -> dict[str, Any]:
    return load(name).params.values()


def params_of(swml: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = ai_verb(swml).get("params", {})
    return params


def make_agent(AgentBase: Any, **kwargs: Any) -> Any:
    """An agent with a SWAIG tool, so its SWML carries SWAIG URLs; records who handled calls."""

    class Support(AgentBase):  # type: ignore[misc, valid-type]
        handled: list[tuple[str | None, dict[str, Any]]]

        # No annotations: the SDK would read typed parameters as the tool's own arguments.
        @AgentBase.tool(name="lookup", description="Look up an order")
        def lookup(self, args, raw_data):  # type: ignore[no-untyped-def]
            return {"response": json.dumps({"preset": active_preset(self)})}

        def on_function_call(self, name: str, args: Any, raw_data: Any = None) -> Any:
            # `self` is the agent the SDK picked to handle this SWAIG request.
            self.handled.append((active_preset(self), dict(self._params)))
            return super().on_function_call(name, args, raw_data)

    agent = Support(name="support", **kwargs)
    agent.handled = []
    return agent


def test_two_calls_with_different_presets_do_not_see_each_others_values(
    AgentBase: Any, platform_for: Any
) -> None:
    agent = make_agent(AgentBase)
    agent.set_params({"temperature": 0.3})
    apply_preset(agent, "normal")
    base_before = dict(agent._params)
    use_call_presets(agent)
    platform: Platform = platform_for(agent)

    assert values("quick") != values("elderly") != values("normal")
    for _ in range(3):  # interleaved: a leak from one call would show in the next
        status_q, quick = platform.fetch_swml("?preset=quick")
        status_e, elderly = platform.fetch_swml("?preset=elderly")
        status_n, plain = platform.fetch_swml()
        assert (status_q, status_e, status_n) == (200, 200, 200)
        assert params_of(quick) == {"temperature": 0.3, **values("quick")}
        assert params_of(elderly) == {"temperature": 0.3, **values("elderly")}
        assert params_of(plain) == {"temperature": 0.3, **values("normal")}

    assert agent._params == base_before
    assert rendered_params(agent) == {"temperature": 0.3, **values("normal")}
    assert active_preset(agent) == "normal"


def test_a_user_preset_can_be_chosen_per_call(
    AgentBase: Any, platform_for: Any, presets_dir: Path
) -> None:
    (presets_dir / "night-shift.toml").write_text(
        '[preset]\nextends = "quick"\n\n[params]\nend_of_speech_timeout = 450\n'
    )
    agent = make_agent(AgentBase)
    use_call_presets(agent)
    status, swml = platform_for(agent).fetch_swml("?preset=night-shift")
    assert status == 200
    assert params_of(swml) == {**values("quick"), "end_of_speech_timeout": 450}


@pytest.mark.parametrize("asked", ["bogus", "Quick", "../../etc/passwd", "/tmp/x.toml", "x" * 5000])
def test_an_unknown_preset_falls_back_to_the_startup_params_with_a_warning(
    AgentBase: Any, platform_for: Any, caplog: pytest.LogCaptureFixture, asked: str
) -> None:
    agent = make_agent(AgentBase)
    apply_preset(agent, "elderly")
    use_call_presets(agent)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tuner"):
        status, swml = platform_for(agent).fetch_swml(f"?preset={asked}")
    assert status == 200
    assert params_of(swml) == values("elderly")
    warnings = [r.getMessage() for r in caplog.records if r.name == "tuner"]
    assert len(warnings) == 1
    assert "unknown preset" in warnings[0]
    assert "keeping the startup params (elderly)" in warnings[0]
    assert asked[:20] in warnings[0]
    assert len(warnings[0]) < 300  # a caller cannot flood the log with a long name


def test_without_a_startup_preset_an_unknown_one_keeps_the_agents_own_params(
    AgentBase: Any, platform_for: Any
) -> None:
    agent = make_agent(AgentBase)
    agent.set_params({"end_of_speech_timeout": 900})
    use_call_presets(agent)
    status, swml = platform_for(agent).fetch_swml("?preset=nope")
    assert status == 200
    assert params_of(swml) == {"end_of_speech_timeout": 900}


def test_swaig_urls_of_a_call_carry_its_preset_and_its_function_requests_get_its_params(
    AgentBase: Any, platform_for: Any
) -> None:
    agent = make_agent(AgentBase)
    apply_preset(agent, "normal")
    use_call_presets(agent)
    platform: Platform = platform_for(agent)

    status, swml = platform.fetch_swml("?preset=quick", call_id="call-1")
    assert status == 200
    url = ai_verb(swml)["SWAIG"]["functions"][0]["web_hook_url"]
    assert parse_qs(urlsplit(url).query)["preset"] == ["quick"]

    status, result = platform.call_function(url, "lookup", "call-1")
    assert status == 200
    assert "token is invalid" not in json.dumps(result)
    handler_preset, handler_params = agent.handled[-1]
    assert handler_preset == "quick"
    assert {k: handler_params[k] for k in values("quick")} == values("quick")
    assert agent._params == values("normal")


def test_function_requests_of_a_call_without_a_preset_get_the_startup_params(
    AgentBase: Any, platform_for: Any
) -> None:
    agent = make_agent(AgentBase)
    apply_preset(agent, "normal")
    use_call_presets(agent)
    platform: Platform = platform_for(agent)
    status, swml = platform.fetch_swml("", call_id="call-2")
    url = ai_verb(swml)["SWAIG"]["functions"][0]["web_hook_url"]
    assert "preset" not in parse_qs(urlsplit(url).query)
    status, _ = platform.call_function(url, "lookup", "call-2")
    assert status == 200
    assert agent.handled[-1] == ("normal", values("normal"))


def test_a_tool_method_sees_the_calls_preset_with_signalwire_not_with_signalwire_agents(
    AgentBase: Any, platform_for: Any
) -> None:
    """What each SDK does, as the docs say: `signalwire` binds tool methods to the call's copy
    of the agent; `signalwire_agents` keeps them bound to the agent built at startup."""
    agent = make_agent(AgentBase)
    apply_preset(agent, "normal")
    use_call_presets(agent)
    platform: Platform = platform_for(agent)
    _, swml = platform.fetch_swml("?preset=elderly", call_id="call-3")
    url = ai_verb(swml)["SWAIG"]["functions"][0]["web_hook_url"]
    status, result = platform.call_function(url, "lookup", "call-3")
    assert status == 200
    sdk = AgentBase.__module__.split(".")[0]
    expected = "elderly" if sdk == "signalwire" else "normal"
    assert json.loads(result["response"]) == {"preset": expected}
    assert agent.handled[-1][0] == "elderly"


def test_a_custom_query_parameter_and_a_restricted_list_of_presets(
    AgentBase: Any, platform_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    agent = make_agent(AgentBase)
    apply_preset(agent, "normal")
    table = use_call_presets(agent, "timing", presets=["quick"])
    assert list(table) == ["quick"]
    platform: Platform = platform_for(agent)
    _, swml = platform.fetch_swml("?timing=quick")
    assert params_of(swml) == values("quick")
    assert parse_qs(urlsplit(ai_verb(swml)["SWAIG"]["functions"][0]["web_hook_url"]).query)[
        "timing"
    ] == ["quick"]
    _, swml = platform.fetch_swml("?preset=quick")  # not the parameter in use
    assert params_of(swml) == values("normal")
    with caplog.at_level(logging.WARNING, logger="tuner"):
        _, swml = platform.fetch_swml("?timing=elderly")  # not offered
    assert params_of(swml) == values("normal")
    assert any("unknown preset 'elderly'" in r.getMessage() for r in caplog.records)


def test_the_agents_own_dynamic_config_still_runs_after_the_preset(
    AgentBase: Any, platform_for: Any
) -> None:
    def before(query: Any, body: Any, headers: Any, call_agent: Any) -> None:
        call_agent.set_params({"temperature": 0.1})
        if query.get("vip"):
            call_agent.set_params({"end_of_speech_timeout": 1500})

    def after(query: Any, body: Any, headers: Any, call_agent: Any) -> None:
        call_agent.set_params({"top_p": 0.5})

    agent = make_agent(AgentBase)
    apply_preset(agent, "normal")
    agent.set_dynamic_config_callback(before)
    use_call_presets(agent)
    agent.set_dynamic_config_callback(after)  # set later: must not switch presets off
    platform: Platform = platform_for(agent)
    _, swml = platform.fetch_swml("?preset=quick&vip=1")
    assert params_of(swml) == {**values("quick"), "top_p": 0.5}

    agent.set_dynamic_config_callback(before)
    _, swml = platform.fetch_swml("?preset=quick&vip=1")
    assert params_of(swml) == {**values("quick"), "temperature": 0.1, "end_of_speech_timeout": 1500}


def test_a_broken_user_preset_fails_at_startup_and_leaves_the_agent_alone(
    AgentBase: Any, presets_dir: Path
) -> None:
    (presets_dir / "loud.toml").write_text("[params]\nai_volume = 99\n")
    agent = make_agent(AgentBase)
    with pytest.raises(TunerError) as error:
        use_call_presets(agent)
    assert "loud.toml:2: ai_volume: 99 is above the maximum of 50" in str(error.value)
    assert agent._dynamic_config_callback is None


def test_an_unknown_preset_in_the_list_fails_at_startup(AgentBase: Any) -> None:
    agent = make_agent(AgentBase)
    with pytest.raises(TunerError, match='unknown preset "quik"'):
        use_call_presets(agent, presets=["quick", "quik"])
    assert agent._dynamic_config_callback is None
