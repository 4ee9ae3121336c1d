"""Analysis of SignalWire post_conversation payloads: latencies, barges, timeouts, advice."""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuner.budget import GOALS, Grade, grade
from tuner.params import SpeechTiming, Value, spec

#: Per-turn latency fields of an assistant entry (ms); 0 or absent means "not measured".
TURN_METRICS = (
    "latency",
    "utterance_latency",
    "audio_latency",
    "acoustic_latency",
    "eos_to_push_latency",
)
#: Latency fields of a tool entry (ms).
TOOL_METRICS = ("function_latency", "execution_latency")
#: File name endings read when a folder is given.
PAYLOAD_SUFFIXES = (".json", ".jsonl", ".ndjson")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PERCENTILES = (50, 90, 95)
#: The percentile every grade is taken at: the typical turn.
GRADE_PERCENTILE = 50
#: Fewest observations a recommendation stands on.
MIN_EVIDENCE = 3
#: Share of the caller's wait spent before the model is asked that counts as "dominates".
WAIT_SHARE = 0.4
#: Shortest end_of_speech_timeout ever proposed: below it callers who pause mid-sentence are
#: cut off (the "quick" preset's floor; the schema's own minimum is 250).
EOS_FLOOR = 300
#: Barge rate over assistant turns that counts as "many".
BARGE_RATE = 0.2
#: A barge this soon after the agent starts talking is "early" (ms of agent audio heard).
EARLY_BARGE_MS = 1500
#: Attention timeouts per call that count as "many".
ATTENTION_PER_CALL = 0.5


class PayloadError(ValueError):
    """A payload that cannot be analysed; the message says why, for people."""


# -- reading -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """One payload's text and where it came from (`path`, or `path:line` for JSON lines)."""

    where: str
    text: str | bytes


