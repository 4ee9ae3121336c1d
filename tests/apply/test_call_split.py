"""use_call_presets(split=...): calls dealt between presets, sticky per caller, over real HTTP."""

from __future__ import annotations

import json
import logging
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from swml_helpers import Platform, ai_verb

from tuner import TunerError, active_experiment, active_preset, apply_preset, load, use_call_presets
from tuner.experiment import Split, caller_number


def values(name: str) -> dict[str, Any]:
    return load(name).params.values()


def make_agent(AgentBase: Any) -> Any:
    """An agent with a SWAIG tool and a post prompt, recording who handled what."""

    class Support(AgentBase):  # type: ignore[misc, valid-type]
        handled: list[tuple[str | None, str | None, dict[str, Any]]]
        summaries: list[tuple[str | None, str | None, Any]]

        @AgentBase.tool(name="lookup", description="Look up an order")
        def lookup(self, args, raw_data):  # type: ignore[no-untyped-def]
            return {"response": "ok"}

        def on_function_call(self, name: str, args: Any, raw_data: Any = None) -> Any:
            self.handled.append((active_preset(self), active_experiment(self), dict(self._params)))
            return super().on_function_call(name, args, raw_data)

        def on_summary(self, summary: Any, raw_data: Any = None) -> None:
            self.summaries.append((active_preset(self), active_experiment(self), raw_data))

    agent = Support(name="support")
    agent.set_post_prompt("Summarise the call as JSON.")
    agent.handled = []
    agent.summaries = []
    return agent


def swml_request(platform: Platform, call_id: str, caller: dict[str, Any], query: str = "") -> Any:
    """The platform's POST for a new call; the `call` object follows the SDK's own description
    of a SWML request (signalwire.rest...swml_webhooks_types SwmlRequestCall: `from`,
    `from_number`) and its simulator (`call.from` is the number, or an address for WebRTC)."""
    body = {"call": {"call_id": call_id, "type": "phone", **caller}, "vars": {}, "call_id": call_id}
    response = platform.client.post(f"/{query}", json=body, auth=platform.auth)
    assert response.status_code == 200
    return response.json()


