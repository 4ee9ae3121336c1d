"""What the evidence asks to change: validated recommendations, advice, what is missing."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tuner.budget import GOALS
from tuner.calls.histogram import num
from tuner.calls.payload import CUT_OFF_GAP_MS, EARLY_BARGE_MS, NO_STEP
from tuner.params import Timing, Value, spec

if TYPE_CHECKING:
    from tuner.calls.analysis import Analysis
    from tuner.calls.summary import StepSummary

#: Fewest observations a recommendation stands on.
MIN_EVIDENCE = 3
#: Share of the caller's wait spent before the model is asked that counts as "dominates".
WAIT_SHARE = 0.4
#: Shortest end_of_speech_timeout ever proposed: below it callers who pause mid-sentence are
#: cut off (the "quick" preset's floor; the schema's own minimum is 250).
EOS_FLOOR = 300
#: Barge rate over assistant turns that counts as "many".
BARGE_RATE = 0.2
#: Attention timeouts per call that count as "many".
ATTENTION_PER_CALL = 0.5
#: Cut-offs per 100 caller turns that count as "callers are being cut off".
CUT_OFF_RATE = 5.0
#: The least an end_of_speech_timeout is lengthened by when callers are cut off (ms).
EOS_STEP = 200


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


def _ms(value: float) -> str:
    return f"{num(value)} ms"


def _default_eos(params: Timing) -> tuple[Value | None, float | None]:
    value = params.effective("end_of_speech_timeout")
    concrete = _concrete(value)
    if concrete is None and value is None:
        concrete = float(spec("end_of_speech_timeout").default or 700)
    return value, concrete


def recommend(a: Analysis, params: Timing) -> list[Recommendation]:
    """What to change, each with the evidence behind it; nothing without evidence."""
    cut = list(_cut_offs(a, params))
    out: list[Recommendation] = [*cut]
    # Callers being cut off outweighs a long wait: never propose both directions.
    out.extend(r for r in _silence_wait(a, params) if not cut or r.param != cut[0].param)
    out.extend(_barges(a, params))
    out.extend(_attention(a, params))
    out.extend(_slow_tools(a, params))
    return [r for r in out if _valid(r.param, r.proposed) and r.proposed != r.current]


def _longer_eos(current: float, gaps: Any) -> int:
    pause = gaps.percentile(90) if gaps else 0
    return int(min(10000, math.ceil((current + max(EOS_STEP, pause)) / 50) * 50))


def _cut_evidence(cut: int, turns: int, splits: int, early: int) -> str:
    return (
        f"{cut} of {turns} caller turns were cut off ({100 * cut / turns:.0f} per 100): "
        f"{splits} continued the caller's own turn within {CUT_OFF_GAP_MS} ms and {early} "
        f"barged the agent's reply in its first {EARLY_BARGE_MS} ms"
    )


def _cut_offs(a: Analysis, params: Timing) -> Iterator[Recommendation]:
    cut, turns = a.cut_offs, a.caller_turns
    if cut < MIN_EVIDENCE or not turns or 100 * cut / turns < CUT_OFF_RATE:
        return
    value, current = _default_eos(params)
    if current is None:
        return
    proposed = _longer_eos(current, a.series["split_gaps"])
    yield Recommendation(
        "end_of_speech_timeout",
        value,
        proposed,
        f"{_cut_evidence(cut, turns, a.split_turns, a.early_barges)}; a longer silence "
        "timeout lets callers finish a sentence they paused in",
    )


def _silence_wait(a: Analysis, params: Timing) -> Iterator[Recommendation]:
    acoustic = a.series["acoustic_latency"]
    waits = a.series["pre_model_wait"]
    if len(acoustic) < MIN_EVIDENCE or len(waits) < MIN_EVIDENCE:
        return
    total, wait = acoustic.percentile(50), waits.percentile(50)
    good_below = GOALS["first_response"][0]
    if total < good_below or wait < WAIT_SHARE * total:
        return
    evidence = (
        f"callers wait {_ms(total)} for the first response (p50 of {len(acoustic)} turns, "
        f"goal < {good_below} ms); {_ms(wait)} of it ({wait / total:.0%}) passes before the "
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
            f"{evidence}; a shorter silence timeout gives back up to {_ms(eos - proposed)} "
            f"(not below {EOS_FLOOR} ms, where callers who pause mid-sentence get cut off)",
        )


def _barges(a: Analysis, params: Timing) -> Iterator[Recommendation]:
    turns, barged = a.assistant_turns, a.barged_turns
    if barged < MIN_EVIDENCE or not turns or barged / turns < BARGE_RATE:
        return
    elapsed = a.series["barge_elapsed"]
    early = elapsed.percentile(50) if elapsed else None
    if early is not None and early > EARLY_BARGE_MS:
        return  # callers interrupt long answers late: shorter answers help, not a higher bar
    when = (
        f"typically {_ms(early)} into the agent's speech (p50 of {len(elapsed)})"
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


def _attention(a: Analysis, params: Timing) -> Iterator[Recommendation]:
    events, calls = a.attention_timeouts, a.calls
    if events < MIN_EVIDENCE - 1 or not calls or events / calls < ATTENTION_PER_CALL:
        return
    value = params.effective("attention_timeout")
    current = _concrete(value)
    fired = a.series["attention_timeout_ms"]
    used = fired.max if fired else None
    base = max(used or 0, current or 0)
    if current == 0 or base <= 0:
        return  # off in this preset: the calls ran with another setting; nothing to lengthen
    proposed = int(min(600000, max(10000, math.ceil(base * 1.5 / 1000) * 1000)))
    seen = f" after {_ms(used)} (the timeout_ms the platform used)" if used else ""
    yield Recommendation(
        "attention_timeout",
        value,
        proposed,
        f"attention timeouts fired {events} times in {calls} calls{seen} "
        f"({events / calls:.1f} per call): callers were still thinking or looking something up",
    )


def _slow_tools(a: Analysis, params: Timing) -> Iterator[Recommendation]:
    field, durations = a.function_series()
    if len(durations) < MIN_EVIDENCE:
        return
    p50 = durations.percentile(50)
    if p50 < GOALS["function"][0]:
        return
    value = params.effective("function_wait_for_talking")
    if _is_on(value) is True:
        yield Recommendation(
            "function_wait_for_talking",
            value,
            False,
            f"functions take {_ms(p50)} (p50 of {len(durations)} calls, {field}, pooled over "
            f"all functions; goal < {GOALS['function'][0]} ms); run them while the filler "
            "plays instead of after it",
        )


FILLERS = '`"fillers": {"en-US": ["One moment while I check."]}`'


def advice(a: Analysis, params: Timing) -> list[dict[str, Any]]:
    """Changes outside the preset the evidence asks for: fillers, and per-step timing."""
    out: list[dict[str, Any]] = []
    good_below = GOALS["function"][0]
    pooled = a.function_series()[1]
    slow = {
        name: hist.percentile(50)
        for name, hist in sorted(a.by_function.items())
        if len(hist) >= MIN_EVIDENCE and hist.percentile(50) >= good_below
    }
    for name, p50 in slow.items():
        out.append(
            {
                "function": name,
                "setting": "fillers",
                "reason": f"{name} takes {_ms(p50)} (p50 of {len(a.by_function[name])}): give "
                f"it fillers ({FILLERS} on the SWAIG function) so the caller hears something",
            }
        )
    if not slow and len(pooled) >= MIN_EVIDENCE and pooled.percentile(50) >= good_below:
        names = ", ".join(sorted(a.by_function)) or "?"
        out.append(
            {
                "function": "(all functions)",
                "setting": "fillers",
                "reason": f"functions take {_ms(pooled.percentile(50))} (p50 of {len(pooled)} "
                f"calls to {names}, pooled: no one function has {MIN_EVIDENCE} calls); give the "
                f"slow ones fillers ({FILLERS}) so the caller hears something",
            }
        )
    out.extend(_step_advice(a, params))
    return out


def _step_advice(a: Analysis, params: Timing) -> Iterator[dict[str, Any]]:
    value, current = _default_eos(params)
    if current is None:
        return
    for name, step in sorted(a.steps.items()):
        if name == NO_STEP:
            continue
        yield from _one_step(name, step, value, current)


def _one_step(
    name: str, step: StepSummary, value: Value | None, current: float
) -> Iterator[dict[str, Any]]:
    turns, cut = step.caller_turns, step.cut_offs
    if cut < 2 or turns < MIN_EVIDENCE or 100 * cut / turns < CUT_OFF_RATE:
        return
    proposed = _longer_eos(current, step.series["split_gaps"])
    if not _valid("end_of_speech_timeout", proposed) or proposed <= current:
        return
    shown = "platform default" if value is None else value
    yield {
        "step": name,
        "setting": "end_of_speech_timeout",
        "current": value,
        "proposed": proposed,
        "reason": f"in step `{name}`: end_of_speech_timeout {shown} → {proposed}: {cut} of "
        f"{turns} caller turns in this step were cut off. A preset applies to the whole call: "
        f"set it when the step starts, from a SWAIG function's result "
        f"(`result.set_end_of_speech_timeout({proposed})`)",
    }


def missing_evidence(a: Analysis) -> list[str]:
    """What the logs lack for each figure that could not be computed, in plain words."""
    out: list[str] = []
    if not a.calls:
        return ["no payload could be read"]
    if not a.series["first_response"]:
        out.append(
            "first response: no acoustic_latency, and no caller turn with an endpointing "
            "figure (speaking_to_final_event, eos_to_push_latency) answered directly by a "
            "reply with audio_latency"
        )
    if not a.series["endpointing"]:
        out.append(
            "endpointing wait: no caller turn with speaking_to_final_event or "
            "timing.commit_latency_ms, and no reply with eos_to_push_latency"
        )
    if a.caller_turns and not a.series["caller_turn"] and not a.series["barge_elapsed"]:
        out.append(
            "cut-offs: caller turns carry no start_timestamp/end_timestamp and no barge "
            "carries barge_elapsed_ms"
        )
    if not a.caller_turns:
        out.append("caller turns: the logs hold no user entries")
    if set(a.steps) <= {NO_STEP}:
        out.append("steps: the logs name no dialogue step (no session_start or step_change)")
    if a.calls and len(a.series["pre_model_wait"]) < MIN_EVIDENCE:
        out.append(
            "a shorter end_of_speech_timeout needs the wait from the caller's last word "
            f"(eos_to_push_latency, or acoustic_latency with audio_latency) on at least "
            f"{MIN_EVIDENCE} turns; have {len(a.series['pre_model_wait'])}"
        )
    return out


def recommended_params(recommendations: Sequence[Recommendation]) -> dict[str, Value]:
    return {r.param: r.proposed for r in recommendations}
