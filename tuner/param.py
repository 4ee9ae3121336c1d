"""One param's declaration: what SignalWire accepts for it, checked with messages for people,
and its JSON Schema in the shape of SignalWire's `schema.json`. `tuner.params` declares the model
of every param with it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import core_schema

Kind = Literal["integer", "number", "boolean", "text", "choice", "barge"]
Value = int | float | bool | str

SWML_VAR = re.compile(r"^[$%]\{.*\}$", re.DOTALL)
_SWML_VAR_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[\$%]\{.*\}$",
    "description": 'SWML variable, e.g. "${eos}" or "%{eos}"',
}


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


class ParamError(ValueError):
    """A value a param does not accept; the message is final text for people."""


def _err(message: str) -> ParamError:
    return ParamError(message)


def _counted(number: int | float, unit: str) -> str:
    """` words` after 2 but ` word` after 1; units of measure (ms, dB) never change."""
    return unit[:-1] if number == 1 and unit == " words" else unit


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
            limit = f"{_fmt(self.minimum)}{_counted(self.minimum, unit)}"
            raise _err(f"{_fmt(value)} is below the minimum of {limit}")
        if value > self.maximum:
            limit = f"{_fmt(self.maximum)}{_counted(self.maximum, unit)}"
            raise _err(f"{_fmt(value)} is above the maximum of {limit}")
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
        from pydantic_core import PydanticCustomError, core_schema

        def validate(value: Any) -> Value | None:
            try:
                return self.validate(value)
            except ParamError as exc:
                # Passed as context, so braces in the message are not a template.
                raise PydanticCustomError(
                    "speech_timing", "{message}", {"message": str(exc)}
                ) from None

        return core_schema.no_info_plain_validator_function(validate)

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
