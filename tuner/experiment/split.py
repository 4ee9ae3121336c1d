"""Splitting live calls between presets: weights, a sticky bucket per caller number, the stamp.

A caller's bucket is a hash of the experiment's name and the caller's number, so the same
caller gets the same preset on every call, on every process and after every restart, and a
new experiment name deals every caller again, independently of the last experiment.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tuner.errors import Problem, TunerError

#: global_data keys of the rendered SWML that carry the call's preset and experiment; the
#: platform sends global_data back in the post_conversation payload.
STAMP_PRESET = "speech_tuner_preset"
STAMP_EXPERIMENT = "speech_tuner_experiment"
#: Query parameter that forwards the experiment to the call's SWAIG and post-prompt requests.
EXPERIMENT_QUERY = "speech_tuner_experiment"
#: An experiment name: it travels in URLs and JSON, so it is kept plain.
EXPERIMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: A telephone number as SignalWire writes it (E.164, or a SIP user part made of digits).
_PHONE = re.compile(r"\+?[0-9]{3,20}")
_SEPARATORS = re.compile(r"[\s().-]")
#: Callers without a number are dealt at random; SystemRandom needs no seeding per process.
_RANDOM = random.SystemRandom()


def caller_number(body: Any) -> str | None:
    """The caller's telephone number from a request body, digits only; None when there is none.

    Where SignalWire puts it: the SWML request's `call.from_number` / `call.from` (a number,
    `sip:+1555...@host`, or a WebRTC address that is no number), a SWAIG request's
    `caller_id_num`, a post_conversation payload's `caller_id_number`. "anonymous",
    "restricted" and addresses without a number give None, so such callers are dealt at
    random instead of sharing one bucket.
    """
    if not isinstance(body, Mapping):
        return None
    call = body.get("call")
    candidates: list[Any] = []
    if isinstance(call, Mapping):
        candidates += [call.get("from_number"), call.get("from")]
    candidates += [body.get("caller_id_num"), body.get("caller_id_number")]
    for raw in candidates:
        number = _digits(raw)
        if number:
            return number
    return None


def _digits(raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    lower = text.lower()
    for scheme in ("sips:", "sip:", "tel:"):
        if lower.startswith(scheme):
            text = text[len(scheme) :]
            break
    text = text.split("@", 1)[0].split(";", 1)[0]
    text = _SEPARATORS.sub("", text)
    if not _PHONE.fullmatch(text):
        return None
    return text.lstrip("+")


@dataclass(frozen=True)
class Split:
    """Validated weights between presets, and the experiment they belong to."""

    weights: tuple[tuple[str, float], ...]
    experiment: str | None = None

    @classmethod
    def parse(
        cls, split: Mapping[str, Any], experiment: str | None, where: str = "use_call_presets()"
    ) -> Split:
        """Check the weights and the name; raise TunerError naming every bad entry."""
        problems: list[Problem] = []
        if not isinstance(split, Mapping) or not split:
            raise TunerError(
                Problem('split must name at least one preset, e.g. {"normal": 50}', where, None)
            )
        weights: list[tuple[str, float]] = []
        for name, weight in split.items():
            key = f"split[{name!r}]"
            if not isinstance(name, str) or not name:
                problems.append(Problem("a preset name must be text", where, key=key))
            elif isinstance(weight, bool) or not isinstance(weight, (int, float)):
                problems.append(Problem(f"weight {weight!r} is not a number", where, key=key))
            elif not math.isfinite(weight) or weight <= 0:
                problems.append(Problem(f"weight {weight!r} must be above 0", where, key=key))
            else:
                weights.append((name, float(weight)))
        if experiment is not None and (
            not isinstance(experiment, str) or not EXPERIMENT_NAME.fullmatch(experiment)
        ):
            problems.append(
                Problem(
                    f"{str(experiment)[:70]!r} is not an experiment name: 1-64 letters, digits, "
                    "'.', '-' or '_', starting with a letter or digit",
                    where,
                    key="experiment",
                )
            )
        if problems:
            raise TunerError(problems)
        return cls(tuple(weights), experiment)

    @property
    def presets(self) -> list[str]:
        return [name for name, _ in self.weights]

    def bucket(self, number: str | None) -> float:
        """A point in [0, 1): a hash of experiment and number, or random without a number."""
        if number is None:
            return _RANDOM.random()
        key = f"{self.experiment or ''}\x00{number}".encode()
        return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2.0**64

    def assign(self, number: str | None) -> str:
        """The preset for a caller: the same one every time for the same number."""
        point = self.bucket(number) * sum(w for _, w in self.weights)
        for name, weight in self.weights:
            if point < weight:
                return name
            point -= weight
        return self.weights[-1][0]  # rounding at the very top of the range


def stamp(preset: str, experiment: str | None) -> dict[str, str]:
    """The global_data entries that mark a call with its preset (and experiment)."""
    out = {STAMP_PRESET: preset}
    if experiment:
        out[STAMP_EXPERIMENT] = experiment
    return out
