"""The README's Python examples run as written against a real AgentBase.

Every ```python block of README.md runs, in order, in one namespace (later blocks use what earlier
ones defined), in a temporary working folder with the presets folder pointed at a temporary
folder. Blocks fenced as anything else (```bash, ```toml, ```text) are not run. Examples import
`signalwire_agents` or `signalwire`; each runs against every SDK installed here. `serve()` and
`run()` return at once instead of starting a server. Every agent the examples build must render
its SWML with the SDK's own renderer.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: The documents whose Python examples must run.
DOCS = [README]
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
SDK_IMPORT = re.compile(r"\b(from|import)\s+(signalwire_agents|signalwire)\b")
SDKS = [name for name in ("signalwire_agents", "signalwire") if importlib.util.find_spec(name)]


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number of the block's first line, code) for each ```python block."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in FENCE.finditer(text)]


def test_python_blocks_are_found_in_order_and_other_fences_are_not() -> None:
    text = "# t\n```python\na = 1\n```\n```bash\nrm -rf /\n```\n\n```python\nb = a\n```\n"
    assert python_blocks(text) == [(3, "a = 1\n"), (10, "b = a\n")]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
@pytest.mark.parametrize("sdk", SDKS)
def test_every_python_example_in_the_readme_runs_against_a_real_agent(
    sdk: str, doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert doc.is_file(), f"{doc} is missing"
    blocks = python_blocks(doc.read_text(encoding="utf-8"))
    assert blocks, f"{doc.name} has no ```python examples"

    agent_base = importlib.import_module(sdk).AgentBase
    started: list[Any] = []
    monkeypatch.setattr(agent_base, "serve", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr(agent_base, "run", lambda self, *a, **k: started.append(self))
    presets = tmp_path / "presets"
    presets.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("SPEECH_TUNER_PRESETS_DIR", str(presets))
    monkeypatch.delenv("SPEECH_TUNER_PRESET", raising=False)
    monkeypatch.chdir(work)

    namespace: dict[str, Any] = {"__name__": "readme"}
    for line, code in blocks:
        source = SDK_IMPORT.sub(lambda m: f"{m.group(1)} {sdk}", code)
        try:
            exec(compile(source, f"{doc.name}:{line}", "exec"), namespace)
        except Exception as exc:
            pytest.fail(f"{doc.name} block at line {line} failed with {sdk}: {exc!r}\n{code}")

    agents = [v for v in namespace.values() if isinstance(v, agent_base)] + started
    assert agents, f"no example in {doc.name} builds an AgentBase"
    for agent in agents:
        swml = json.loads(agent._render_swml())
        assert any("ai" in verb for verb in swml["sections"]["main"])
