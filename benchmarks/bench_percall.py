"""Per-call presets under load: a bounded burst of SWML requests at the SDK's own server.

An agent with `use_call_presets`, served by the SDK (`agent.serve()`, uvicorn) on 127.0.0.1
only, receives --requests SWML requests (default 2,000), --concurrency at a time (default 50),
with mixed `?preset=` values including unknown ones. Every response must carry exactly the
params of the requested preset (unknown ones: the startup preset), with zero 5xx. Requests/s
and p50/p99 latency are printed next to the same agent without per-call presets, and next to
the agent with an empty dynamic config callback (the SDK's own per-request copy, without
speech-tuner), all in the same run. Goal: p50 ratio (per-call presets / without) <= 1.10.

    python benchmarks/bench_percall.py [--requests N] [--concurrency C] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _results import record
from _timing import ROOT, python_env

GOAL = 1.10
USER, PASSWORD = "bench", "bench-password"
#: What callers ask for: built-ins, no preset, and names that must fall back.
ASKED = ["quick", "normal", "elderly", None, "bogus", "QUICK", "../../etc/passwd", "quick "]
SDK_LABEL = next(s for s in ("signalwire_agents", "signalwire") if importlib.util.find_spec(s))
MODES = ("without per-call presets", "empty dynamic config (SDK copy only)", "use_call_presets")
#: Longest a whole burst may take before the run gives up (bounded load).
BURST_TIMEOUT_S = 90.0


def serve(mode: str, port: int) -> None:
    """Run the agent with the SDK's own server on 127.0.0.1 (in a child process)."""
    sdk = next(s for s in ("signalwire_agents", "signalwire") if importlib.util.find_spec(s))
    agent_base = __import__(sdk, fromlist=["AgentBase"]).AgentBase
    from tuner import apply_preset, use_call_presets

    agent = agent_base(name="support", route="/", host="127.0.0.1", port=port)
    agent.prompt_add_section("Role", "You answer questions about orders.")
    apply_preset(agent, "normal")
    if mode == MODES[1]:
        agent.set_dynamic_config_callback(lambda query, body, headers, call_agent: None)
    elif mode == MODES[2]:
        use_call_presets(agent)
    agent.serve(host="127.0.0.1", port=port)


# -- the load generator ---------------------------------------------------------------------
@dataclass
class Burst:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int, path: str
) -> tuple[int, bytes, bool]:
    body = json.dumps({"call": {"call_id": uuid.uuid4().hex}}).encode()
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while size := int((await reader.readline()).strip(), 16):
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        await reader.readline()
        content = b"".join(chunks)
    else:
        content = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, content, headers.get("connection") == "close"


def _params(content: bytes) -> dict[str, Any] | None:
    try:
        for verb in json.loads(content)["sections"]["main"]:
            if "ai" in verb:
                params: dict[str, Any] = verb["ai"].get("params", {})
                return params
    except (ValueError, KeyError, TypeError):
        return None
    return None


async def burst(port: int, plan: list[tuple[str, dict[str, Any]]], concurrency: int) -> Burst:
    """Send every (path, expected params) of the plan, `concurrency` connections at a time."""
    result = Burst()
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                try:
                    path, expected = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                status, content, closed = await _request(reader, writer, port, path)
                result.latencies.append(time.perf_counter() - start)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                got = _params(content) if status == 200 else None
                if got != expected:
                    result.wrong.append(f"{path}: {status} {got}")
                if closed:
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), BURST_TIMEOUT_S)
    result.elapsed = time.perf_counter() - start
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the agent server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the agent server did not start in time")


def plan_for(mode: str, requests: int) -> list[tuple[str, dict[str, Any]]]:
    from tuner import preset_params

    known = {name: preset_params(name) for name in ("quick", "normal", "elderly")}
    plan = []
    for i in range(requests):
        asked = ASKED[i % len(ASKED)]
        path = "/" if asked is None else f"/?preset={asked.replace(' ', '%20')}"
        per_call = mode == MODES[2] and asked in known
        plan.append((path, known[asked] if per_call and asked else known["normal"]))
    return plan