def stamp_of(swml: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = ai_verb(swml).get("global_data", {})
    return {k: v for k, v in data.items() if k.startswith("speech_tuner_")}


def test_2000_calls_from_400_callers_split_50_50_sticky_stamped_and_seen_by_tools(
    AgentBase: Any, platform_for: Any
) -> None:
    agent = make_agent(AgentBase)
    apply_preset(agent, "normal")
    use_call_presets(agent, split={"normal": 50, "elderly": 50}, experiment="patience-1")
    platform: Platform = platform_for(agent)
    rng = random.Random(7)
    numbers = [f"+1{rng.randrange(200, 999)}555{n:04d}" for n in range(400)]
    calls = [number for number in numbers for _ in range(5)]
    rng.shuffle(calls)

    per_caller: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    for i, number in enumerate(calls):
        # The same caller as SignalWire may write it: E.164, a SIP URI, or only from_number.
        caller = [
            {"from": number, "from_number": number},
            {"from": f"sip:{number}@sip.example.com;user=phone"},
            {"from_number": number},
        ][i % 3]
        swml = swml_request(platform, f"call-{i}", caller)
        stamp = stamp_of(swml)
        preset = stamp["speech_tuner_preset"]
        assert stamp == {"speech_tuner_preset": preset, "speech_tuner_experiment": "patience-1"}
        assert ai_verb(swml)["params"] == values(preset)
        per_caller[number].add(preset)
        count[preset] += 1
        if i % 40 == 0:  # a tool call and the post-prompt of every 40th call
            ai = ai_verb(swml)
            url = ai["SWAIG"]["functions"][0]["web_hook_url"]
            status, _ = platform.call_function(url, "lookup", f"call-{i}")
            assert status == 200
            assert agent.handled[-1] == (preset, "patience-1", values(preset))
            summary_url = urlsplit(ai["post_prompt_url"])
            payload = {
                "action": "post_conversation",
                "call_id": f"call-{i}",
                "post_prompt_data": {},
            }
            response = platform.client.post(
                f"{summary_url.path}?{summary_url.query}", json=payload, auth=platform.auth
            )
            assert response.status_code == 200
            assert agent.summaries[-1][:2] == (preset, "patience-1")

    assert set(count) == {"normal", "elderly"}
    for preset in ("normal", "elderly"):
        assert 0.45 <= count[preset] / len(calls) <= 0.55, count
    assert all(len(got) == 1 for got in per_caller.values())
    assert len(per_caller) == 400
    assert agent.handled and agent.summaries
    assert agent._params == values("normal")  # the agent itself is never changed


def test_a_restart_deals_every_caller_the_same_preset_and_a_new_experiment_deals_afresh(
    AgentBase: Any, platform_for: Any
) -> None:
    def deal(experiment: str) -> dict[str, str]:
        agent = make_agent(AgentBase)  # a fresh agent: what a restarted process builds
        use_call_presets(agent, split={"quick": 1, "elderly": 1}, experiment=experiment)
        platform = platform_for(agent)
        return {
            n: stamp_of(swml_request(platform, n, {"from": n}))["speech_tuner_preset"]
            for n in (f"+1555010{k:04d}" for k in range(60))
        }

    first, again, other = deal("exp-a"), deal("exp-a"), deal("exp-b")
    assert first == again
    assert first != other  # independent: about half the callers move


def test_callers_without_a_number_are_dealt_at_random(AgentBase: Any, platform_for: Any) -> None:
    agent = make_agent(AgentBase)
    use_call_presets(agent, split={"quick": 50, "elderly": 50}, experiment="anon")
    platform: Platform = platform_for(agent)
    got = Counter()
    for i in range(80):
        caller = [{"from": "anonymous"}, {"from": "user-3fa2b1c4@test.domain"}, {}][i % 3]
        got[stamp_of(swml_request(platform, f"c{i}", caller))["speech_tuner_preset"]] += 1
    # Sharing one bucket would put all 80 in one preset (chance of that at random: 2 in 10^24).
    assert got["quick"] > 10 and got["elderly"] > 10


def test_an_explicit_preset_wins_over_the_split_and_is_not_in_the_experiment(
    AgentBase: Any, platform_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    agent = make_agent(AgentBase)
    use_call_presets(agent, split={"normal": 50, "elderly": 50}, experiment="exp")
    platform: Platform = platform_for(agent)
    swml = swml_request(platform, "c1", {"from": "+15550100001"}, "?preset=quick")
    assert ai_verb(swml)["params"] == values("quick")
    assert stamp_of(swml) == {"speech_tuner_preset": "quick"}
    url = ai_verb(swml)["SWAIG"]["functions"][0]["web_hook_url"]
    assert "speech_tuner_experiment" not in parse_qs(urlsplit(url).query)
    platform.call_function(url, "lookup", "c1")
    assert agent.handled[-1][:2] == ("quick", None)

    with caplog.at_level(logging.WARNING, logger="tuner"):
        swml = swml_request(platform, "c2", {"from": "+15550100001"}, "?preset=bogus")
    assert stamp_of(swml)["speech_tuner_experiment"] == "exp"  # dealt by the split instead
    assert any("dealing the call by the split" in r.getMessage() for r in caplog.records)


def test_weights_are_honoured_for_uneven_splits_and_three_presets() -> None:
    split = Split.parse({"normal": 70, "quick": 20, "elderly": 10}, "three-way")
    got = Counter(split.assign(f"1555{n:07d}") for n in range(20000))
    # Binomial sd at 20,000 callers is at most 0.35 points: 1.5 points is over 4 sd.
    assert abs(got["normal"] / 20000 - 0.70) < 0.015
    assert abs(got["quick"] / 20000 - 0.20) < 0.015
    assert abs(got["elderly"] / 20000 - 0.10) < 0.015


@pytest.mark.parametrize(
    ("body", "number"),
    [
        ({"call": {"from": "+1 (555) 010-0001"}}, "15550100001"),
        ({"call": {"from": "sip:+15550100001@example.com"}}, "15550100001"),
        ({"call": {"from": "tel:+15550100001"}}, "15550100001"),
        ({"call": {"from_number": "+15550100001", "from": "x@y"}}, "15550100001"),
        ({"caller_id_num": "+15550100001"}, "15550100001"),  # a SWAIG request
        ({"caller_id_number": "+15550100001"}, "15550100001"),  # a post_conversation payload
        ({"call": {"from": "anonymous"}}, None),
        ({"call": {"from": "Restricted"}}, None),
        ({"call": {"from": "user-3fa2b1c4@test.domain"}}, None),
        ({"call": {"from": 15550100001}}, None),
        ({}, None),
        ([], None),
    ],
)
def test_the_caller_number_is_read_where_signalwire_puts_it(body: Any, number: str | None) -> None:
    assert caller_number(body) == number


@pytest.mark.parametrize(
    ("split", "experiment", "message"),
    [
        ({}, None, "split must name at least one preset"),
        ({"normal": 0, "elderly": 50}, None, "split['normal']: weight 0 must be above 0"),
        ({"normal": -5}, None, "weight -5 must be above 0"),
        ({"normal": True}, None, "weight True is not a number"),
        ({"normal": "50"}, None, "weight '50' is not a number"),
        ({"normal": float("nan")}, None, "weight nan must be above 0"),
        ({"normal": 1}, "has space", "is not an experiment name"),
        ({"normal": 1}, "", "is not an experiment name"),
        ({"normal": 1, "elderlly": 1}, "x", 'unknown preset "elderlly"'),
    ],
)
def test_a_bad_split_fails_at_startup_and_leaves_the_agent_alone(
    AgentBase: Any, split: Any, experiment: Any, message: str
) -> None:
    agent = make_agent(AgentBase)
    with pytest.raises(TunerError) as error:
        use_call_presets(agent, split=split, experiment=experiment)
    assert message in str(error.value)
    assert "use_call_presets()" in str(error.value)
    assert agent._dynamic_config_callback is None


def test_an_experiment_without_a_split_fails_at_startup(AgentBase: Any) -> None:
    agent = make_agent(AgentBase)
    with pytest.raises(TunerError, match="an experiment needs a split"):
        use_call_presets(agent, experiment="x")


def test_a_broken_user_preset_in_the_split_fails_at_startup(
    AgentBase: Any, presets_dir: Path
) -> None:
    (presets_dir / "slow.toml").write_text("[params]\nend_of_speech_timeout = 20\n")
    agent = make_agent(AgentBase)
    with pytest.raises(TunerError, match=r"slow\.toml:2: end_of_speech_timeout"):
        use_call_presets(agent, presets=["normal"], split={"normal": 1, "slow": 1})
    assert agent._dynamic_config_callback is None


def test_the_split_stamp_survives_the_agents_own_dynamic_config(
    AgentBase: Any, platform_for: Any
) -> None:
    def own(query: Any, body: Any, headers: Any, call_agent: Any) -> None:
        call_agent.set_global_data({"tier": "gold"})

    agent = make_agent(AgentBase)
    agent.set_dynamic_config_callback(own)
    use_call_presets(agent, split={"quick": 1}, experiment="solo")
    swml = swml_request(platform_for(agent), "c1", {"from": "+15550100001"})
    data = ai_verb(swml)["global_data"]
    assert data["tier"] == "gold"
    assert json.dumps(stamp_of(swml)) == json.dumps(
        {"speech_tuner_preset": "quick", "speech_tuner_experiment": "solo"}
    )
