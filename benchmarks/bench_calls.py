"""`speech-tuner calls` on 10k and 100k calls: time against a bare json.loads of the same files,
and peak memory.

Run: python benchmarks/bench_calls.py [--calls 10000,100000] [--per-file 1000] [--repeat R]
The calls are written as JSON-lines files of --per-file calls each (as record_calls writes
them), shaped like SignalWire's post_conversation payloads (raw_call_log, call_log,
call_timeline, caller turns with the endpointing fields, steps, tools, barges). Each
measurement runs in a fresh process: the baseline reads every file and json.loads every line;
the analysis runs tuner.calls.analyse and builds the report. The ratio is analysis time /
baseline time (CPU time, median of R interleaved runs; the wall-clock ratio is printed too); peak memory is each process's max RSS.
Goals: ratio <= 2; 100k calls under ~150 MB peak.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _results import record

#: Peak resident memory of this process (VmHWM: unlike ru_maxrss it starts afresh at exec,
#: so the benchmark's own memory is not counted), plus its finished worker processes.
PEAK = """
import resource
def peak():
    with open("/proc/self/status") as fh:
        own = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM"))
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
def cpu(start):
    import time
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() - start + child.ru_utime + child.ru_stime
"""

BASELINE = (
    PEAK
    + """
import json, sys, time
from pathlib import Path
t0, c0 = time.perf_counter(), time.process_time()
n = 0
for path in sorted(Path(sys.argv[1]).glob("*.jsonl")):
    with path.open("rb") as fh:
        for line in fh:
            json.loads(line)
            n += 1
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": cpu(c0), "calls": n, "peak_kib": peak()}))
"""
)

ANALYSIS = (
    PEAK
    + """
import json, sys, time
from tuner.calls import analyse
from tuner.model import SpeechTiming
t0, c0 = time.perf_counter(), time.process_time()
result = analyse([sys.argv[1]], jobs=int(sys.argv[2]))
doc = result.to_json(SpeechTiming())
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": cpu(c0), "calls": result.calls,
                  "errors": len(result.errors), "peak_kib": peak()}))
