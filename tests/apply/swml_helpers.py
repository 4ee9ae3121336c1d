"""Rendering an agent's SWML and playing the platform's side of a call, for the apply tests."""

from __future__ import annotations

import importlib.util
import json
import uuid
from typing import Any

#: The SDK import names speech-tuner supports: the original and its renamed successor.
SDKS = tuple(name for name in ("signalwire_agents", "signalwire") if importlib.util.find_spec(name))
if not SDKS:  # pragma: no cover - the package depends on signalwire-agents
    raise RuntimeError("neither signalwire_agents nor signalwire is installed")


def ai_verb(swml: dict[str, Any]) -> dict[str, Any]:
    """The `ai` verb of a rendered SWML document."""
    for verb in swml["sections"]["main"]:
        if "ai" in verb:
            ai: dict[str, Any] = verb["ai"]
            return ai
    raise AssertionError(f"no ai verb in {json.dumps(swml)[:300]}")


def rendered_params(agent: Any) -> dict[str, Any]:
    """`ai.params` of the agent's SWML, rendered offline by the SDK's own renderer."""
    params: dict[str, Any] = ai_verb(json.loads(agent._render_swml())).get("params", {})
    return params


class Platform:
    """Plays SignalWire's side of a call against the agent's own web app, in process."""

    def __init__(self, agent: Any) -> None:
        from fastapi.testclient import TestClient

        self.agent = agent
        self.client = TestClient(agent.get_app())
        self.auth = tuple(agent.get_basic_auth_credentials()[:2])

    def fetch_swml(self, query: str = "", call_id: str | None = None) -> tuple[int, dict[str, Any]]:
        """POST the call to the agent's URL as the platform does; (status, SWML)."""
        call_id = call_id or uuid.uuid4().hex
        body = {"call": {"call_id": call_id}, "call_id": call_id}
        response = self.client.post(f"/{query}", json=body, auth=self.auth)
        return response.status_code, response.json() if response.status_code == 200 else {}

    def call_function(self, url: str, function: str, call_id: str) -> tuple[int, Any]:
        """POST a SWAIG function request to a web_hook_url taken from the SWML."""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        body = {"function": function, "argument": {"parsed": [{}]}, "call_id": call_id}
        response = self.client.post(f"{parts.path}?{parts.query}", json=body, auth=self.auth)
        return response.status_code, response.json()
