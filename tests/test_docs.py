"""Every code block of README.md and docs/*.md runs as written, and every relative link resolves.

- ```python blocks run, in order, in one namespace per document (later blocks use what earlier
  ones defined), against every SDK installed here (`signalwire_agents` and `signalwire`);
  `serve()` and `run()` return at once. Every agent a document builds must render its SWML with
  the SDK's own renderer.
- ```sh blocks run line by line with bash, in a sandbox folder that holds what the examples name
  (call logs in `logs/`, recordings in `recordings/`, agent files, a `presets/` folder), with the
  `speech-tuner` of this checkout on PATH. `speech-tuner edit` runs under a pseudo-terminal until
  its first screen, then quits with ctrl+q. A line ending in `# exits N` must exit N.
- Lines that install software or start long runs are checked instead of run, each in the way
  that proves the line true: `pip install` names only extras that pyproject.toml defines;
  `apt-get install` names what .ci/run installs; a benchmark's options are ones its `--help`
  lists (CI runs every benchmark itself, `benchmarks/run_all.py --smoke`); `.venv/bin/...`
  tools are the ones this very run and .ci/run use.
- ```text, ```json and ```toml blocks are outputs and data, not commands: ```toml presets load
  with the model, ```json blocks that are whole documents parse.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)?[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
SDK_IMPORT = re.compile(r"\b(from|import)\s+(signalwire_agents|signalwire)\b")
SDKS = [name for name in ("signalwire_agents", "signalwire") if importlib.util.find_spec(name)]
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")
BIN = Path(sys.executable).parent


def blocks(text: str, lang: str) -> list[tuple[int, str]]:
    """(line number of the block's first line, code) for each block fenced as `lang`."""
    return [
        (text.count("\n", 0, m.start(2)) + 1, m.group(2))
        for m in FENCE.finditer(text)
        if (m.group(1) or "") == lang
    ]


def doc_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_blocks_are_found_in_order_by_their_language() -> None:
    text = "# t\n```python\na = 1\n```\n```sh\nls\n```\n\n```python\nb = a\n```\n"
    assert blocks(text, "python") == [(3, "a = 1\n"), (10, "b = a\n")]
    assert blocks(text, "sh") == [(6, "ls\n")]


def test_every_fenced_block_names_its_language() -> None:
    """A bare fence would be neither run nor knowingly skipped."""
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        bare = [text.count("\n", 0, m.start()) + 1 for m in FENCE.finditer(text) if not m.group(1)]
        assert not bare, f"{doc_id(doc)}: fences without a language at lines {bare}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_relative_link_resolves(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for target, anchor in LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        path = (doc.parent / target).resolve()
        assert path.exists(), f"{doc_id(doc)}: link to {target} does not resolve"
        if anchor and path.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
            slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
            assert anchor[1:] in slugs, f"{doc_id(doc)}: no heading {anchor} in {target}"


PY_DOCS = [d for d in DOCS if blocks(d.read_text(encoding="utf-8"), "python")]


@pytest.mark.parametrize("doc", PY_DOCS, ids=doc_id)
@pytest.mark.parametrize("sdk", SDKS)
def test_every_python_example_runs_against_a_real_agent(
    sdk: str, doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent_base = importlib.import_module(sdk).AgentBase
    started: list[Any] = []
    monkeypatch.setattr(agent_base, "serve", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr(agent_base, "run", lambda self, *a, **k: started.append(self))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    code_blocks = blocks(doc.read_text(encoding="utf-8"), "python")
    namespace: dict[str, Any] = {"__name__": "docs"}
    for line, code in code_blocks:
        source = SDK_IMPORT.sub(lambda m: f"{m.group(1)} {sdk}", code)
        try:
            exec(compile(source, f"{doc.name}:{line}", "exec"), namespace)
        except Exception as exc:
            pytest.fail(f"{doc_id(doc)} block at line {line} failed with {sdk}: {exc!r}\n{code}")

    agents = [v for v in namespace.values() if isinstance(v, agent_base)] + started
    if any(SDK_IMPORT.search(code) for _, code in code_blocks):
        assert agents, f"no example in {doc_id(doc)} builds an AgentBase"
    for agent in agents:
        swml = json.loads(agent._render_swml())
        assert any("ai" in verb for verb in swml["sections"]["main"])


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_toml_preset_example_loads(doc: Path, tmp_path: Path) -> None:
    from tuner.presets import load

    for line, code in blocks(doc.read_text(encoding="utf-8"), "toml"):
        path = tmp_path / f"example{line}.toml"
        path.write_text(code, encoding="utf-8")
        load(str(path))  # raises TunerError with the example's own line on a problem


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_json_example_that_is_a_document_parses(doc: Path) -> None:
    for line, code in blocks(doc.read_text(encoding="utf-8"), "json"):
        if '"..."' in code or "{...}" in code:
            continue  # an outline of the keys, with elisions
        try:
            json.loads(code)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{doc_id(doc)}:{line}: not JSON: {exc}")


# ----------------------------------------------------------------------------- shell examples

SAMPLE = ROOT / "tests" / "evidence" / "data" / "post_conversation_sample.json"

#: Agent files the examples name. They follow the SDK's own examples (a plain AgentBase with
#: set_params, and one file with two agents on their own routes).
AGENTS = {
    "my_agent.py": (
        "from signalwire_agents import AgentBase\n"
        'agent = AgentBase(name="support", route="/support")\n'
        'agent.set_params({"end_of_speech_timeout": 700, "barge_min_words": 2})\n'
        'agent.prompt_add_section("Role", "You answer support calls.")\n'
    ),
    "fast_agent.py": (
        "from signalwire_agents import AgentBase\n"
        'agent = AgentBase(name="fast", route="/fast")\n'
        'agent.set_params({"end_of_speech_timeout": 200})  # below the minimum on purpose\n'
    ),
    "agents.py": (
        "from signalwire_agents import AgentBase\n\n"
        "class SupportAgent(AgentBase):\n"
        "    def __init__(self):\n"
        '        super().__init__(name="support", route="/support")\n'
        '        self.set_params({"end_of_speech_timeout": 800})\n\n'
        "class SalesAgent(AgentBase):\n"
        "    def __init__(self):\n"
        '        super().__init__(name="sales", route="/sales")\n'
    ),
    # Follows comprehensive_dynamic_agent.py of the SDK repositories: params per tier, read from
    # the query params by the dynamic config callback; the enterprise tier is out of range.
    "tiers.py": (
        "from signalwire import AgentBase\n\n"
        "TIERS = {\n"
        '    "standard": {"end_of_speech_timeout": 400, "energy_level": 50},\n'
        '    "premium": {"end_of_speech_timeout": 600, "energy_level": 80},\n'
        '    "enterprise": {"end_of_speech_timeout": 800, "energy_level": 150},\n'
        "}\n\n"
        "def configure(query_params, body_params, headers, agent):\n"
        '    agent.set_params(TIERS[query_params.get("tier", "standard")])\n'
        '    if headers.get("x-region") == "emea":\n'
        '        agent.set_params({"local_tz": "Europe/Berlin"})\n\n'
        'agent = AgentBase(name="tiers", route="/tiers")\n'
        "agent.set_dynamic_config_callback(configure)\n"
    ),
}


def _recordings() -> list[Path]:
    fixtures = ROOT / "tests" / "audio" / "fixtures"
    found = sorted([*fixtures.rglob("*.wav"), *fixtures.rglob("*.flac")])
    stereo = [p for p in found if "stereo" in p.name]
    return (stereo or found)[:2]


@pytest.fixture
def sandbox(tmp_path: Path, user_presets: Path) -> tuple[Path, dict[str, str]]:
    """A working folder holding every file the shell examples name."""
    work = tmp_path / "work"
    (work / "logs").mkdir(parents=True)
    payload = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for i in range(3):
        (work / "logs" / f"call{i}.json").write_text(json.dumps(payload), encoding="utf-8")
    for day in ("day1", "day2"):
        (work / f"{day}.jsonl").write_text(json.dumps(payload) + "\n", encoding="utf-8")
    (work / "recordings").mkdir()
    for i, wav in enumerate(_recordings(), start=1):
        shutil.copy(wav, work / "recordings" / wav.name)
        shutil.copy(wav, work / f"call{i}.wav")  # a FLAC one is read by its header
    for name, code in AGENTS.items():
        (work / name).write_text(code, encoding="utf-8")
    (work / "presets").mkdir()
    (work / "presets" / "support.toml").write_text(
        '[preset]\ndescription = "Support line"\nextends = "normal"\n\n'
        "[params]\nend_of_speech_timeout = 650\n",
        encoding="utf-8",
    )
    (work / "my-presets").mkdir()
    _experiment_logs(work / "experiment-logs")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path / "home"),
        "NO_COLOR": "1",
    }
    return work, env


def _experiment_logs(folder: Path) -> None:
    """Two days of an experiment's payloads, stamped as `use_call_presets(split=...)` does."""
    sys.path.insert(0, str(ROOT / "tests" / "experiment"))
    try:
        from payloads import Arm, experiment_logs
    finally:
        sys.path.pop(0)
    arms = [Arm("normal", cut_off=0.08), Arm("elderly", cut_off=0.03, endpointing=900)]
    logs = experiment_logs(arms, 300, seed=5, experiment="patience-1")
    folder.mkdir()
    for day, chunk in (("2026-12-01", logs[::2]), ("2026-12-02", logs[1::2])):
        (folder / f"{day}.jsonl").write_text("".join(json.dumps(p) + "\n" for p in chunk))


def _extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project["optional-dependencies"])


