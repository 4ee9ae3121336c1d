"""The Pydantic model of SignalWire's speech-timing params: the single source of every bound."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

Kind = Literal["integer", "number", "boolean", "text", "choice", "barge"]
Value = int | float | bool | str

#: The groups the params are shown in, in display order.
GROUPS: tuple[str, ...] = (
    "Attention",
    "End of speech & turn detection",
    "Barge-in",
    "Voice & response",
    "Keypad",
)

SWML_VAR = re.compile(r"^[$%]\{.*\}$", re.DOTALL)
_SWML_VAR_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[\$%]\{.*\}$",
    "description": 'SWML variable, e.g. "${eos}" or "%{eos}"',
}
_BARGE_MODES = ("complete", "partial", "all")
_VAD_CONFIG = re.compile(r"^(\d+(?:\.\d+)?)(?::(\d+))?$")


def _fmt(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        # Too big to be a setting, and str() refuses ints of over 4300 digits.
        return f"a {int(value.bit_length() * 0.30103) + 1}-digit number"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def quoted_message(text: str, what: str) -> str:
    """The message for a number or boolean written in quotes, the same on every surface."""
    return f'"{text}" is text; write it without quotes ({what})'


def _err(message: str) -> PydanticCustomError:
    # The message is final text for people: pass it as context so braces are not a template.
    return PydanticCustomError("speech_timing", "{message}", {"message": message})


@dataclass(frozen=True)
class Param:
    """What SignalWire accepts for one param, plus what a person needs to tune it.

    Used as `Annotated` metadata on a `SpeechTiming` field; it validates the value with messages
    meant for people and emits the same JSON Schema as SignalWire's `schema.json`.
    """

    kind: Kind
    group: str
    help: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    #: The platform's default when the key is left out (None: the platform has none).
    default: Value | None = None
    #: A value allowed outside the range, meaning "off" (attention_timeout = 0).
    off: int | None = None
    #: Whether a SWML variable ("${name}") is accepted in place of the value.
    swml_var: bool = True
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    #: Not a SignalWire param: exported, but the platform ignores it.
    extension: bool = False

    # -- describing ------------------------------------------------------------------------
    @property
    def range_text(self) -> str:
        """The allowed values in a few characters, e.g. `250–10000` or `0 or 10000–600000`."""
        if self.minimum is None or self.maximum is None:
            if self.kind == "boolean":
                return "on/off"
            if self.choices:
                return "|".join(self.choices)
            return ""
        span = f"{_fmt(self.minimum)}–{_fmt(self.maximum)}"
        return f"{self.off} or {span}" if self.off is not None else span

    def display(self, value: Value | None) -> str:
        """The value as a person reads it, with its unit."""
        if value is None:
            return "—"
        text = _fmt(value) if not isinstance(value, str) else value
        if self.unit and not isinstance(value, (str, bool)):
            text += f" {self.unit}"
        return text

    # -- validating ------------------------------------------------------------------------
    def validate(self, value: Any) -> Value | None:
        """Return the value as the platform wants it, or raise with a message for people."""
        if value is None:
            return None
        if isinstance(value, str) and self.swml_var and SWML_VAR.match(value):
            return value
        check: Callable[[Any], Value] = getattr(self, f"_check_{self.kind}")
        return check(value)

    def _var_hint(self) -> str:
        return ' or a SWML variable like "${name}"' if self.swml_var else ""

    def _check_integer(self, value: Any) -> Value:
        if isinstance(value, bool):
            raise _err(f"{_fmt(value)} is a boolean; expected a whole number{self._in_unit()}")
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer():
                raise _err(f"{value} is not a whole number{self._in_unit()}")
            value = int(value)
        if isinstance(value, str):
            raise _err(self._string_message(value, "a whole number"))
        if not isinstance(value, int):
            raise _err(f"expected a whole number{self._in_unit()}{self._var_hint()}")
        return self._check_range(value)

    def _check_number(self, value: Any) -> Value:
        if isinstance(value, bool):
            raise _err(f"{_fmt(value)} is a boolean; expected a number{self._in_unit()}")
        if isinstance(value, str):
            raise _err(self._string_message(value, "a number"))
        if not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            raise _err(f"expected a number{self._in_unit()}{self._var_hint()}")
        return self._check_range(value)

    def _check_boolean(self, value: Any) -> Value:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            raise _err(quoted_message(value, "true or false"))
        raise _err(f"{_fmt(value)} is not true or false")

    def _check_barge(self, value: Any) -> Value:
        if isinstance(value, (bool, str)):
            return value
        raise _err(f'{_fmt(value)} is not true, false or a mode list like "complete,partial"')

    def _check_text(self, value: Any) -> Value:
        if not isinstance(value, str):
            raise _err(f"{_fmt(value)} is not text; write it in quotes")
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise _err(f'"{value}" is not a duration like "30s", "2m" or "1h45m30s"')
        return value

    def _check_choice(self, value: Any) -> Value:
        if isinstance(value, str) and value in self.choices:
            return value
        raise _err(f"{_fmt(value)} is not one of: {', '.join(self.choices)}")

    def _in_unit(self) -> str:
        return f" of {self.unit}" if self.unit else ""

    def _string_message(self, value: str, what: str) -> str:
        try:
            float(value)
        except ValueError:
            return f'"{value}" is not {what}{self._in_unit()}{self._var_hint()}'
        return quoted_message(value, what + self._in_unit())

    def _check_range(self, value: int | float) -> Value:
        if self.off is not None and value == self.off:
            return value
        unit = f" {self.unit}" if self.unit else ""
        assert self.minimum is not None and self.maximum is not None
        if self.off is not None and not self.minimum <= value <= self.maximum:
            return self._raise_off(value, unit)
        if value < self.minimum:
            raise _err(f"{_fmt(value)} is below the minimum of {_fmt(self.minimum)}{unit}")
        if value > self.maximum:
            raise _err(f"{_fmt(value)} is above the maximum of {_fmt(self.maximum)}{unit}")
        return value

    def _raise_off(self, value: int | float, unit: str) -> Value:
        raise _err(
            f"{_fmt(value)} is not allowed: use {self.off} (off) or "
            f"{_fmt(self.minimum)}..{_fmt(self.maximum)}{unit}"
        )

    # -- pydantic hooks --------------------------------------------------------------------
    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return self.json_schema()

    def json_schema(self) -> dict[str, Any]:
        """This param's JSON Schema, in the shape of SignalWire's `$defs.AIParams`."""
        base: dict[str, Any]
        if self.kind in ("integer", "number"):
            base = {"type": self.kind}
            if self.minimum is not None:
                base["minimum"] = self.minimum
                base["maximum"] = self.maximum
            options = [base]
            if self.off is not None:
                options.append({"type": self.kind, "const": self.off})
        elif self.kind == "boolean":
            options = [{"type": "boolean"}]
        elif self.kind == "barge":
            options = [{"type": "string"}, {"type": "boolean"}]
        elif self.kind == "choice":
            options = [{"type": "string", "enum": list(self.choices)}]
        else:
            options = [{"type": "string"} | ({"pattern": self.pattern} if self.pattern else {})]
        if self.swml_var and self.kind != "text":
            options.append(_SWML_VAR_SCHEMA)
        out: dict[str, Any] = {"anyOf": options} if len(options) > 1 else options[0]
        out["description"] = self.help + (f" ({self.unit})" if self.unit else "")
        if self.default is not None:
            out["default"] = self.default
        return out


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
        return list(_warnings(self))


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


def _num(value: Value | None) -> float | None:
    """A concrete number, or None for unset values and SWML variables."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _off(value: Value | None) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


