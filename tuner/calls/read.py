"""Reading call-log files (payload files, folders, JSON lines), one payload at a time."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # several times faster than json.loads on call logs; json.loads has the last word
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency, but the reader never needs it
    _fast_loads = json.loads  # type: ignore[assignment]


def loads(data: str | bytes) -> Any:
    """Decode JSON like `json.loads`, faster: what orjson refuses (NaN, integers past 64 bits,
    broken text) goes to json.loads, which accepts it or raises its own JSONDecodeError."""
    try:
        return _fast_loads(data)
    except ValueError:
        return json.loads(data)


#: File name endings read when a folder is given.
PAYLOAD_SUFFIXES = (".json", ".jsonl", ".ndjson")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Failure:
    """A file, line or payload that could not be analysed, and why (for people)."""

    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class Incomplete:
    """The unterminated last line of a JSON-lines file that does not parse: a write still in
    progress, or one cut short when its writer was killed. Skipped, and said so."""

    path: str

    def to_json(self) -> str:
        return self.path


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Failure]]:
    """The payload files under `paths`: files as given, folders searched for .json/.jsonl."""
    files: list[Path] = []
    missing: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                Path(root, name)
                for root, dirs, names in os.walk(path)
                for name in sorted(names)
                if name.lower().endswith(PAYLOAD_SUFFIXES) and not dirs.sort()
            ]
            if not found:
                missing.append(Failure(str(path), "no .json, .jsonl or .ndjson files in folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Failure(str(path), "no such file or folder"))
    return files, missing


def _decode_error(exc: json.JSONDecodeError) -> str:
    if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"truncated JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"
    return f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"


def _lines(path: Path, lines: Iterable[bytes]) -> Iterator[tuple[str, Any] | Failure | Incomplete]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        try:
            yield where, loads(line)
        except UnicodeDecodeError as exc:
            yield Failure(where, f"not UTF-8 text (byte {exc.start})")
        except json.JSONDecodeError as exc:
            if line.endswith(b"\n"):
                yield Failure(where, _decode_error(exc))
            else:
                yield Incomplete(where)


def parse_file(path: Path) -> Iterator[tuple[str, Any] | Failure | Incomplete]:
    """Each payload in a file as (where, decoded JSON), or a Failure for what cannot be read.

    JSON-lines files are streamed a line at a time, so a day of calls in one file never has
    to fit in memory at once.
    """
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            with path.open("rb") as stream:
                yield from _lines(path, stream)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(str(path), f"not UTF-8 text (byte {exc.start})")
        return
    try:
        yield str(path), loads(text)
        return
    except json.JSONDecodeError as exc:
        # Several objects one per line in a .json file: read it as JSON lines.
        if exc.msg != "Extra data" or "\n" not in text.strip():
            yield Failure(str(path), _decode_error(exc))
            return
    del text
    yield from _lines(path, data.splitlines(keepends=True))