def _check_instead_of_running(line: str) -> bool:
    """True when the line is one that is checked, not run (see the module docstring)."""
    words = shlex.split(line, comments=True)
    if not words:
        return True
    if "pip" in line and "install" in words:
        for extra in re.findall(r"\[([\w,\-]+)\]", line):
            unknown = set(extra.split(",")) - _extras()
            assert not unknown, f"{line!r}: pyproject.toml has no extra {sorted(unknown)}"
        return True
    if words[:2] == ["apt-get", "install"]:
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        for package in words[2:]:
            assert package.startswith("-") or package in ci, f"{line!r}: .ci/run lacks {package}"
        return True
    if words[:2] == ["bash", ".ci/run"]:
        assert (ROOT / ".ci" / "run").is_file()
        return True
    if words[0].startswith(".venv/bin/"):
        tool = Path(words[0]).name
        assert tool == "python" or tool in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        return True
    if words[:2] == ["taskset", "-c"]:
        words = words[3:]
    if words and words[0] in ("python", "python3") and words[1:2] and words[1].startswith("bench"):
        script = ROOT / words[1]
        assert script.is_file(), f"{line!r}: no {words[1]}"
        options = [w.split("=")[0] for w in words[2:] if w.startswith("--")]
        if not options:
            return True
        helped = subprocess.run(
            [sys.executable, str(script), "--help"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert helped.returncode == 0, f"{words[1]} --help failed: {helped.stderr}"
        for option in options:
            assert option in helped.stdout, f"{line!r}: {words[1]} has no {option}"
        return True
    return False


def _run_editor(line: str, cwd: Path, env: dict[str, str]) -> None:
    """Run an `edit` line under a pseudo-terminal to its first screen, then quit."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: a login-like shell running the line
        os.chdir(cwd)
        os.execve("/bin/bash", ["bash", "-c", line], {**env, "TERM": "xterm-256color"})
    screen = b""
    deadline = time.monotonic() + 60
    quit_sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        if not quit_sent and b"f1" in screen and b"speech-tuner" in screen:
            os.write(fd, b"\x11")  # ctrl+q
            quit_sent = True
        elif quit_sent and b"Discard" in screen:
            os.write(fd, b"\t\r")  # the second button: discard and quit
            screen = screen.replace(b"Discard", b"")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert quit_sent, f"{line!r} never drew its first screen: {screen[-2000:]!r}"
    assert os.waitstatus_to_exitcode(status) == 0, f"{line!r}: {screen[-2000:]!r}"


SH_BLOCKS = [
    (doc, line, code)
    for doc in DOCS
    for line, code in blocks(doc.read_text(encoding="utf-8"), "sh")
    if doc.name != "README.md" or line > 30  # the quick start: run by .ci/run itself
]


@pytest.mark.parametrize(
    ("doc", "line", "code"), SH_BLOCKS, ids=[f"{doc_id(d)}:{n}" for d, n, _ in SH_BLOCKS]
)
def test_every_shell_example_runs(
    doc: Path, line: int, code: str, sandbox: tuple[Path, dict[str, str]]
) -> None:
    work, env = sandbox
    for offset, command in enumerate(code.splitlines()):
        where = f"{doc_id(doc)}:{line + offset}"
        if _check_instead_of_running(command):
            continue
        expected = re.search(r"#\s*exits (\d+)\b", command)
        if re.match(r"\s*speech-tuner(\s+edit\b|\s*(#|$))", command):
            _run_editor(command, work, env)
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        want = int(expected.group(1)) if expected else 0
        assert done.returncode == want, (
            f"{where}: {command!r} exited {done.returncode}, expected {want}\n"
            f"stdout: {done.stdout[-3000:]}\nstderr: {done.stderr[-3000:]}"
        )
