"""Settings the model accepts that will not do what they seem to: the warnings of a preset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tuner.param import SWML_VAR, Value, _fmt

if TYPE_CHECKING:
    from tuner.params import Timing

_BARGE_MODES = ("complete", "partial", "all")
_VAD_CONFIG = re.compile(r"^(\d+(?:\.\d+)?)(?::(\d+))?$")


def _num(value: Value | None) -> float | None:
    """A concrete number, or None for unset values and SWML variables."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _off(value: Value | None) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


#: Seconds of slack that attention_timeout should keep above end_of_speech_timeout.
ATTENTION_SLACK_MS = 5000


def speech_warnings(t: Timing) -> Iterator[tuple[str, str]]:
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
    vad = t.vad_config
    if isinstance(vad, str) and not SWML_VAR.match(vad):
        m = _VAD_CONFIG.match(vad)
        ok = m is not None and 0 <= float(m[1]) <= 100 and (m[2] is None or 16 <= int(m[2]) <= 40)
        if not ok:
            yield (
                "vad_config",
                f'"{vad}" is not "threshold" (0-100) or "threshold:frame_ms" '
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
