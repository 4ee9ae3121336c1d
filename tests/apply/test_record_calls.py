"""record_calls on the real AgentBase of both SDKs: payloads posted in process come back as calls."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from swml_helpers import ai_verb

sys.path.insert(0, str(Path(__file__).parents[1] / "calls"))
from real_shape import Conversation

from tuner import apply_preset, record_calls, use_call_presets
from tuner.cli import main
from tuner.recording import Recorder, RecordingWarning, day_file


def post_conversation(platform: Any, payload: dict[str, Any], query: str = "") -> int:
    """Play the platform at the end of a call: fetch the call's SWML, then POST the payload
    to the post_prompt_url it names (with the per-call token the SDK minted)."""
    call_id = str(uuid.uuid4())
    status, swml = platform.fetch_swml(query, call_id=call_id)
    assert status == 200
    url = urlsplit(ai_verb(swml)["post_prompt_url"])
    body = {**payload, "call_id": call_id}
    response = platform.client.post(f"{url.path}?{url.query}", json=body, auth=platform.auth)
    return response.status_code


def lines_of(folder: Path) -> list[dict[str, Any]]:
    files = sorted(folder.glob("calls-*.jsonl"))
    return [json.loads(line) for f in files for line in f.read_text().splitlines()]


def a_call(**global_data: Any) -> dict[str, Any]:
    c = Conversation()
    c.global_data.update(global_data)
    c.agent("How can I help?")
    c.caller("I need to move my appointment.", s2f=1800)
    c.agent("Sure, to which day?", audio=900)
    return c.payload()


def test_posted_payloads_come_back_as_calls_stamped_with_their_preset(
    AgentBase: Any, platform_for: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agent = AgentBase(name="support")
    agent.set_post_prompt("Summarise the call in one sentence.")
    apply_preset(agent, "elderly")
    record_calls(agent, tmp_path / "logs")
    platform = platform_for(agent)
    assert post_conversation(platform, a_call()) == 200
    assert post_conversation(platform, a_call()) == 200
    # the same route also serves conversation fetches: those are not call logs
    assert post_conversation(platform, {"action": "fetch_conversation"}) == 200
    records = lines_of(tmp_path / "logs")
    assert len(records) == 2
    assert [r["speech_tuner"] for r in records] == [{"preset": "elderly", "experiment": None}] * 2
    assert records[0]["call_log"][0]["role"] == "system"  # the whole payload, as posted
    assert (tmp_path / "logs" / day_file(tmp_path / "logs").name).exists()
    code = main(["calls", str(tmp_path / "logs"), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["calls"] == 2 and doc["presets"] == {"elderly": 2}
    assert doc["endpointing_ms"]["count"] == 2


def test_the_preset_in_global_data_is_the_calls_stamp(
    AgentBase: Any, platform_for: Any, tmp_path: Path
) -> None:
    agent = AgentBase(name="support")
    agent.set_post_prompt("Summarise the call.")
    apply_preset(agent, "normal")
    record_calls(agent, tmp_path)
    payload = a_call(speech_tuner_preset="quick", speech_tuner_experiment="eos-test")
    assert post_conversation(platform_for(agent), payload) == 200
    assert lines_of(tmp_path)[0]["speech_tuner"] == {"preset": "quick", "experiment": "eos-test"}


def test_a_per_call_preset_chosen_in_the_url_is_stamped(
    AgentBase: Any, platform_for: Any, tmp_path: Path
) -> None:
    agent = AgentBase(name="support")
    agent.set_post_prompt("Summarise the call.")
    apply_preset(agent, "normal")
    use_call_presets(agent)
    record_calls(agent, tmp_path)
    platform = platform_for(agent)
    assert post_conversation(platform, a_call(), query="?preset=quick") == 200
    assert post_conversation(platform, a_call()) == 200
    assert [r["speech_tuner"]["preset"] for r in lines_of(tmp_path)] == ["quick", "normal"]


def test_the_agents_own_on_summary_keeps_working(
    AgentBase: Any, platform_for: Any, tmp_path: Path
) -> None:
    seen: list[tuple[Any, str]] = []

    class Support(AgentBase):  # type: ignore[misc, valid-type]
        def on_summary(self, summary: Any, raw_data: Any = None) -> None:
            seen.append((summary, raw_data["call_id"]))

    agent = Support(name="support")
    agent.set_post_prompt("Summarise the call.")
    record_calls(agent, tmp_path)
    assert isinstance(agent, Support)
    assert post_conversation(platform_for(agent), a_call()) == 200
    assert len(seen) == 1
    assert seen[0][0] == "The caller confirmed an appointment."
    assert lines_of(tmp_path)[0]["call_id"] == seen[0][1]


def test_a_payload_that_cannot_be_stored_still_reaches_on_summary(
    AgentBase: Any, platform_for: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Any] = []
    agent = AgentBase(name="support")
    agent.set_post_prompt("Summarise the call.")
    agent.on_summary = lambda summary, raw_data=None: seen.append(summary)
    record_calls(agent, tmp_path / "logs")
    (tmp_path / "logs").rmdir()
    (tmp_path / "logs").write_text("a file where the folder was")
    assert post_conversation(platform_for(agent), a_call()) == 200
    assert seen == ["The caller confirmed an appointment."]
    assert "could not record" in caplog.text


def test_an_agent_without_a_post_prompt_is_warned_that_nothing_will_arrive(
    AgentBase: Any, tmp_path: Path
) -> None:
    agent = AgentBase(name="support")
    with pytest.warns(RecordingWarning, match="set_post_prompt"):
        record_calls(agent, tmp_path)
    swml = json.loads(agent._render_swml())
    assert "post_prompt_url" not in ai_verb(swml)  # indeed: the platform gets no URL to post to


WRITER = """
import sys
from tuner.recording import Recorder
recorder = Recorder(sys.argv[1])
blob = "x" * 4_000_000
n = 0
while True:
    recorder.write({"call_id": str(n), "call_log": [], "note": blob})
    n += 1
