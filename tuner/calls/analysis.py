"""Many calls: files → summaries (in this process or spread over cores) → the report document."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from tuner.budget import Grade, grade
from tuner.calls.histogram import Histogram, num
from tuner.calls.payload import NO_STEP, PayloadError
from tuner.calls.read import Failure, Incomplete, discover, parse_file
from tuner.calls.summary import StepSummary, Summary
from tuner.calls.turns import read_call
from tuner.params import Timing

#: The percentile every grade is taken at: the typical turn.
GRADE_PERCENTILE = 50
#: Files handed to a worker process at a time with --jobs.
CHUNK = 16

#: What each endpointing source measures from, for the report.
FROM_LAST_WORD = ("eos_to_push_latency", "timing.commit_latency_ms")


class Analysis(Summary):
    """A `Summary` with the grades and the report document built from it."""

    def series_of(self, name: str) -> Histogram:
        return self.series[name]

    @property
    def barge_rate(self) -> float | None:
        return self.barged_turns / self.assistant_turns if self.assistant_turns else None

    @property
    def endpointing_from_onset(self) -> bool:
        """Whether any endpointing wait was measured from the caller's speech onset."""
        return any(s not in FROM_LAST_WORD for s in self.endpointing_sources)

    @property
    def first_response_estimated(self) -> bool:
        return any(s.startswith("estimate") for s in self.first_response_sources)

    def function_series(self) -> tuple[str, Histogram]:
        """How long functions ran: their own durations when the logs carry them."""
        if self.series["function_duration"]:
            return "function_duration", self.series["function_duration"]
        return "function_latency", self.series["function_latency"]

    def grades(self) -> dict[str, Grade | None]:
        """Course grades at the typical (p50) turn; None when nothing was measured."""
        basis = {
            "first_response": self.series["first_response"],
            "function": self.function_series()[1],
            "function_turn": self.series["function_turn"],
        }
        return {
            name: grade(name, hist.percentile(GRADE_PERCENTILE)) if hist else None
            for name, hist in basis.items()
        }

    def recommendations(self, params: Timing) -> list[Any]:
        from tuner.calls.advice import recommend

        return recommend(self, params)

    def to_json(self, params: Timing) -> dict[str, Any]:
        """The document `speech-tuner calls --format json` prints."""
        from tuner.calls.advice import advice, missing_evidence, recommend

        s = self.series
        eos = params.effective("end_of_speech_timeout")
        doc: dict[str, Any] = {
            "calls": self.calls,
            "assistant_turns": self.assistant_turns,
            "caller_turns": self.caller_turns,
            "acoustic_latency_ms": s["acoustic_latency"].summary(),
            "eos_to_push_latency_ms": s["eos_to_push_latency"].summary(),
            "llm_latency_ms": s["latency"].summary(),
            "utterance_latency_ms": s["utterance_latency"].summary(),
            "audio_latency_ms": s["audio_latency"].summary(),
            "function_latency_ms": s["function_latency"].summary(),
            "execution_latency_ms": s["execution_latency"].summary(),
            "function_duration_ms": s["function_duration"].summary(),
            "function_turn_latency_ms": s["function_turn"].summary(),
            "answer_time_ms": s["answer_time"].summary(),
            "endpointing_ms": {
                **s["endpointing"].summary(),
                "source": dict(self.endpointing_sources.most_common()),
                "from_speech_onset": self.endpointing_from_onset,
                "end_of_speech_timeout": eos if isinstance(eos, int) else None,
                "above_end_of_speech_timeout": _above(s["endpointing"], eos),
            },
            "first_response_ms": {
                **s["first_response"].summary(),
                "source": dict(self.first_response_sources.most_common()),
                "estimate": self.first_response_estimated,
            },
            "caller_turn_ms": s["caller_turn"].summary(),
            "turn_detection_to_final_event_ms": s["turn_detection_to_final"].summary(),
            "confidence": s["confidence"].summary(),
            "cut_offs": {
                "count": self.cut_offs,
                "split_turns": self.split_turns,
                "early_barges": self.early_barges,
                "caller_turns": self.caller_turns,
                "per_100_caller_turns": (
                    num(round(100 * self.cut_offs / self.caller_turns, 1))
                    if self.caller_turns
                    else None
                ),
                "split_gap_ms": s["split_gaps"].summary(),
            },
            "barged_turns": self.barged_turns,
            "barge_rate": self.barge_rate,
            "barge_elapsed_ms": s["barge_elapsed"].summary(),
            "attention_timeouts": self.attention_timeouts,
            "attention_timeouts_per_call": (
                num(round(self.attention_timeouts / self.calls, 2)) if self.calls else None
            ),
            "attention_timeout_ms": s["attention_timeout_ms"].summary(),
            "caller_hung_up": self.caller_hung_up,
            "caller_ended_early": self.ended_early,
            "ended": dict(self.ended.most_common()),
            "presets": dict(self.presets.most_common()),
            "steps": {name: step_json(step) for name, step in sorted(self.steps.items())},
            "ignored": dict(self.ignored.most_common()),
            "grades": self.grades(),
            "grade_percentile": GRADE_PERCENTILE,
            "recommendations": [r.to_json() for r in recommend(self, params)],
            "advice": advice(self, params),
            "missing_evidence": missing_evidence(self),
            "incomplete_lines": self.incomplete,
            "errors": [e.to_json() for e in self.errors],
        }
        return doc


