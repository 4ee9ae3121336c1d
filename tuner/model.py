"""`SpeechTiming`: the Pydantic model of SignalWire's speech-timing params (`ai.params`).

Each field is declared by its `Param` in `tuner.params.SPECS`, which validates it with messages
for people and gives its JSON Schema. Public as `tuner.SpeechTiming`; the presets layer and the
editor hold values in a `tuner.params.JudgedTiming` and never load this module (or pydantic).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict

from tuner.params import PARAM_NAMES, SPECS, Timing, Value

Ms = int | str | None
Num = int | float | str | None
Flag = bool | str | None
Text = str | None


class SpeechTiming(Timing, BaseModel):
    """SignalWire AI speech-timing params (`ai.params`); a field left as None is the platform's.

    Every bound, type and default equals SignalWire's `schema.json` (`$defs.AIParams`);
    `speech_rate` is this tool's extension and has no effect on the platform.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)

    # Attention
    attention_timeout: Annotated[Ms, SPECS["attention_timeout"]] = None
    attention_timeout_prompt: Annotated[Text, SPECS["attention_timeout_prompt"]] = None
    outbound_attention_timeout: Annotated[Ms, SPECS["outbound_attention_timeout"]] = None
    inactivity_timeout: Annotated[Ms, SPECS["inactivity_timeout"]] = None
    initial_sleep_ms: Annotated[Ms, SPECS["initial_sleep_ms"]] = None
    wait_for_user: Annotated[Flag, SPECS["wait_for_user"]] = None
    hard_stop_time: Annotated[Text, SPECS["hard_stop_time"]] = None
    hard_stop_prompt: Annotated[Text, SPECS["hard_stop_prompt"]] = None
    input_poll_freq: Annotated[Ms, SPECS["input_poll_freq"]] = None
    enable_pause: Annotated[Flag, SPECS["enable_pause"]] = None
    start_paused: Annotated[Flag, SPECS["start_paused"]] = None
    speak_when_spoken_to: Annotated[Flag, SPECS["speak_when_spoken_to"]] = None
    # End of speech & turn detection
    end_of_speech_timeout: Annotated[Ms, SPECS["end_of_speech_timeout"]] = None
    first_word_timeout: Annotated[Ms, SPECS["first_word_timeout"]] = None
    speech_event_timeout: Annotated[Ms, SPECS["speech_event_timeout"]] = None
    speech_timeout: Annotated[Ms, SPECS["speech_timeout"]] = None
    enable_turn_detection: Annotated[Flag, SPECS["enable_turn_detection"]] = None
    turn_detection_timeout: Annotated[Ms, SPECS["turn_detection_timeout"]] = None
    energy_level: Annotated[Num, SPECS["energy_level"]] = None
    vad_config: Annotated[Text, SPECS["vad_config"]] = None
    # Barge-in
    enable_barge: Annotated[Flag, SPECS["enable_barge"]] = None
    barge_min_words: Annotated[Ms, SPECS["barge_min_words"]] = None
    barge_match_string: Annotated[Text, SPECS["barge_match_string"]] = None
    barge_functions: Annotated[Flag, SPECS["barge_functions"]] = None
    transparent_barge: Annotated[Flag, SPECS["transparent_barge"]] = None
    transparent_barge_max_time: Annotated[Ms, SPECS["transparent_barge_max_time"]] = None
    interrupt_on_noise: Annotated[Flag, SPECS["interrupt_on_noise"]] = None
    interrupt_prompt: Annotated[Text, SPECS["interrupt_prompt"]] = None
    acknowledge_interruptions: Annotated[Flag, SPECS["acknowledge_interruptions"]] = None
    static_greeting_no_barge: Annotated[Flag, SPECS["static_greeting_no_barge"]] = None
    # Voice & response
    speech_rate: Annotated[Num, SPECS["speech_rate"]] = None
    ai_volume: Annotated[Ms, SPECS["ai_volume"]] = None
    speech_gen_quick_stops: Annotated[Ms, SPECS["speech_gen_quick_stops"]] = None
    max_response_tokens: Annotated[Ms, SPECS["max_response_tokens"]] = None
    function_wait_for_talking: Annotated[Flag, SPECS["function_wait_for_talking"]] = None
    functions_on_no_response: Annotated[Flag, SPECS["functions_on_no_response"]] = None
    hold_on_process: Annotated[Flag, SPECS["hold_on_process"]] = None
    enable_thinking: Annotated[Flag, SPECS["enable_thinking"]] = None
    max_emotion: Annotated[Ms, SPECS["max_emotion"]] = None
    tts_number_format: Annotated[Text, SPECS["tts_number_format"]] = None
    audible_latency: Annotated[Flag, SPECS["audible_latency"]] = None
    audible_debug: Annotated[Flag, SPECS["audible_debug"]] = None
    # Keypad
    digit_timeout: Annotated[Ms, SPECS["digit_timeout"]] = None
    digit_terminators: Annotated[Text, SPECS["digit_terminators"]] = None

    def holding(self, values: Mapping[str, Value]) -> SpeechTiming:
        return SpeechTiming.model_construct(None, **values)


if tuple(SpeechTiming.model_fields) != PARAM_NAMES:  # pragma: no cover - a declaration slip
    raise ImportError("SpeechTiming's fields must be tuner.params.SPECS, in the same order")
