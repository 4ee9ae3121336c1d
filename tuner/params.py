"""SignalWire's speech-timing params: the single source of every bound, unit, default and help
text (`SPECS`), and what reads a set of their values (`Timing`).

Free of pydantic, so presets load and the editor draws without it: the Pydantic model,
`SpeechTiming`, is declared from `SPECS` in `tuner.model` (public as `tuner.SpeechTiming`). Each
`Param` is its field's validator, so the model and the presets layer (which applies the same
`Param`s, see `tuner.presets.document.judge_params`) judge a value with one rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from tuner.param import SWML_VAR, Kind, Param, Value

if TYPE_CHECKING:
    from tuner.model import SpeechTiming

__all__ = [
    "GROUPS",
    "PARAM_NAMES",
    "SPECS",
    "SWML_VAR",
    "JudgedTiming",
    "Kind",
    "Param",
    "SpeechTiming",
    "Timing",
    "Value",
    "by_group",
    "spec",
]

#: The groups the params are shown in, in display order.
GROUPS: tuple[str, ...] = (
    "Attention",
    "End of speech & turn detection",
    "Barge-in",
    "Voice & response",
    "Keypad",
)


def _p(kind: Kind, group: str, help: str, **kw: Any) -> Param:
    return Param(kind=kind, group=group, help=help, **kw)


def _ms(group: str, help: str, lo: int, hi: int, default: int | None = None, **kw: Any) -> Param:
    return Param("integer", group, help, unit="ms", minimum=lo, maximum=hi, default=default, **kw)


ATT, EOS, BARGE, VOICE, KEYS = GROUPS

_ATTENTION_PROMPT = (
    "The user has not responded, try to get their attention. Stay in the same language."
)
_HARD_STOP_PROMPT = (
    "Explain to the user in the current language that you have run out of time to continue "
    "the conversation and you will have someone contact them soon."
)

Ms = int | str | None


#: Every param, in declaration (and display) order. Every bound, type and default equals
#: SignalWire's `schema.json` (`$defs.AIParams`); `speech_rate` is this tool's extension and has
#: no effect on the platform.
SPECS: dict[str, Param] = {
    # Attention
    "attention_timeout": _ms(
        ATT,
        "silence before the agent checks on a silent caller (0 = off)",
        10000,
        600000,
        off=0,
    ),
    "attention_timeout_prompt": _p(
        "text",
        ATT,
        "what the agent is told when attention_timeout fires",
        default=_ATTENTION_PROMPT,
    ),
    "outbound_attention_timeout": _ms(
        ATT, "attention_timeout for outbound calls", 10000, 600000, 120000
    ),
    "inactivity_timeout": _ms(
        ATT, "inactivity before the AI leaves the call", 10000, 3600000, 600000
    ),
    "initial_sleep_ms": _ms(ATT, "delay before the conversation starts", 0, 300000, 0),
    "wait_for_user": _p("boolean", ATT, "wait for the caller to speak first", default=False),
    "hard_stop_time": _p(
        "text",
        ATT,
        'longest session before the AI exits, e.g. "30m"',
        pattern=r"(?:\d+h)?(?:\d+m)?(?:\d+s)?",
        swml_var=False,
    ),
    "hard_stop_prompt": _p(
        "text",
        ATT,
        "what the agent is told when hard_stop_time is reached",
        default=_HARD_STOP_PROMPT,
    ),
    "input_poll_freq": _ms(
        ATT, "how often input such as SMS is polled during the call", 1000, 10000, 2000
    ),
    "enable_pause": _p(
        "boolean", ATT, "the agent can be paused and woken by its name", default=False
    ),
    "start_paused": _p(
        "boolean", ATT, "start paused until the caller says the agent's name", default=False
    ),
    "speak_when_spoken_to": _p(
        "boolean", ATT, "stay silent until addressed by name", default=False
    ),
    # End of speech & turn detection
    "end_of_speech_timeout": _ms(EOS, "silence before the caller's turn is over", 250, 10000, 700),
    "first_word_timeout": _ms(
        EOS, "wait for the first word once speech energy is heard", 0, 10000, 1000
    ),
    "speech_event_timeout": _ms(
        EOS, "time since the last partial result before the turn is final", 0, 10000, 1400
    ),
    "speech_timeout": _ms(EOS, "longest single caller turn", 0, 600000, 60000),
    "enable_turn_detection": _p(
        "boolean", EOS, "end the turn early on sentence-final punctuation", default=True
    ),
    "turn_detection_timeout": _ms(
        EOS, "wait after a detected end of turn (0 = at once)", 0, 10000, 250
    ),
    "energy_level": _p(
        "number",
        EOS,
        "minimum audio energy the agent hears",
        unit="dB",
        minimum=0,
        maximum=100,
        default=52,
    ),
    "vad_config": _p("text", EOS, 'Silero VAD "threshold" or "threshold:frame_ms"'),
    # Barge-in
    "enable_barge": _p(
        "barge",
        BARGE,
        'barge modes: "complete", "partial", "all", or true/false',
        default="complete,partial",
    ),
    "barge_min_words": _p(
        "integer",
        BARGE,
        "words the caller must say to interrupt",
        unit="words",
        minimum=1,
        maximum=99,
    ),
    "barge_match_string": _p("text", BARGE, "phrase or regex that always interrupts"),
    "barge_functions": _p(
        "boolean", BARGE, "tools may run while the agent is interrupted", default=True
    ),
    "transparent_barge": _p(
        "boolean", BARGE, "when talked over, wait for the caller to finish", default=True
    ),
    "transparent_barge_max_time": _ms(BARGE, "longest transparent-barge wait", 0, 60000, 3000),
    "interrupt_on_noise": _p("boolean", BARGE, "any sound over 1 s interrupts the agent"),
    "interrupt_prompt": _p("text", BARGE, "how the agent handles crosstalk"),
    "acknowledge_interruptions": _p(
        "boolean", BARGE, "acknowledge crosstalk and confirm what was said"
    ),
    "static_greeting_no_barge": _p(
        "boolean", BARGE, "the static greeting cannot be interrupted", default=False
    ),
    # Voice & response
    "speech_rate": _p(
        "number",
        VOICE,
        "speaking rate (speech-tuner extension; SignalWire ignores it)",
        unit="x",
        minimum=0.5,
        maximum=2.0,
        default=1.0,
        swml_var=False,
        extension=True,
    ),
    "ai_volume": _p(
        "integer",
        VOICE,
        "voice volume offset (0 = natural)",
        unit="steps",
        minimum=-50,
        maximum=50,
        default=0,
    ),
    "speech_gen_quick_stops": _p(
        "integer",
        VOICE,
        "how eagerly replies are cut into speech chunks",
        minimum=0,
        maximum=10,
        default=3,
    ),
    "max_response_tokens": _p(
        "integer",
        VOICE,
        "longest reply; shorter replies start sooner",
        unit="tokens",
        minimum=1,
        maximum=16384,
    ),
    "function_wait_for_talking": _p(
        "boolean", VOICE, "finish the filler before running a tool", default=False
    ),
    "functions_on_no_response": _p(
        "boolean", VOICE, "tools may run when the caller does not answer", default=False
    ),
    "hold_on_process": _p("boolean", VOICE, "play hold music while a tool runs", default=False),
    "enable_thinking": _p(
        "boolean", VOICE, "an extra thinking turn before replying (adds latency)", default=False
    ),
    "max_emotion": _p(
        "integer", VOICE, "strongest emotion in the voice", minimum=1, maximum=30, default=30
    ),
    "tts_number_format": _p(
        "choice",
        VOICE,
        "how phone numbers are spoken",
        choices=("international", "national"),
        default="international",
        swml_var=False,
    ),
    "audible_latency": _p(
        "boolean", VOICE, "speak latency figures during the call (debug)", default=False
    ),
    "audible_debug": _p(
        "boolean", VOICE, "speak the name of each tool as it runs (debug)", default=False
    ),
    # Keypad
    "digit_timeout": _ms(KEYS, "wait after the last keypad digit", 0, 30000, 3000),
    "digit_terminators": _p("text", KEYS, 'keys that end digit input, e.g. "#"'),
}

#: Every param name, in declaration (and display) order.
PARAM_NAMES: tuple[str, ...] = tuple(SPECS)


def spec(name: str) -> Param:
    """The `Param` that declares a param."""
    return SPECS[name]


def by_group() -> Iterator[tuple[str, list[str]]]:
    """(group, param names) in display order."""
    for group in GROUPS:
        yield group, [n for n in PARAM_NAMES if SPECS[n].group == group]


class Timing:
    """A set of param values, read: what is set, what the platform uses, what will surprise.

    `SpeechTiming` (the Pydantic model, validating) and `JudgedTiming` (values the model's
    `Param`s have judged already, without pydantic) are the two kinds; readers take a `Timing`.
    """

    __slots__ = ()

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Value | None: ...

    def values(self) -> dict[str, Value]:
        """The params that are set, in declaration order: exactly what goes under `ai.params`."""
        return {k: v for k in PARAM_NAMES if (v := getattr(self, k)) is not None}

    def effective(self, name: str) -> Value | None:
        """The value the platform uses: the one set here, else the platform default."""
        value: Value | None = getattr(self, name)
        return SPECS[name].default if value is None else value

    def warnings(self) -> list[tuple[str, str]]:
        """Settings that are valid but will not do what they seem to: (key, message) pairs."""
        from tuner.param_warnings import speech_warnings

        return list(speech_warnings(self))

    def holding(self, values: Mapping[str, Value]) -> Timing:
        """The same kind of `Timing` over other values, already judged by the model."""
        raise NotImplementedError


class JudgedTiming(Timing):
    """Values the model's `Param`s have already judged, held without pydantic (compare
    `SpeechTiming.model_construct`): what the editor draws its first frame from."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Value] | None = None) -> None:
        given = values or {}
        self._values = {k: given[k] for k in PARAM_NAMES if given.get(k) is not None}

    def __getattr__(self, name: str) -> Value | None:
        if name in SPECS:
            return self._values.get(name)
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Timing) and self.values() == other.values()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JudgedTiming({self._values!r})"

    def values(self) -> dict[str, Value]:
        return dict(self._values)

    def holding(self, values: Mapping[str, Value]) -> JudgedTiming:
        return JudgedTiming(values)


def __getattr__(name: str) -> Any:
    """`tuner.params.SpeechTiming`, where the model was declared before it moved to
    `tuner.model`: loaded (with pydantic) on first use, so importing the table stays light."""
    if name == "SpeechTiming":
        from tuner.model import SpeechTiming

        return SpeechTiming
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