def _above(hist: Histogram, eos: Any) -> int | None:
    if not isinstance(eos, int) or isinstance(eos, bool) or not hist:
        return None
    return sum(n for key, n in hist.bins.items() if key * hist.resolution > eos)


def step_json(step: StepSummary) -> dict[str, Any]:
    turns = step.caller_turns
    return {
        "caller_turns": turns,
        "cut_offs": step.cut_offs,
        "cut_offs_per_100_caller_turns": (
            num(round(100 * step.cut_offs / turns, 1)) if turns else None
        ),
        "attention_timeouts": step.attention_timeouts,
        "endpointing_ms": step.series["endpointing"].summary(),
        "caller_turn_ms": step.series["caller_turn"].summary(),
        "first_response_ms": step.series["first_response"].summary(),
        "confidence": step.series["confidence"].summary(),
        "split_gap_ms": step.series["split_gaps"].summary(),
    }


def analyse_file(path: str | os.PathLike[str], into: Summary | None = None) -> Summary:
    """Every payload of one file folded into a summary (a new one unless `into` is given).

    The unit of parallel work: run it anywhere and `merge` the results.
    """
    result = into if into is not None else Analysis()
    add, errors = result.add, result.errors
    for item in parse_file(Path(path)):
        if isinstance(item, Failure):
            errors.append(item)
            continue
        if isinstance(item, Incomplete):
            result.incomplete.append(item.path)
            continue
        where, payload = item
        try:
            call = read_call(payload, where)
        except PayloadError as exc:
            errors.append(Failure(where, str(exc)))
            continue
        add(call)
    return result


def _analyse_chunk(paths: list[str]) -> Summary:
    result = Analysis()
    for path in paths:
        analyse_file(path, result)
    return result


def over_files(
    files: list[Path],
    one: Callable[[Path], object],
    chunk: Callable[[list[str]], Any],
    merge: Callable[[Any], object],
    progress: Callable[[int, int], None] | None,
    jobs: int,
) -> None:
    """Run `one(path)` on each file here, or with `jobs` > 1 `chunk(paths)` on runs of CHUNK
    files in that many worker processes, handing each chunk's result to `merge` in file order."""
    total = len(files)
    if jobs <= 1 or total < 2:
        for n, path in enumerate(files, 1):
            one(path)
            if progress is not None:
                progress(n, total)
        return
    chunks = [[str(p) for p in files[i : i + CHUNK]] for i in range(0, total, CHUNK)]
    done = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for paths, part in zip(chunks, pool.map(chunk, chunks), strict=True):
            merge(part)
            done += len(paths)
            if progress is not None:
                progress(done, total)


def analyse(
    paths: Iterable[str | os.PathLike[str]],
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> Analysis:
    """Analyse every payload under `paths`; unreadable ones are listed in `errors`, not raised.

    With `jobs` > 1 the files are spread over that many worker processes.
    """
    files, failures = discover(paths)
    result = Analysis(errors=failures)
    over_files(
        files, lambda path: analyse_file(path, result), _analyse_chunk, result.merge, progress, jobs
    )
    return result


__all__ = ["NO_STEP", "Analysis", "analyse", "analyse_file", "over_files"]