def run_mode(mode: str, requests: int, concurrency: int, presets_dir: str) -> Burst:
    port = free_port()
    env = python_env(
        SPEECH_TUNER_PRESETS_DIR=presets_dir,
        SWML_BASIC_AUTH_USER=USER,
        SWML_BASIC_AUTH_PASSWORD=PASSWORD,
    )
    env.pop("SPEECH_TUNER_PRESET", None)
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", mode, str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port, proc)
        asyncio.run(burst(port, plan_for(mode, 200), concurrency))  # warm-up, not counted
        return asyncio.run(burst(port, plan_for(mode, requests), concurrency))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def own_cost_us(samples: int = 2000) -> tuple[float, float, float]:
    """In process: microseconds per call of speech-tuner's callback alone, of the SDK's
    per-request copy, and of rendering the SWML, medians over `samples` calls."""
    import logging

    os.environ["SIGNALWIRE_LOG_MODE"] = "off"  # the SDK logs every render otherwise
    logging.getLogger("tuner").setLevel(logging.ERROR)  # the presets' speech_rate warning
    sdk = next(s for s in ("signalwire_agents", "signalwire") if importlib.util.find_spec(s))
    agent_base = __import__(sdk, fromlist=["AgentBase"]).AgentBase
    from tuner import apply_preset, use_call_presets

    agent = agent_base(name="support", route="/")
    apply_preset(agent, "normal")
    use_call_presets(agent)
    configure = agent._dynamic_config_callback
    copies, rendered, ours = [], [], []
    for i in range(samples):
        start = time.perf_counter()
        copy = agent._create_ephemeral_copy()
        copies.append(time.perf_counter() - start)
        start = time.perf_counter()
        configure({"preset": ASKED[i % 3]}, {}, {}, copy)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        copy._render_swml("call-id")
        rendered.append(time.perf_counter() - start)
    return tuple(statistics.median(v) * 1e6 for v in (ours, copies, rendered))  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="bursts per mode, interleaved")
    parser.add_argument("--serve", nargs=2, metavar=("MODE", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0

    bursts: dict[str, list[Burst]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory() as presets_dir:
        for r in range(args.rounds):
            for mode in MODES if r % 2 == 0 else MODES[::-1]:
                if sys.stderr.isatty():
                    print(f"  round {r + 1}: {mode}", file=sys.stderr)
                bursts[mode].append(run_mode(mode, args.requests, args.concurrency, presets_dir))

    print(
        f"per-call presets under load: {args.requests} SWML requests, {args.concurrency} at a "
        f"time, {args.rounds} bursts per mode, SDK server on 127.0.0.1"
    )
    print(f"  {'agent':<40} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'5xx':>5} {'wrong':>6}")
    p50: dict[str, float] = {}
    failures = 0
    for mode in MODES:
        runs = bursts[mode]
        rps = statistics.median(len(b.latencies) / b.elapsed for b in runs)
        p50[mode] = statistics.median(b.percentile(50) for b in runs)
        p99 = statistics.median(b.percentile(99) for b in runs)
        errors = sum(n for b in runs for s, n in b.statuses.items() if s >= 500)
        wrong = sum(len(b.wrong) for b in runs)
        failures += errors + wrong
        print(
            f"  {mode:<40} {rps:7.0f} {p50[mode] * 1000:8.1f} {p99 * 1000:8.1f} {errors:5d} "
            f"{wrong:6d}"
        )
        for b in runs:
            for line in b.wrong[:3]:
                print(f"    wrong: {line[:200]}")
    ratio = p50[MODES[2]] / p50[MODES[0]]
    sdk_ratio = p50[MODES[1]] / p50[MODES[0]]
    verdict = "ok" if ratio <= GOAL else "MISSED"
    print(f"  p50 ratio use_call_presets / without: {ratio:.2f}  (goal <= {GOAL})  {verdict}")
    print(f"  p50 ratio empty dynamic config / without (the SDK's own copy): {sdk_ratio:.2f}")
    print(f"  correctness: {'ok' if failures == 0 else f'{failures} FAILURES'}")
    record(
        "bench_percall",
        f"per-call presets p50 / without ({SDK_LABEL})",
        round(ratio, 2),
        f"<= {GOAL}",
        ratio <= GOAL and failures == 0,
        f"{args.requests} requests x {args.rounds}, 5xx+wrong: {failures}",
    )
    with tempfile.TemporaryDirectory() as presets_dir:
        os.environ["SPEECH_TUNER_PRESETS_DIR"] = presets_dir
        ours, copy, render = own_cost_us()
    print(
        f"  in process, per call: speech-tuner's callback {ours:.0f} us; the SDK's per-request "
        f"copy {copy:.0f} us; rendering the SWML {render:.0f} us"
    )
    return 0 if failures == 0 and ratio <= GOAL else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
