"""The latency budget of one turn: what a caller waits, computed from a preset, and its grades."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tuner.params import Timing

Grade = Literal["good", "acceptable", "poor"]
Scenario = Literal["silence", "detected"]
SCENARIOS: tuple[Scenario, ...] = ("silence", "detected")

#: The course's latency goals, (good below, poor above) in ms; the bounds themselves are
#: "acceptable".
GOALS: dict[str, tuple[int, int]] = {
    "first_response": (1000, 2000),
    "function": (500, 1000),
    "function_turn": (2000, 3000),
}


def grade(metric: str, ms: float) -> Grade:
    """Grade a latency against the course goal for `metric`."""
    good_below, poor_above = GOALS[metric]
    if ms < good_below:
        return "good"
    return "acceptable" if ms <= poor_above else "poor"


@dataclass(frozen=True)
class Components:
    """Latencies of the parts of a turn after the platform decides the caller is done (ms).

    Defaults are typical figures for a streaming voice stack:
    - asr_ms 150: streaming recognisers finalise a transcript 100-300 ms after speech ends
      (Deepgram Nova and AssemblyAI Universal-Streaming publish sub-300 ms finals);
    - llm_ms 450: time to first token of a small hosted model (GPT-4o-mini class) is typically
      300-600 ms (Artificial Analysis TTFT league tables);
    - tts_ms 250: time to first audio of streaming TTS is 100-300 ms (ElevenLabs Flash,
      Cartesia Sonic, Rime publish 75-200 ms model time plus transport);
    - network_ms 100: media and API round trips between carrier, platform and providers;
    - function_ms 300: a quick webhook (SWAIG function) on a nearby server.
    """

    asr_ms: int = 150
    llm_ms: int = 450
    tts_ms: int = 250
    network_ms: int = 100
    function_ms: int = 300

    def to_json(self) -> dict[str, int]:
        return asdict(self)


#: Where each default of `Components` comes from, in a line (shown in `budget --help`).
COMPONENT_SOURCES: dict[str, str] = {
    "asr_ms": "streaming ASR finals arrive 100-300 ms after speech ends "
    "(Deepgram Nova, AssemblyAI Universal-Streaming)",
    "llm_ms": "time to first token of a small hosted model (GPT-4o-mini class) is 300-600 ms "
    "(Artificial Analysis TTFT tables)",
    "tts_ms": "time to first audio of streaming TTS is 100-300 ms "
    "(ElevenLabs Flash, Cartesia Sonic, Rime)",
    "network_ms": "media and API round trips between carrier, platform and providers",
    "function_ms": "a quick SWAIG webhook on a nearby server",
}


@dataclass(frozen=True)
class Turn:
    """One scenario's budget: the platform's wait and what the caller hears when."""

    scenario: Scenario
    wait_ms: int
    first_response_ms: int
    function_turn_ms: int
    perceived_silence_ms: int | None
    grades: dict[str, Grade] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["scenario"]
        if self.perceived_silence_ms is None:
            del out["perceived_silence_ms"]
        return out


def _ms(value: object, fallback: int) -> int:
    """A concrete millisecond figure; SWML variables cannot be budgeted, so use the default."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return fallback
    return int(value)


def turn_detection_on(params: Timing) -> bool:
    value = params.effective("enable_turn_detection")
    return not (value is False or (isinstance(value, str) and value.lower() == "false"))


def wait_ms(params: Timing, scenario: Scenario) -> int:
    """How long the platform waits after the caller stops speaking, in a scenario.

    `silence`: the caller simply stops; the platform waits `end_of_speech_timeout`.
    `detected`: the transcript ends a sentence and turn detection fires after
    `turn_detection_timeout` (only while `enable_turn_detection` is on, and never later than
    the silence timeout).
    """
    eos = _ms(params.effective("end_of_speech_timeout"), 700)
    if scenario == "silence" or not turn_detection_on(params):
        return eos
    return min(_ms(params.effective("turn_detection_timeout"), 250), eos)


def wait_param(params: Timing, scenario: Scenario) -> str:
    """The param that sets `wait_ms` in a scenario."""
    if scenario == "silence" or not turn_detection_on(params):
        return "end_of_speech_timeout"
    tdt = _ms(params.effective("turn_detection_timeout"), 250)
    eos = _ms(params.effective("end_of_speech_timeout"), 700)
    return "turn_detection_timeout" if tdt <= eos else "end_of_speech_timeout"


def turn(params: Timing, components: Components, scenario: Scenario, fillers: bool = False) -> Turn:
    """The budget of a turn in one scenario."""
    c = components
    wait = wait_ms(params, scenario)
    first = wait + c.asr_ms + c.llm_ms + c.tts_ms + c.network_ms
    function_turn = wait + c.asr_ms + c.llm_ms + c.function_ms + c.llm_ms + c.tts_ms + c.network_ms
    return Turn(
        scenario=scenario,
        wait_ms=wait,
        first_response_ms=first,
        function_turn_ms=function_turn,
        perceived_silence_ms=first if fillers else None,
        grades={
            "first_response": grade("first_response", first),
            "function": grade("function", c.function_ms),
            "function_turn": grade("function_turn", function_turn),
        },
    )


def budget(
    params: Timing, components: Components | None = None, fillers: bool = False
) -> dict[Scenario, Turn]:
    """Both scenarios' budgets."""
    comps = components or Components()
    return {s: turn(params, comps, s, fillers) for s in SCENARIOS}


def report(
    preset: str, params: Timing, components: Components | None = None, fillers: bool = False
) -> dict[str, Any]:
    """The budget as the JSON document `speech-tuner budget --format json` prints."""
    comps = components or Components()
    turns = budget(params, comps, fillers)
    return {
        "preset": preset,
        "components": comps.to_json(),
        "scenarios": {name: t.to_json() for name, t in turns.items()},
    }
