"""The Pydantic model of SignalWire's speech-timing params: the single source of every bound."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from tuner.param import SWML_VAR, Kind, Param, Value

__all__ = [
    "GROUPS",
    "PARAM_NAMES",
    "SPECS",
    "SWML_VAR",
    "Kind",
    "Param",
    "SpeechTiming",
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
Num = int | float | str | None
Flag = bool | str | None
Text = str | None


class SpeechTiming(BaseModel):
    """SignalWire AI speech-timing params (`ai.params`); a field left as None is the platform's.

    Every bound, type and default equals SignalWire's `schema.json` (`$defs.AIParams`);
    `speech_rate` is this tool's extension and has no effect on the platform.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)

    # Attention
    attention_timeout: Annotated[
        Ms,
        _ms(
            ATT,
            "silence before the agent checks on a silent caller (0 = off)",
            10000,
            600000,
            off=0,
        ),
    ] = None
    attention_timeout_prompt: Annotated[
        Text,
        _p(
            "text",
            ATT,
            "what the agent is told when attention_timeout fires",
            default=_ATTENTION_PROMPT,
        ),
    ] = None
    outbound_attention_timeout: Annotated[
        Ms, _ms(ATT, "attention_timeout for outbound calls", 10000, 600000, 120000)
    ] = None
    inactivity_timeout: Annotated[
        Ms, _ms(ATT, "inactivity before the AI leaves the call", 10000, 3600000, 600000)
    ] = None
    initial_sleep_ms: Annotated[
        Ms, _ms(ATT, "delay before the conversation starts", 0, 300000, 0)
    ] = None
    wait_for_user: Annotated[
        Flag, _p("boolean", ATT, "wait for the caller to speak first", default=False)
    ] = None
    hard_stop_time: Annotated[
        Text,
        _p(
            "text",
            ATT,
            'longest session before the AI exits, e.g. "30m"',
            pattern=r"(?:\d+h)?(?:\d+m)?(?:\d+s)?",
            swml_var=False,
        ),
    ] = None
    hard_stop_prompt: Annotated[
        Text,
        _p(
            "text",
            ATT,
            "what the agent is told when hard_stop_time is reached",
            default=_HARD_STOP_PROMPT,
        ),
    ] = None
    input_poll_freq: Annotated[
        Ms, _ms(ATT, "how often input such as SMS is polled during the call", 1000, 10000, 2000)
    ] = None
    enable_pause: Annotated[
        Flag, _p("boolean", ATT, "the agent can be paused and woken by its name", default=False)
    ] = None
    start_paused: Annotated[
        Flag,
        _p("boolean", ATT, "start paused until the caller says the agent's name", default=False),
    ] = None
    speak_when_spoken_to: Annotated[
        Flag, _p("boolean", ATT, "stay silent until addressed by name", default=False)
    ] = None

    # End of speech & turn detection
    end_of_speech_timeout: Annotated[
        Ms, _ms(EOS, "silence before the caller's turn is over", 250, 10000, 700)
    ] = None
    first_word_timeout: Annotated[
        Ms, _ms(EOS, "wait for the first word once speech energy is heard", 0, 10000, 1000)
    ] = None
    speech_event_timeout: Annotated[
        Ms, _ms(EOS, "time since the last partial result before the turn is final", 0, 10000, 1400)
    ] = None
    speech_timeout: Annotated[Ms, _ms(EOS, "longest single caller turn", 0, 600000, 60000)] = None
    enable_turn_detection: Annotated[
        Flag, _p("boolean", EOS, "end the turn early on sentence-final punctuation", default=True)
    ] = None
    turn_detection_timeout: Annotated[
        Ms, _ms(EOS, "wait after a detected end of turn (0 = at once)", 0, 10000, 250)
    ] = None
    energy_level: Annotated[
        Num,
        _p(
            "number",
            EOS,
            "minimum audio energy the agent hears",
            unit="dB",
            minimum=0,
            maximum=100,
            default=52,
        ),
    ] = None
    vad_config: Annotated[
        Text, _p("text", EOS, 'Silero VAD "threshold" or "threshold:frame_ms"')
    ] = None

    # Barge-in
    enable_barge: Annotated[
        Flag,
        _p(
            "barge",
            BARGE,
            'barge modes: "complete", "partial", "all", or true/false',
            default="complete,partial",
        ),
    ] = None
    barge_min_words: Annotated[
        Ms,
        _p(
            "integer",
            BARGE,
            "words the caller must say to interrupt",
            unit="words",
            minimum=1,
            maximum=99,
        ),
    ] = None
    barge_match_string: Annotated[
        Text, _p("text", BARGE, "phrase or regex that always interrupts")
    ] = None
    barge_functions: Annotated[
        Flag, _p("boolean", BARGE, "tools may run while the agent is interrupted", default=True)
    ] = None
    transparent_barge: Annotated[
        Flag, _p("boolean", BARGE, "when talked over, wait for the caller to finish", default=True)
    ] = None
    transparent_barge_max_time: Annotated[
        Ms, _ms(BARGE, "longest transparent-barge wait", 0, 60000, 3000)
    ] = None
    interrupt_on_noise: Annotated[
        Flag, _p("boolean", BARGE, "any sound over 1 s interrupts the agent")
    ] = None
    interrupt_prompt: Annotated[Text, _p("text", BARGE, "how the agent handles crosstalk")] = None
    acknowledge_interruptions: Annotated[
        Flag, _p("boolean", BARGE, "acknowledge crosstalk and confirm what was said")
    ] = None
    static_greeting_no_barge: Annotated[
        Flag, _p("boolean", BARGE, "the static greeting cannot be interrupted", default=False)
    ] = None

    # Voice & response
    speech_rate: Annotated[
        Num,
        _p(
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
    ] = None
    ai_volume: Annotated[
        Ms,
        _p(
            "integer",
            VOICE,
            "voice volume offset (0 = natural)",
            unit="steps",
            minimum=-50,
            maximum=50,
            default=0,
        ),
    ] = None
    speech_gen_quick_stops: Annotated[
        Ms,
        _p(
            "integer",
            VOICE,
            "how eagerly replies are cut into speech chunks",
            minimum=0,
            maximum=10,
            default=3,
        ),
    ] = None
    max_response_tokens: Annotated[
        Ms,
        _p(
            "integer",
            VOICE,
            "longest reply; shorter replies start sooner",
            unit="tokens",
            minimum=1,
            maximum=16384,
        ),
    ] = None
    function_wait_for_talking: Annotated[
        Flag, _p("boolean", VOICE, "finish the filler before running a tool", default=False)
    ] = None
    functions_on_no_response: Annotated[
        Flag, _p("boolean", VOICE, "tools may run when the caller does not answer", default=False)
    ] = None
    hold_on_process: Annotated[
        Flag, _p("boolean", VOICE, "play hold music while a tool runs", default=False)
    ] = None
    enable_thinking: Annotated[
        Flag,
        _p(
            "boolean", VOICE, "an extra thinking turn before replying (adds latency)", default=False
        ),
    ] = None
    max_emotion: Annotated[
        Ms,
        _p("integer", VOICE, "strongest emotion in the voice", minimum=1, maximum=30, default=30),
    ] = None
    tts_number_format: Annotated[
        Text,
        _p(
            "choice",
            VOICE,
            "how phone numbers are spoken",
            choices=("international", "national"),
            default="international",
            swml_var=False,
        ),
    ] = None
    audible_latency: Annotated[
        Flag, _p("boolean", VOICE, "speak latency figures during the call (debug)", default=False)
    ] = None
    audible_debug: Annotated[
        Flag, _p("boolean", VOICE, "speak the name of each tool as it runs (debug)", default=False)
    ] = None

    # Keypad
    digit_timeout: Annotated[Ms, _ms(KEYS, "wait after the last keypad digit", 0, 30000, 3000)] = (
        None
    )
    digit_terminators: Annotated[Text, _p("text", KEYS, 'keys that end digit input, e.g. "#"')] = (
        None
    )

    # -- reading ---------------------------------------------------------------------------
    def values(self) -> dict[str, Value]:
        """The params that are set, in declaration order: exactly what goes under `ai.params`."""
        return {k: v for k, v in self.model_dump().items() if v is not None}

    def effective(self, name: str) -> Value | None:
        """The value the platform uses: the one set here, else the platform default."""
        value: Value | None = getattr(self, name)
        return spec(name).default if value is None else value

    def warnings(self) -> list[tuple[str, str]]:
        """Settings that are valid but will not do what they seem to: (key, message) pairs."""
        from tuner.param_warnings import speech_warnings

        return list(speech_warnings(self))


def spec(name: str) -> Param:
    """The `Param` that declares a field of `SpeechTiming`."""
    field = SpeechTiming.model_fields[name]
    for meta in field.metadata:
        if isinstance(meta, Param):
            return meta
    raise KeyError(name)


#: Every param name, in declaration (and display) order.
PARAM_NAMES: tuple[str, ...] = tuple(SpeechTiming.model_fields)
SPECS: dict[str, Param] = {name: spec(name) for name in PARAM_NAMES}


def by_group() -> Iterator[tuple[str, list[str]]]:
    """(group, param names) in display order."""
    for group in GROUPS:
        yield group, [n for n in PARAM_NAMES if SPECS[n].group == group]