@dataclass(frozen=True)
class Failure:
    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Failure]]:
    """The payload files under `paths`: files as given, folders searched for .json/.jsonl."""
    files: list[Path] = []
    missing: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                Path(root, name)
                for root, dirs, names in os.walk(path)
                for name in sorted(names)
                if name.lower().endswith(PAYLOAD_SUFFIXES) and not dirs.sort()
            ]
            if not found:
                missing.append(Failure(str(path), "no .json, .jsonl or .ndjson files in folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Failure(str(path), "no such file or folder"))
    return files, missing


def _decode_error(exc: json.JSONDecodeError) -> str:
    if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"truncated JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"
    return f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"


def parse_file(path: Path) -> Iterator[tuple[str, Any] | Failure]:
    """Each payload in a file as (where, decoded JSON), or a Failure for what cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(str(path), f"not UTF-8 text (byte {exc.start})")
        return
    lines = path.suffix.lower() in JSONL_SUFFIXES
    if not lines:
        try:
            yield str(path), json.loads(text)
            return
        except json.JSONDecodeError as exc:
            # Several objects one per line in a .json file: read it as JSON lines.
            if exc.msg != "Extra data" or "\n" not in text.strip():
                yield Failure(str(path), _decode_error(exc))
                return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, _decode_error(exc))


# -- one call ------------------------------------------------------------------------------------
@dataclass
class Call:
    """What one payload says about speech timing."""

    where: str
    assistant_turns: int = 0
    metrics: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in TURN_METRICS})
    #: Waits before the model was asked: eos_to_push_latency, else acoustic - audio latency.
    pre_model_wait: list[float] = field(default_factory=list)
    #: acoustic_latency of turns that answered after a tool call.
    function_turn: list[float] = field(default_factory=list)
    tools: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in TOOL_METRICS})
    #: function_latency per function name.
    by_function: dict[str, list[float]] = field(default_factory=dict)
    barged_turns: int = 0
    barge_elapsed: list[float] = field(default_factory=list)
    attention_timeouts: int = 0
    attention_timeout_ms: list[float] = field(default_factory=list)
    ended: str = "unknown"


_NUMBER = (int, float)
_TURN_INDEX = tuple(enumerate(TURN_METRICS))


def _bad(key: str, value: Any, want: str, index: int, log: str) -> PayloadError:
    kind = type(value).__name__ if value is not None else "null"
    return PayloadError(f"{log}[{index}].{key}: expected {want}, got {kind}")


def _ms(
    entry: Mapping[str, Any], meta: Mapping[str, Any] | None, key: str, i: int, log: str
) -> float:
    """A measured millisecond figure from the entry or its metadata; 0.0 when not measured."""
    value = entry.get(key)
    if not value and meta is not None:
        value = meta.get(key)
    if not value:
        return 0.0
    if value.__class__ not in _NUMBER:
        raise _bad(key, value, "a number of ms", i, log)
    return float(value) if value > 0 and math.isfinite(value) else 0.0


def _spoken(content: Any, i: int, log: str) -> bool:
    if content is None:
        return False
    if isinstance(content, str):
        return bool(content.strip())
    if isinstance(content, list):  # OpenAI-style content parts
        return any(
            isinstance(p, dict) and isinstance(p.get("text"), str) and p["text"].strip()
            for p in content
        )
    raise _bad("content", content, "text", i, log)


def _entries(payload: Mapping[str, Any], key: str) -> list[Any] | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise PayloadError(f"{key}: expected a list of entries, got {type(value).__name__}")
    return value


def _timeline_as_log(timeline: list[Any]) -> list[Any]:
    """call_timeline events as call_log-like entries (only used when no call_log exists)."""
    roles = {"ai_response": "assistant", "tool_result": "tool", "user_input": "user"}
    out: list[Any] = []
    for i, event in enumerate(timeline):
        if not isinstance(event, dict):
            raise PayloadError(f"call_timeline[{i}]: expected an object")
        kind = event.get("type")
        role = roles.get(kind) if isinstance(kind, str) else None
        if role == "assistant":
            out.append({**event, "role": role, "content": event.get("content", "(spoken)")})
        elif role:
            out.append({**event, "role": role})
        else:
            out.append({"role": "system-log", "action": kind, "metadata": event})
    return out


def analyse_payload(payload: Any, where: str = "<payload>", into: Call | None = None) -> Call:
    """Read one decoded post_conversation payload; raise PayloadError if it is not one.

    With `into`, the figures are added to that call record (the pool of many calls) and, if
    the payload turns out to be broken, everything it added is taken back out.
    """
    if into is None:
        call = Call(where)
        _read_payload(payload, call)
        return call
    saved = _snapshot(into)
    into.ended = "unknown"
    try:
        _read_payload(payload, into)
    except PayloadError:
        _restore(into, saved)
        raise
    return into


def _lists(call: Call) -> list[list[float]]:
    return [
        *call.metrics.values(),
        *call.tools.values(),
        call.pre_model_wait,
        call.function_turn,
        call.barge_elapsed,
        call.attention_timeout_ms,
    ]


def _snapshot(call: Call) -> tuple[list[int], dict[str, int], tuple[int, int, int]]:
    counts = (call.assistant_turns, call.barged_turns, call.attention_timeouts)
    return [len(x) for x in _lists(call)], {k: len(v) for k, v in call.by_function.items()}, counts


def _restore(call: Call, saved: tuple[list[int], dict[str, int], tuple[int, int, int]]) -> None:
    lengths, functions, counts = saved
    for values, length in zip(_lists(call), lengths, strict=True):
        del values[length:]
    for name in list(call.by_function):
        if name in functions:
            del call.by_function[name][functions[name] :]
        else:
            del call.by_function[name]
    call.assistant_turns, call.barged_turns, call.attention_timeouts = counts


def _read_payload(payload: Any, call: Call) -> None:
    if not isinstance(payload, dict):
        raise PayloadError(f"expected a JSON object, got {_json_kind(payload)}")
    log_name = "call_log"
    log = _entries(payload, "call_log")
    raw = _entries(payload, "raw_call_log")
    if not log:
        if raw:
            log, raw, log_name = raw, None, "raw_call_log"
        else:
            timeline = _entries(payload, "call_timeline")
            if timeline:
                log, log_name = _timeline_as_log(timeline), "call_timeline"
            elif log is None and raw is None and timeline is None:
                raise PayloadError(
                    "not a post_conversation payload: no call_log, raw_call_log or call_timeline"
                )
            else:
                log = []
    # The raw log may carry per-turn fields the blessed log dropped (e.g. barge metadata).
    raw_by_ts: dict[Any, dict[str, Any]] = {}
    if raw:
        for entry in raw:
            if isinstance(entry, dict) and entry.get("role") == "assistant":
                stamp = entry.get("timestamp")
                if isinstance(stamp, (int, float, str)):  # a key; anything else cannot match
                    raw_by_ts.setdefault(stamp, entry)
    buckets = [call.metrics[name] for name in TURN_METRICS]
    after_tool = False
    system_logs: list[tuple[str, int, dict[str, Any]]] = []
    last_system = ""
    for i, entry in enumerate(log):
        if entry.__class__ is not dict:
            raise PayloadError(f"{log_name}[{i}]: expected an object, got {_json_kind(entry)}")
        role = entry.get("role")
        if role == "user":
            after_tool = False
            continue
        meta = entry.get("metadata")
        if meta is not None and meta.__class__ is not dict:
            raise _bad("metadata", meta, "an object", i, log_name)
        if role == "assistant":
            content = entry.get("content")
            if content.__class__ is str:
                spoken = bool(content) and not content.isspace()
            else:
                spoken = _spoken(content, i, log_name)
            calls_tool = entry.get("tool_calls") is not None
            if not spoken:
                after_tool = after_tool or calls_tool
                continue
            call.assistant_turns += 1
            stamp = entry.get("timestamp")
            if raw_by_ts and isinstance(stamp, (int, float, str)):
                twin = raw_by_ts.get(stamp)
                if twin is not None and twin.get("content") in (content, None):
                    twin_meta = twin.get("metadata")
                    meta = {
                        **(twin_meta if isinstance(twin_meta, dict) else {}),
                        **twin,
                        **(meta or {}),
                    }
            get = entry.get
            values = [
                get("latency"),
                get("utterance_latency"),
                get("audio_latency"),
                get("acoustic_latency"),
                get("eos_to_push_latency"),
            ]
            if meta is not None:
                mget = meta.get
                for index, name in _TURN_INDEX:
                    if not values[index]:
                        values[index] = mget(name)
            for index, value in enumerate(values):
                if not value:
                    values[index] = 0
                elif value.__class__ is not int and value.__class__ is not float:
                    raise _bad(TURN_METRICS[index], value, "a number of ms", i, log_name)
                elif value <= 0 or value == math.inf:
                    values[index] = 0
                else:
                    buckets[index].append(value)
            audio, acoustic, eos = values[2], values[3], values[4]
            if eos:
                call.pre_model_wait.append(eos)
            elif acoustic and audio and acoustic > audio:
                call.pre_model_wait.append(acoustic - audio)
            if after_tool and acoustic:
                call.function_turn.append(acoustic)
            # Speech that also calls a tool comes before the tool: the next turn follows it.
            after_tool = calls_tool
            barged = entry.get("barged")
            if barged is None and meta is not None:
                barged = meta.get("barged")
            if barged is not None and barged.__class__ is not bool:
                raise _bad("barged", barged, "true or false", i, log_name)
            if barged:
                call.barged_turns += 1
                elapsed = _ms(entry, meta, "barge_elapsed_ms", i, log_name)
                if elapsed:
                    call.barge_elapsed.append(elapsed)
        elif role == "tool":
            after_tool = True
            latency = 0.0
            for m in TOOL_METRICS:
                value = _ms(entry, meta, m, i, log_name)
                if value:
                    call.tools[m].append(value)
                    if m == "function_latency":
                        latency = value
            if latency:
                name = entry.get("function_name") or (meta or {}).get("function_name") or "?"
                call.by_function.setdefault(str(name), []).append(latency)
        elif role == "system-log":
            system_logs.append((log_name, i, entry))
        elif role == "system":
            content = entry.get("content")
            if isinstance(content, str) and i > 0:
                last_system = content
        elif role is not None and role.__class__ is not str:
            raise _bad("role", role, "text", i, log_name)
    if not any(_action(e) == "attention_timeout" for _, _, e in system_logs):
        # Events the turn log lacks may still be in the raw log or the timeline.
        if raw and log_name == "call_log":
            system_logs = [
                ("raw_call_log", i, e)
                for i, e in enumerate(raw)
                if isinstance(e, dict) and e.get("role") == "system-log"
            ]
        timeline = payload.get("call_timeline")
        if log_name != "call_timeline" and isinstance(timeline, list):
            has_end = any(_action(e) == "session_end" for _, _, e in system_logs)
            wanted = ("attention_timeout",) if has_end else ("attention_timeout", "session_end")
            system_logs += [
                ("call_timeline", i, {"role": "system-log", "action": e.get("type"), "metadata": e})
                for i, e in enumerate(timeline)
                if isinstance(e, dict) and e.get("type") in wanted
            ]
    _read_system_logs(call, system_logs)
    if call.ended == "unknown" and last_system:
        call.ended = _ending_from_text(last_system)


def _action(entry: Mapping[str, Any]) -> Any:
    return entry.get("action")


def _read_system_logs(call: Call, entries: Sequence[tuple[str, int, dict[str, Any]]]) -> None:
    fatal = ""
    for log, i, entry in entries:
        action = entry.get("action")
        meta = entry.get("metadata")
        if meta is not None and not isinstance(meta, dict):
            raise _bad("metadata", meta, "an object", i, log)
        if action == "attention_timeout":
            call.attention_timeouts += 1
            timeout = _ms(entry, meta, "timeout_ms", i, log)
            if timeout:
                call.attention_timeout_ms.append(timeout)
        elif action == "session_end":
            m = meta or entry
            reason, by = m.get("reason"), m.get("ended_by")
            text = str(reason) if isinstance(reason, str) and reason else "ended"
            if isinstance(by, str) and by:
                text += f" by {by}"
            call.ended = text
        elif (
            action == "manual_say"
            and meta
            and meta.get("error_reason")
            in (
                "token_exhaustion",
                "llm_fatal",
                "llm_max_retries",
            )
        ):
            fatal = f"fatal error: {meta['error_reason']}"
    if fatal and call.ended == "unknown":
        call.ended = fatal


def _ending_from_text(text: str) -> str:
    lower = text.lower()
    if "ended by the user" in lower or "user hung up" in lower:
        return "hangup by caller"
    if "ended by the ai" in lower or "ended by the assistant" in lower:
        return "hangup by agent"
    if "timeout" in lower or "timed out" in lower:
        return "timeout"
    return "unknown"


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


# -- many calls ----------------------------------------------------------------------------------
def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p% of values at or below."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 3)


def summary(values: Sequence[float], presorted: bool = False) -> dict[str, int | float | None]:
    """count, p50, p90, p95 and max (nearest rank); None figures when nothing was measured."""
    ordered = values if presorted else sorted(values)
    out: dict[str, int | float | None] = {"count": len(ordered)}
    for p in PERCENTILES:
        out[f"p{p}"] = _num(percentile(ordered, p)) if ordered else None
    out["max"] = _num(ordered[-1]) if ordered else None
    return out


@dataclass(frozen=True)
class Recommendation:
    param: str
    current: Value | None
    proposed: Value
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "param": self.param,
            "current": self.current,
            "proposed": self.proposed,
            "reason": self.reason,
        }


@dataclass
class Analysis:
    """Every call's figures pooled, with grades and recommendations."""

    #: Every analysed call's figures, pooled in one record.
    pool: Call = field(default_factory=lambda: Call("<all calls>"))
    calls: int = 0
    ended: Counter[str] = field(default_factory=Counter)
    errors: list[Failure] = field(default_factory=list)
    _series: dict[tuple[str, int], list[float]] = field(default_factory=dict, repr=False)

    def add(self, payload: Any, where: str) -> None:
        """Analyse one decoded payload into the pool; raises PayloadError (pool unchanged)."""
        analyse_payload(payload, where, into=self.pool)
        self.calls += 1
        self.ended[self.pool.ended] += 1

    def series(self, name: str) -> list[float]:
        """One figure over every call, sorted (computed once per figure)."""
        key = (name, self.calls)
        cached = self._series.get(key)
        if cached is None:
            pool = self.pool
            if name in TURN_METRICS:
                cached = sorted(pool.metrics[name])
            elif name in TOOL_METRICS:
                cached = sorted(pool.tools[name])
            else:
                cached = sorted(getattr(pool, name))
            self._series[key] = cached
        return cached

    @property
    def assistant_turns(self) -> int:
        return self.pool.assistant_turns

    @property
    def barged_turns(self) -> int:
        return self.pool.barged_turns

    @property
    def barge_rate(self) -> float | None:
        turns = self.assistant_turns
        return self.barged_turns / turns if turns else None

    @property
    def attention_timeouts(self) -> int:
        return self.pool.attention_timeouts

    def metric(self, name: str) -> list[float]:
        return self.series(name)

    def grades(self) -> dict[str, Grade | None]:
        """Course grades at the typical (p50) call turn; None when nothing was measured."""
        basis = {
            "first_response": self.metric("acoustic_latency"),
            "function": self.metric("function_latency"),
            "function_turn": self.series("function_turn"),
        }
        out: dict[str, Grade | None] = {}
        for name, values in basis.items():
            out[name] = grade(name, percentile(values, GRADE_PERCENTILE)) if values else None
        return out

    def endings(self) -> dict[str, int]:
        return dict(self.ended.most_common())

    def slow_functions(self) -> dict[str, float]:
        """Functions whose typical latency misses the course's "good" goal, with that p50."""
        merged = self.pool.by_function
        good_below = GOALS["function"][0]
        out = {}
        for name, values in sorted(merged.items()):
            p50 = percentile(sorted(values), 50)
            if len(values) >= MIN_EVIDENCE and p50 >= good_below:
                out[name] = p50
        return out

    def recommendations(self, params: SpeechTiming) -> list[Recommendation]:
        return recommend(self, params)

    def to_json(self, params: SpeechTiming) -> dict[str, Any]:
        """The document `speech-tuner calls --format json` prints."""
        return {
            "calls": self.calls,
            "assistant_turns": self.assistant_turns,
            "acoustic_latency_ms": summary(self.metric("acoustic_latency"), presorted=True),
            "eos_to_push_latency_ms": summary(self.metric("eos_to_push_latency"), presorted=True),
            "llm_latency_ms": summary(self.metric("latency"), presorted=True),
            "utterance_latency_ms": summary(self.metric("utterance_latency"), presorted=True),
            "audio_latency_ms": summary(self.metric("audio_latency"), presorted=True),
            "function_latency_ms": summary(self.metric("function_latency"), presorted=True),
            "execution_latency_ms": summary(self.metric("execution_latency"), presorted=True),
            "function_turn_latency_ms": summary(self.series("function_turn"), presorted=True),
            "barged_turns": self.barged_turns,
            "barge_rate": self.barge_rate,
            "barge_elapsed_ms": summary(self.series("barge_elapsed"), presorted=True),
            "attention_timeouts": self.attention_timeouts,
            "ended": self.endings(),
            "grades": self.grades(),
            "grade_percentile": GRADE_PERCENTILE,
            "recommendations": [r.to_json() for r in self.recommendations(params)],
            "advice": advice(self),
            "errors": [e.to_json() for e in self.errors],
        }


def analyse(
    paths: Iterable[str | os.PathLike[str]],
    progress: Callable[[int, int], None] | None = None,
) -> Analysis:
    """Analyse every payload under `paths`; unreadable ones are listed in `errors`, not raised."""
    files, failures = discover(paths)
    result = Analysis(errors=failures)
    total = len(files)
    for n, path in enumerate(files, 1):
        for item in parse_file(path):
            if isinstance(item, Failure):
                result.errors.append(item)
                continue
            where, payload = item
            try:
                result.add(payload, where)
            except PayloadError as exc:
                result.errors.append(Failure(where, str(exc)))
        if progress is not None:
            progress(n, total)
    return result


# -- recommendations -----------------------------------------------------------------------------
def _concrete(value: Value | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _is_on(value: Value | None) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _valid(param: str, value: Value) -> bool:
    """Whether the model accepts `value` for `param` (every proposal must pass)."""
    try:
        spec(param).validate(value)
    except ValueError:
        return False
    return True


def _fmt_ms(value: float) -> str:
    return f"{_num(value)} ms"


def recommend(analysis: Analysis, params: SpeechTiming) -> list[Recommendation]:
    """What to change, each with the evidence behind it; nothing without evidence."""
    out: list[Recommendation] = []
    out.extend(_silence_wait(analysis, params))
    out.extend(_barges(analysis, params))
    out.extend(_attention(analysis, params))
    out.extend(_slow_tools(analysis, params))
    return [r for r in out if _valid(r.param, r.proposed) and r.proposed != r.current]


def _silence_wait(a: Analysis, params: SpeechTiming) -> Iterator[Recommendation]:
    acoustic = a.metric("acoustic_latency")
    waits = a.series("pre_model_wait")
    if len(acoustic) < MIN_EVIDENCE or len(waits) < MIN_EVIDENCE:
        return
    total, wait = percentile(acoustic, 50), percentile(waits, 50)
    good_below = GOALS["first_response"][0]
    if total < good_below or wait < WAIT_SHARE * total:
        return
    evidence = (
        f"callers wait {_fmt_ms(total)} for the first response (p50 of {len(acoustic)} turns, "
        f"goal < {good_below} ms); {_fmt_ms(wait)} of it ({wait / total:.0%}) passes before the "
        f"model is even asked (end-of-speech wait, p50 of {len(waits)} turns)"
    )
    detection = params.effective("enable_turn_detection")
    if _is_on(detection) is False:
        yield Recommendation(
            "enable_turn_detection",
            detection,
            True,
            f"{evidence}; turn detection ends a turn on a finished sentence without waiting "
            "out the silence",
        )
    eos_value = params.effective("end_of_speech_timeout")
    eos = _concrete(eos_value)
    if eos is None:
        return
    excess = total - (good_below - 1)
    proposed = max(EOS_FLOOR, int((eos - min(excess, wait)) // 50 * 50))
    if proposed < eos:
        yield Recommendation(
            "end_of_speech_timeout",
            eos_value,
            proposed,
            f"{evidence}; a shorter silence timeout gives back up to {_fmt_ms(eos - proposed)} "
            f"(not below {EOS_FLOOR} ms, where callers who pause mid-sentence get cut off)",
        )


def _barges(a: Analysis, params: SpeechTiming) -> Iterator[Recommendation]:
    turns, barged = a.assistant_turns, a.barged_turns
    if barged < MIN_EVIDENCE or not turns or barged / turns < BARGE_RATE:
        return
    elapsed = a.series("barge_elapsed")
    early = percentile(elapsed, 50) if elapsed else None
    if early is not None and early > EARLY_BARGE_MS:
        return  # callers interrupt long answers late: shorter answers help, not a higher bar
    when = (
        f"typically {_fmt_ms(early)} into the agent's speech (p50 of {len(elapsed)})"
        if early is not None
        else "barge_elapsed_ms not measured"
    )
    evidence = f"{barged} of {turns} assistant turns were barged ({barged / turns:.0%}), {when}"
    words_value = params.effective("barge_min_words")
    words = _concrete(words_value)
    if words_value is None or words is not None:
        current = int(words) if words is not None else 1
        step = 2 if barged / turns >= 2 * BARGE_RATE else 1
        proposed = min(99, current + step)
        yield Recommendation(
            "barge_min_words",
            words_value,
            proposed,
            f"{evidence}; requiring {proposed} words keeps a cough or an 'mhm' from cutting "
            "the agent off",
        )
    transparent = params.effective("transparent_barge")
    if _is_on(transparent) is False:
        yield Recommendation(
            "transparent_barge",
            transparent,
            True,
            f"{evidence}; with transparent barge the agent waits for the caller to finish "
            "instead of abandoning its answer",
        )


def _attention(a: Analysis, params: SpeechTiming) -> Iterator[Recommendation]:
    events, calls = a.attention_timeouts, a.calls
    if events < MIN_EVIDENCE - 1 or not calls or events / calls < ATTENTION_PER_CALL:
        return
    value = params.effective("attention_timeout")
    current = _concrete(value)
    fired_at = a.series("attention_timeout_ms")
    base = max([*(fired_at or []), current or 0])
    if current == 0 or base <= 0:
        return  # off in this preset: the calls ran with another setting; nothing to lengthen
    proposed = int(min(600000, max(10000, math.ceil(base * 1.5 / 1000) * 1000)))
    seen = f" after {_fmt_ms(max(fired_at))}" if fired_at else ""
    yield Recommendation(
        "attention_timeout",
        value,
        proposed,
        f"attention timeouts fired {events} times in {calls} calls{seen} "
        f"({events / calls:.1f} per call): callers were still thinking or looking something up",
    )


def _slow_tools(a: Analysis, params: SpeechTiming) -> Iterator[Recommendation]:
    latencies = a.metric("function_latency")
    if len(latencies) < MIN_EVIDENCE:
        return
    p50 = percentile(latencies, 50)
    if p50 < GOALS["function"][0]:
        return
    value = params.effective("function_wait_for_talking")
    if _is_on(value) is True:
        yield Recommendation(
            "function_wait_for_talking",
            value,
            False,
            f"tools take {_fmt_ms(p50)} (p50 of {len(latencies)} calls, goal < "
            f"{GOALS['function'][0]} ms); run them while the filler plays instead of after it",
        )


def advice(a: Analysis) -> list[dict[str, Any]]:
    """Changes outside `ai.params` the evidence asks for: fillers on slow SWAIG functions."""
    out = []
    for name, p50 in a.slow_functions().items():
        out.append(
            {
                "function": name,
                "setting": "fillers",
                "reason": f"{name} takes {_fmt_ms(p50)} (p50): give it fillers "
                '({"en-US": ["One moment while I check."]}) so the caller hears something',
            }
        )
    return out


def recommended_params(recommendations: Sequence[Recommendation]) -> dict[str, Value]:
    return {r.param: r.proposed for r in recommendations}
