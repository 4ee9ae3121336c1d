"""Reading and writing preset files: size and encoding checks; atomic writes, umask's mode."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tuner.errors import Problem, TunerError
from tuner.presets.document import key_at

#: Preset files are small; refuse anything larger before parsing it.
MAX_FILE_BYTES = 1_000_000


def read_text(path: Path) -> str:
    """A preset file's text, or a TunerError naming the file and what is wrong with it."""
    where = str(path)
    try:
        if path.is_dir():
            raise TunerError(Problem("is a directory, not a preset file", where))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TunerError(
                Problem(f"is {size} bytes; a preset file is at most {MAX_FILE_BYTES}", where)
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise TunerError(Problem("no such file", where)) from None
    except PermissionError:
        raise TunerError(Problem("cannot be read: permission denied", where)) from None
    except OSError as exc:
        raise TunerError(Problem(f"cannot be read: {exc.strerror or exc}", where)) from None
    try:
        return data.decode("utf-8-sig")  # editors on Windows may write a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        key = key_at(data.decode("utf-8", "replace"), line)
        raise TunerError(
            Problem(f"is not UTF-8 text (bad byte at offset {exc.start})", where, line, key)
        ) from None


def read_if_any(path: Path | None) -> str | None:
    """A file's text, or None when there is no readable UTF-8 file there."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # the portable way: set, then put back
    os.umask(mask)
    return mask


def write_atomic(target: Path, text: str) -> None:
    """Replace `target` with `text` so that a crash leaves either the old or the new file.

    The file gets the mode a plain `open()` would give it (0644 under umask 022), so an agent
    running as another user can read a saved preset.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise TunerError(
            Problem(f"cannot write here: {exc.strerror or exc}", str(target.parent))
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            # mkstemp creates the file 0600 whatever the umask.
            os.fchmod(fh.fileno(), 0o666 & ~umask())
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise TunerError(Problem(f"cannot write: {exc.strerror or exc}", str(target))) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def real(path: Path) -> Path:
    """The canonical path, without raising on symlink loops (reading the file reports those)."""
    return Path(os.path.realpath(path))