"""


def test_a_writer_killed_mid_write_leaves_only_whole_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "logs"
    killed = torn = 0
    for delay in (0.05, 0.13, 0.21, 0.29, 0.37, 0.45):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)])
        deadline = time.monotonic() + 30
        while not any(f.stat().st_size for f in folder.glob("*.jsonl")):
            assert time.monotonic() < deadline, "the writer never wrote"
            time.sleep(0.01)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed += proc.returncode == -signal.SIGKILL
        (day,) = folder.glob("*.jsonl")
        # Right after the kill: every line is whole, except at most a last one the kernel
        # cut short (SIGKILL can end a large write early), which has no newline yet.
        lines = day.read_bytes().split(b"\n")
        for line in lines[:-1]:
            json.loads(line)
        torn += lines[-1] != b""
        # `calls` reads every whole line and skips the torn one, without calling it an error.
        code = main(["calls", str(folder), "--format", "json"])
        doc = json.loads(capsys.readouterr().out)
        assert code == 0 and doc["errors"] == []
        assert doc["calls"] == len(lines) - 1
        assert len(doc["incomplete_lines"]) == (lines[-1] != b"")
        # The next write cuts a torn tail back first: the file is whole lines again.
        Recorder(folder).write({"call_id": f"after-{delay}", "call_log": []})
        data = day.read_bytes()
        assert data.endswith(b"\n")
        assert [json.loads(line)["call_id"] for line in data.splitlines()][-1] == f"after-{delay}"
    assert killed == 6


def test_a_torn_last_line_is_cut_back_before_the_next_append(tmp_path: Path) -> None:
    # What a write cut short would leave: whole lines, then the start of one more.
    whole = json.dumps({"call_id": "1", "call_log": []}) + "\n"
    path = day_file(tmp_path)
    path.write_text(whole + '{"call_id": "2", "call_l', encoding="utf-8")
    Recorder(tmp_path).write({"call_id": "3", "call_log": []})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["call_id"] for line in lines] == ["1", "3"]
    path.write_text('{"call_id": "torn from the first byte', encoding="utf-8")
    Recorder(tmp_path).write({"call_id": "4", "call_log": []})
    assert [json.loads(x)["call_id"] for x in path.read_text().splitlines()] == ["4"]
