"""Where inputs come from: local files, folders and globs, or fsspec URLs (s3://, gs://, ...).

Local paths never import fsspec. A URL is opened through fsspec, whose backend for the URL's
protocol (s3fs, gcsfs, adlfs, aiohttp for https) is the user's to install; a missing one is a
`SourceError` naming the package. Every function here runs in the worker processes too, so an
input expanded on the client is a string any worker can open (see `portable`).
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

#: A URL starts with a scheme of two letters or more ("C:/x" is a Windows path, not a URL).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
_MAGIC = re.compile(r"[*?\[]")

#: The package that brings each protocol's fsspec backend (the name `pip install` takes).
BACKENDS = {
    "s3": "s3fs",
    "s3a": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "abfss": "adlfs",
    "adl": "adlfs",
    "http": "aiohttp",
    "https": "aiohttp",
}


class SourceError(Exception):
    """An input that cannot be listed or opened; the message says why, for people."""


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def protocol(url: str) -> str:
    return url.split("://", 1)[0].lower()


def expand(
    inputs: Iterable[str], suffixes: Sequence[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The files to analyse, and (input, reason) for each input that gave none.

    A file is taken as given; a folder (local or remote) is searched recursively for names
    ending in `suffixes`; a glob (`calls/*.json`, `s3://bucket/2026-*/*.wav`) gives what it
    matches, folders among them searched as above.
    """
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    for raw in inputs:
        try:
            found = _expand_url(raw, suffixes) if is_url(raw) else _expand_local(raw, suffixes)
        except SourceError as exc:
            problems.append((raw, str(exc)))
            continue
        files.extend(found)
    return files, problems


def _none_found(suffixes: Sequence[str]) -> SourceError:
    names = list(suffixes)
    listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    return SourceError(f"no {listed} files in this folder")


def _wanted(name: str, suffixes: Sequence[str]) -> bool:
    return name.lower().endswith(tuple(suffixes))


def _expand_local(raw: str, suffixes: Sequence[str]) -> list[str]:
    path = Path(raw)
    if path.is_dir():
        found = sorted(str(f) for f in path.rglob("*") if _wanted(f.name, suffixes) and f.is_file())
        if not found:
            raise _none_found(suffixes)
        return found
    if path.exists():
        return [raw]
    if _MAGIC.search(raw):
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            raise SourceError("no files match this pattern")
        out: list[str] = []
        for match in matches:
            if Path(match).is_dir():
                out.extend(
                    sorted(
                        str(f)
                        for f in Path(match).rglob("*")
                        if _wanted(f.name, suffixes) and f.is_file()
                    )
                )
            else:
                out.append(match)
        return out
    raise SourceError("no such file or folder")


def filesystem(url: str) -> tuple[Any, str]:
    """(fsspec filesystem, path inside it) for a URL; SourceError when its backend is missing."""
    try:
        import fsspec
    except ImportError:  # pragma: no cover - fsspec is a dependency; a broken install only
        raise SourceError("URLs need the package fsspec: pip install fsspec") from None
    proto = protocol(url)
    try:
        fs, path = fsspec.url_to_fs(url)
        return fs, str(path)
    except ImportError as exc:
        package = BACKENDS.get(proto) or _missing_module(exc) or proto
        message = f"{proto}:// needs the package {package}: pip install {package}"
        raise SourceError(message) from None
    except ValueError as exc:
        if "Protocol not known" in str(exc):
            raise SourceError(f"{proto}:// is not a storage protocol fsspec knows") from None
        raise SourceError(str(exc)) from None


def _missing_module(exc: ImportError) -> str | None:
    """The top-level module whose import failed, from the error or what caused it."""
    seen: BaseException | None = exc
    while seen is not None:
        name = getattr(seen, "name", None)
        if isinstance(name, str) and name:
            return name.split(".")[0]
        seen = seen.__cause__ or seen.__context__
    return None


def _expand_url(raw: str, suffixes: Sequence[str]) -> list[str]:
    fs, path = filesystem(raw)
    try:
        if _MAGIC.search(path):
            matches: dict[str, Any] = fs.glob(path, detail=True)
            if not matches:
                raise SourceError("no files match this pattern")
            out: list[str] = []
            for name, info in sorted(matches.items()):
                if info.get("type") == "directory":
                    out.extend(_find(fs, name, suffixes))
                else:
                    out.append(fs.unstrip_protocol(name))
            return out
        if not fs.exists(path):
            raise SourceError("no such file or folder")
        if fs.isdir(path):
            found = _find(fs, path, suffixes)
            if not found:
                raise _none_found(suffixes)
            return found
        return [raw]
    except SourceError:
        raise
    except ImportError as exc:  # a backend's own optional import, met only when listing
        package = _missing_module(exc) or "?"
        raise SourceError(f"needs the package {package}: pip install {package}") from None
    except Exception as exc:  # storage errors come in each backend's own types
        raise SourceError(f"cannot list: {describe(exc)}") from None


def _find(fs: Any, path: str, suffixes: Sequence[str]) -> list[str]:
    names = fs.find(path)
    return sorted(fs.unstrip_protocol(n) for n in names if _wanted(n, suffixes))


def describe(exc: BaseException) -> str:
    """An exception as one line for people: the message, with the type when it says little."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, (OSError, ValueError, SourceError)) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def portable(location: str) -> str:
    """The input as another process (another machine's worker) can open it: URLs as they are,
    local paths made absolute (a worker's working folder is its own)."""
    return location if is_url(location) else os.path.abspath(location)


@contextmanager
def local_copy(location: str) -> Iterator[str]:
    """A local path holding the input's bytes: the path itself, or a temporary copy of a URL
    (same suffix, so readers that look at it still can), removed afterwards."""
    if not is_url(location):
        yield location
        return
    fs, path = filesystem(location)
    if protocol(location) in ("file", "local"):
        yield path
        return
    suffix = PurePosixPath(path.split("?", 1)[0]).suffix
    handle, name = tempfile.mkstemp(prefix="speech-tuner-", suffix=suffix)
    os.close(handle)
    try:
        fs.get_file(path, name)  # streamed whole: no range requests the server may not serve
        yield name
    finally:
        os.unlink(name)
