"""A burst of concurrent calls at the SDK's own server on loopback: no cross-talk, no 5xx.

Correctness only (no timing asserts): 200 SWML requests, 20 at a time, mixed `?preset=`
values including unknown ones; every response must carry exactly its preset's params.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from swml_helpers import SDKS

from tuner import preset_params

REQUESTS, CONCURRENCY = 200, 20
USER, PASSWORD = "loadtest", "loadtest-password"
ASKED = ["quick", "elderly", None, "normal", "nope", "ELDERLY", "quick%00", "night-shift"]

SERVER = textwrap.dedent(
    """
    import sys
    from {sdk} import AgentBase
    from tuner import apply_preset, use_call_presets

    port = int(sys.argv[1])
    agent = AgentBase(name="support", route="/", host="127.0.0.1", port=port)
    apply_preset(agent, "normal")
    use_call_presets(agent)
    agent.serve(host="127.0.0.1", port=port)
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text(errors="replace")[-2000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the agent's server did not start within 60 s")


@pytest.fixture(params=SDKS)
def server_port(request: pytest.FixtureRequest, tmp_path: Path, presets_dir: Path) -> Any:
    (presets_dir / "night-shift.toml").write_text(
        '[preset]\nextends = "quick"\n\n[params]\nend_of_speech_timeout = 450\n'
    )
    script = tmp_path / "agent_server.py"
    script.write_text(SERVER.format(sdk=request.param))
    port = free_port()
    env = {**os.environ, "SWML_BASIC_AUTH_USER": USER, "SWML_BASIC_AUTH_PASSWORD": PASSWORD}
    root = str(Path(__file__).resolve().parents[2])  # this checkout's tuner
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    log = tmp_path / "agent_server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, str(script), str(port)], env=env, stdout=out, stderr=out
        )
        try:
            wait_for(port, server, log)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def ask(port: int, asked: str | None) -> tuple[str | None, int, dict[str, Any] | None]:
    """One call, as the platform makes it: POST to the agent's URL, read ai.params back."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        body = json.dumps({"call": {"call_id": uuid.uuid4().hex}})
        path = "/" if asked is None else f"/?preset={asked}"
        conn.request(
            "POST",
            path,
            body,
            {"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        content = response.read()
        if response.status != 200:
            return asked, response.status, None
        for verb in json.loads(content)["sections"]["main"]:
            if "ai" in verb:
                return asked, 200, verb["ai"].get("params", {})
        return asked, 200, None
    finally:
        conn.close()


def test_a_burst_of_concurrent_calls_each_gets_exactly_its_presets_params(
    server_port: int,
) -> None:
    expected = {name: preset_params(name) for name in ("quick", "elderly", "normal")}
    expected["night-shift"] = {**expected["quick"], "end_of_speech_timeout": 450}
    plan = [ASKED[i % len(ASKED)] for i in range(REQUESTS)]
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda asked: ask(server_port, asked), plan, timeout=120))

    assert len(results) == REQUESTS
    assert [status for _, status, _ in results if status >= 500] == []
    wrong = [
        (asked, params)
        for asked, status, params in results
        if status != 200 or params != expected.get(asked or "normal", expected["normal"])
    ]
    assert wrong == []
    # The mix really exercised both branches: several presets and the fallback.
    seen = {json.dumps(params, sort_keys=True) for _, _, params in results}
    assert len(seen) == 4