"""
)


def make_payload(rng: random.Random, n: int) -> dict[str, Any]:
    """One call shaped like signalwire-demos/postpromptviewer's call.json (numbers random)."""
    t = 1771539203510081 + n * 10**9
    raw: list[dict[str, Any]] = [
        {"role": "system", "content": "You are the front desk of a clinic. " * 8, "timestamp": t},
        {"role": "system-log", "action": "session_start", "timestamp": t, "content": "AI session started",
         "metadata": {"context": "default", "step": "greeting", "step_index": 0, "model": "gpt-4o-mini"}},
    ]  # fmt: skip
    timeline: list[dict[str, Any]] = [{"ts": t, "type": "session_start", "step": "greeting"}]
    steps = ["greeting", "verify_identity", "collect_dob", "select_appointment", "wrap_up"]
    for turn in range(rng.randint(5, 12)):
        step = steps[min(turn // 2, len(steps) - 1)]
        if turn % 2 == 0 and turn:
            raw.append({"role": "system-log", "action": "step_change", "timestamp": t,
                        "content": "step change", "metadata": {"context": "default", "step": step,
                        "from_step": "x", "to_step": step, "trigger": "webhook_action"}})  # fmt: skip
        audio = rng.randint(700, 2200)
        t += audio * 1000
        reply: dict[str, Any] = {"role": "assistant", "timestamp": t, "latency": rng.randint(100, 900),
                                 "utterance_latency": rng.randint(300, 1200), "audio_latency": audio,
                                 "content": " Thank you. Could you tell me your date of birth, please?"}  # fmt: skip
        if rng.random() < 0.2:
            reply.update(barged=True, barge_elapsed_ms=rng.randint(300, 9000))
        raw.append(reply)
        timeline.append({"ts": t, "type": "ai_response", "audio_latency": audio})
        s2f = rng.randint(600, 4000)
        start = t + rng.randint(800, 4000) * 1000
        t = start + s2f * 1000
        s2td = rng.randint(-6000, s2f) if rng.random() < 0.05 else s2f - 280
        user = {"role": "user", "timestamp": t + 9000, "confidence": round(rng.uniform(0.8, 1), 4),
                "content_type": "Detected Speech", "start_timestamp": start, "end_timestamp": t,
                "speaking_to_turn_detection": s2td, "turn_detection_to_final_event": s2f - s2td,
                "speaking_to_final_event": s2f, "content": "Two eighteen seventy seven "}  # fmt: skip
        raw.append(user)
        timeline.append({"ts": t, "type": "user_input", "speaking_to_final_event": s2f})
        if rng.random() < 0.4:
            name = rng.choice(["verify_identity_tool", "get_patient_appointments", "log_call"])
            duration = rng.randint(100, 1500)
            raw.append({"role": "system-log", "action": "function_call", "timestamp": t,
                        "content": f"Calling function: {name}", "metadata": {"context": "default",
                        "step": step, "function": name, "native": False, "duration_ms": duration}})  # fmt: skip
            raw.append({"role": "tool", "timestamp": t, "function_name": name, "latency": 900,
                        "function_latency": 1100, "execution_latency": 1300, "start_timestamp": t,
                        "end_timestamp": t + duration * 1000, "content": "Tool result below."})  # fmt: skip
        if rng.random() < 0.05:
            raw.append({"role": "system-log", "action": "attention_timeout", "timestamp": t,
                        "content": "Attention timeout", "metadata": {"timeout_ms": 10000}})  # fmt: skip
    raw.append({"role": "system-log", "action": "session_end", "timestamp": t, "content": "ended",
                "metadata": {"reason": "normal", "ended_by": rng.choice(["system", "caller"])}})  # fmt: skip
    blessed = [e for e in raw if not e.get("barged")]
    return {
        "action": "post_conversation", "call_id": f"call-{n}", "app_name": "bench",
        "call_start_date": 1771539203510081 + n * 10**9, "call_end_date": t + 10**6,
        "raw_call_log": raw, "call_log": blessed, "call_timeline": timeline,
        "times": [{"response": " Thank you.", "response_word_count": 2, "answer_time": 0.9}] * 6,
        "swaig_log": [], "global_data": {"speech_tuner_preset": "normal"},
        "speech_tuner": {"preset": "normal", "experiment": None},
    }  # fmt: skip


def write_calls(folder: Path, calls: int, per_file: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    size = 0
    for first in range(0, calls, per_file):
        lines = [
            json.dumps(make_payload(rng, n)) for n in range(first, min(calls, first + per_file))
        ]
        data = "\n".join(lines) + "\n"
        (folder / f"calls-{first // per_file:05}.jsonl").write_text(data, encoding="utf-8")
        size += len(data)
    return size / calls


def run(code: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def measure(calls: int, per_file: int, repeat: int, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = write_calls(folder, calls, per_file)
        base, full = [], []
        for _ in range(repeat):
            base.append(run(BASELINE, tmp))
            full.append(run(ANALYSIS, tmp, str(jobs)))
            assert full[-1]["calls"] == calls and not full[-1]["errors"], full[-1]
        # CPU time: on a shared machine, wall time measures the neighbours as much as the code.
        b = statistics.median(r["cpu"] for r in base)
        f = statistics.median(r["cpu"] for r in full)
        wall = statistics.median(r["seconds"] for r in full) / statistics.median(
            r["seconds"] for r in base
        )
        peak = max(r["peak_kib"] for r in full) / 1024
        base_peak = max(r["peak_kib"] for r in base) / 1024
        print(f"{calls} calls of {size / 1024:.1f} KiB in {calls // per_file or 1} JSON-lines "
              f"files, jobs={jobs}, median of {repeat}")  # fmt: skip
        print(f"  CPU time ratio analysis / json.loads: {f / b:.2f}x (goal <= 2x); "
              f"wall-clock ratio {wall:.2f}x")  # fmt: skip
        print(f"  peak memory: analysis {peak:.0f} MB, json.loads baseline {base_peak:.0f} MB "
              f"(ratio {peak / base_peak:.2f}x)")  # fmt: skip
        return {"ratio": f / b, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", default="10000,100000", help="comma-separated call counts")
    parser.add_argument("--files", type=int, help="(smoke) one small run of this many calls")
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    counts = [args.files] if args.files else [int(c) for c in args.calls.split(",")]
    for calls in counts:
        repeat = 1 if calls >= 100_000 else args.repeat
        got = measure(calls, min(args.per_file, calls), repeat, args.jobs)
        record("bench_calls", f"calls time / json.loads time, {calls} calls",
               round(got["ratio"], 2), "<= 2", got["ratio"] <= 2)  # fmt: skip
        if calls >= 100_000:
            record("bench_calls", f"calls peak memory (MB), {calls} calls",
                   round(got["peak_mb"]), "< 150", got["peak_mb"] < 150)  # fmt: skip


if __name__ == "__main__":
    main()
