"""Payloads per second through `speech-tuner calls` next to a bare json.loads of the same files.

Run: python benchmarks/bench_calls.py [--files N] [--repeat R]
Both timings read every file from disk; the ratio is analysis time / parse time (medians of
R interleaved runs in the same process). Goal: the analysis costs at most 2x the parsing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _results import record

from tuner.calls import analyse
from tuner.params import SpeechTiming


def make_payload(rng: random.Random, n: int) -> dict[str, Any]:
    """A post_conversation payload shaped like SignalWire's sample, with ~10 exchanges."""
    log: list[dict[str, Any]] = [
        {"role": "system", "timestamp": 1, "content": "You are a helpful assistant. " * 20},
        {
            "role": "system-log",
            "action": "session_start",
            "timestamp": 2,
            "content": "AI session started",
            "metadata": {"context": "default", "model": "demo", "step": "main", "step_index": 0},
        },
    ]
    ts = 3
    for turn in range(rng.randint(6, 14)):
        ts += 1
        log.append({
            "role": "user", "timestamp": ts, "start_timestamp": ts, "end_timestamp": ts,
            "content": "I would like to know about my order please " * 2, "confidence": 0.95,
            "content_type": "Detected Speech",
        })  # fmt: skip
        if rng.random() < 0.3:
            log.append({"role": "assistant", "timestamp": ts, "tool_calls": [
                {"id": f"c{turn}", "type": "function",
                 "function": {"name": "lookup", "arguments": "{\"id\": \"42\"}"}}]})  # fmt: skip
            log.append({
                "role": "tool", "timestamp": ts, "function_name": "lookup",
                "content": "Order 42 ships tomorrow.", "latency": 150,
                "function_latency": rng.randint(100, 1500),
                "execution_latency": rng.randint(100, 1600),
            })  # fmt: skip
        metrics = {
            "latency": rng.randint(100, 600), "utterance_latency": rng.randint(300, 900),
            "audio_latency": rng.randint(500, 1200), "acoustic_latency": rng.randint(700, 2500),
            "eos_to_push_latency": rng.randint(100, 900), "dg_decision_latency": 12,
        }  # fmt: skip
        entry: dict[str, Any] = {
            "role": "assistant", "timestamp": ts, "start_timestamp": ts, "end_timestamp": ts,
            "content": "Your order ships tomorrow and should arrive within three days. " * 2,
        }  # fmt: skip
        if rng.random() < 0.15:
            metrics.update(barged=True, barge_elapsed_ms=rng.randint(200, 4000))
        if n % 2:
            entry["metadata"] = metrics
        else:
            entry.update(metrics)
        log.append(entry)
        if rng.random() < 0.05:
            log.append({
                "role": "system-log", "action": "attention_timeout", "timestamp": ts,
                "content": "attention timeout", "metadata": {"timeout_ms": 10000},
            })  # fmt: skip
    log.append({"role": "system-log", "action": "session_end", "timestamp": ts,
                "metadata": {"reason": "normal", "ended_by": "caller"}})  # fmt: skip
    return {
        "action": "post_conversation", "call_id": f"call-{n}", "app_name": "bench",
        "call_log": log, "times": [{"response": "x", "tps": 90.0}] * 8,
        "swaig_log": [], "global_data": {"caller_id_number": "+15555550123"},
    }  # fmt: skip


def parse_only(files: list[Path]) -> int:
    n = 0
    for path in files:
        json.loads(path.read_bytes().decode("utf-8-sig"))
        n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(args.files):
            (folder / f"call-{n:05}.json").write_text(json.dumps(make_payload(rng, n)))
        files = sorted(folder.glob("*.json"))
        size = sum(p.stat().st_size for p in files) / len(files)
        params = SpeechTiming()
        parse_times, analyse_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            parse_only(files)
            parse_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            result = analyse([folder])
            result.to_json(params)
            analyse_times.append(time.perf_counter() - t0)
            assert result.calls == args.files and not result.errors
        parse, full = statistics.median(parse_times), statistics.median(analyse_times)
        print(f"{args.files} payloads of {size / 1024:.1f} KiB, median of {args.repeat} runs")
        print(f"json.loads only : {args.files / parse:10.0f} payloads/s  ({parse * 1000:.0f} ms)")
        print(f"calls analysis  : {args.files / full:10.0f} payloads/s  ({full * 1000:.0f} ms)")
        print(f"ratio analysis/parse: {full / parse:.2f}x (goal <= 2x)")
        record(
            "bench_calls",
            "calls analysis time / json.loads time, same payloads",
            round(full / parse, 2),
            "<= 2",
            full / parse <= 2,
            f"{args.files / full:.0f} vs {args.files / parse:.0f} payloads/s",
        )


if __name__ == "__main__":
    main()