#: Seconds of slack that attention_timeout should keep above end_of_speech_timeout.
ATTENTION_SLACK_MS = 5000


def _warnings(t: SpeechTiming) -> Iterator[tuple[str, str]]:
    if t.speech_rate is not None:
        yield (
            "speech_rate",
            "SignalWire has no speaking-rate param, so the platform ignores it; "
            'use a slower voice, or Cartesia\'s speed "auto" in add_language()',
        )
    tdt, eos = (
        _num(t.effective("turn_detection_timeout")),
        _num(t.effective("end_of_speech_timeout")),
    )
    if (
        tdt is not None
        and eos is not None
        and tdt >= eos
        and not _off(t.effective("enable_turn_detection"))
    ):
        yield (
            "turn_detection_timeout",
            f"{_fmt(tdt)} ms is not shorter than end_of_speech_timeout ({_fmt(eos)} ms): "
            "turn detection can never end a turn sooner",
        )
    if _off(t.enable_barge):
        for key in (
            "barge_min_words",
            "barge_match_string",
            "barge_functions",
            "transparent_barge",
            "transparent_barge_max_time",
            "interrupt_on_noise",
        ):
            if getattr(t, key) is not None:
                yield key, "has no effect while enable_barge = false"
    elif isinstance(t.enable_barge, str) and not SWML_VAR.match(t.enable_barge):
        modes = [m.strip() for m in t.enable_barge.split(",")]
        unknown = [m for m in modes if m not in (*_BARGE_MODES, "true", "false")]
        if unknown:
            yield (
                "enable_barge",
                f"unknown barge mode {', '.join(repr(m) for m in unknown)}: use "
                '"complete", "partial" or "all" (comma-separated), or true/false',
            )
    if t.transparent_barge_max_time is not None and _off(t.transparent_barge):
        yield "transparent_barge_max_time", "has no effect while transparent_barge = false"
    att = _num(t.attention_timeout)
    if att and eos is not None and att < eos + ATTENTION_SLACK_MS:
        yield (
            "attention_timeout",
            f"{_fmt(att)} ms leaves under {ATTENTION_SLACK_MS // 1000} s after "
            f"end_of_speech_timeout ({_fmt(eos)} ms): the agent may nag callers who are "
            "still thinking",
        )
    if t.vad_config is not None and not SWML_VAR.match(t.vad_config):
        m = _VAD_CONFIG.match(t.vad_config)
        ok = m is not None and 0 <= float(m[1]) <= 100 and (m[2] is None or 16 <= int(m[2]) <= 40)
        if not ok:
            yield (
                "vad_config",
                f'"{t.vad_config}" is not "threshold" (0-100) or "threshold:frame_ms" '
                "(frame 16-40 ms); the platform may ignore it",
            )
    if _off(t.enable_turn_detection) and t.turn_detection_timeout is not None:
        yield "turn_detection_timeout", "has no effect while enable_turn_detection = false"
    fwt = _num(t.first_word_timeout)
    if fwt is not None and eos is not None and fwt < 200 and fwt != 0:
        yield (
            "first_word_timeout",
            f"{_fmt(fwt)} ms is shorter than a caller needs to start a word after a breath",
        )
    if t.enable_pause is True and t.speak_when_spoken_to is True:
        yield "speak_when_spoken_to", "does not work together with enable_pause"
