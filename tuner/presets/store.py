"""`PresetStore`: where presets live, and the only code that finds, lists, loads and saves them."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from tuner.errors import Problem, TunerError, did_you_mean
from tuner.params import JudgedTiming, Timing, Value
from tuner.presets.document import key_lines, parse_preset
from tuner.presets.files import read_if_any, read_text, real, write_atomic
from tuner.presets.names import BUILTIN_NAMES, NAME_RE, check_name, is_path
from tuner.presets.preset import Preset, PresetInfo, Source

ENV_PRESETS_DIR = "SPEECH_TUNER_PRESETS_DIR"
#: Longest `extends` chain; deeper is surely a mistake (and keeps recursion bounded).
MAX_DEPTH = 32

PathArg = str | os.PathLike[str]


def builtin_dir() -> Path:
    """The folder of the built-in presets: inside the installed wheel, else the source tree."""
    here = Path(__file__).resolve().parent
    packaged = here / "builtin"
    return packaged if packaged.is_dir() else here.parent.parent / "presets"


def user_dir(presets_dir: PathArg | None = None) -> Path:
    """The user presets folder: the option, else `$SPEECH_TUNER_PRESETS_DIR`, else the OS's."""
    if presets_dir:
        return Path(presets_dir).expanduser()
    env = os.environ.get(ENV_PRESETS_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only needed when no folder is given

    return Path(platformdirs.user_config_dir("speech-tuner")) / "presets"


class PresetStore:
    """The presets a program can use: the user's folder over the built-ins, plus file paths.

    Built once (by the command line, an agent, a test with `tmp_path`) and handed to every
    surface that reads or writes presets.
    """

    def __init__(self, presets_dir: PathArg | None = None, builtin: PathArg | None = None) -> None:
        self.user_dir = user_dir(presets_dir)
        self.builtin_dir = Path(builtin) if builtin is not None else builtin_dir()

    def __repr__(self) -> str:
        return f"PresetStore({str(self.user_dir)!r})"

    # -- names and places ------------------------------------------------------------------
    def path_for(self, name: str) -> Path:
        """Where the user preset `name` is (or would be) written."""
        return _named(self.user_dir, check_name(name))

    def shadows_builtin(self, name: str) -> bool:
        """Whether a user preset called `name` hides a built-in of the same name."""
        return NAME_RE.match(name) is not None and _named(self.builtin_dir, name).is_file()

    def is_builtin_file(self, path: Path) -> bool:
        return real(path).parent == real(self.builtin_dir)

    def locate(self, ref: str, *, skip: Path | None = None) -> tuple[Path, Source]:
        """The file a preset reference points at, and where it was found."""
        if is_path(ref):
            return Path(ref).expanduser(), "file"
        check_name(ref)
        found: tuple[tuple[Source, Path], ...] = (
            ("user", self.user_dir),
            ("built-in", self.builtin_dir),
        )
        for source, folder in found:
            path = _named(folder, ref)
            if path.is_file() and (skip is None or real(path) != real(skip)):
                return path, source
        known = sorted(p.name for p in self.list_presets())
        raise TunerError(
            Problem(
                f'unknown preset "{ref}"{did_you_mean(ref, known)}; '
                f"known presets: {', '.join(known)}"
            )
        )

    def list_presets(self) -> list[PresetInfo]:
        """Every preset that can be opened by name; a user preset shadows a built-in."""
        found: dict[str, PresetInfo] = {}
        folders: tuple[tuple[Source, Path], ...] = (
            ("built-in", self.builtin_dir),
            ("user", self.user_dir),
        )
        for source, folder in folders:
            for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
                if NAME_RE.match(path.stem):
                    found[path.stem] = PresetInfo(path.stem, source, path, _description(path))
        order = {name: i for i, name in enumerate(BUILTIN_NAMES)}
        return sorted(found.values(), key=lambda p: (order.get(p.name, len(order)), p.name))

    # -- loading ---------------------------------------------------------------------------
    def load(self, ref: PathArg) -> Preset:
        """Load a preset by name or path, following `extends`; raise TunerError on any problem.

        Each file's values are judged by the model once; the merge of valid values is valid.
        The preset's params are a `SpeechTiming`.
        """
        from tuner.model import SpeechTiming

        return self._load(str(ref), [], None, SpeechTiming())

    def peek(self, ref: PathArg) -> Preset:
        """`load`, without pydantic: the same checks and values (every file judged by the same
        `Param`s), held in a `JudgedTiming`. What the editor draws its first frame from."""
        return self._load(str(ref), [], None, JudgedTiming())

    def _load(self, ref: str, chain: list[Path], skip: Path | None, empty: Timing) -> Preset:
        path, source = self.locate(ref, skip=skip)
        resolved = real(path)
        if resolved in [real(p) for p in chain] or len(chain) >= MAX_DEPTH:
            names = " -> ".join(p.stem for p in [*chain, path])
            line = key_lines(read_text(chain[-1])).get(("preset", "extends"))
            raise TunerError(Problem(f"extends cycle: {names}", str(chain[-1]), line, "extends"))
        own = parse_preset(read_text(path), str(path))
        name = path.stem if source != "file" or NAME_RE.match(path.stem) else "custom"
        preset = Preset(
            name=name,
            description=own.description,
            extends=own.extends,
            own=dict(own.params),
            source=source,
            path=path,
            lines=own.lines,
            params=empty,
            parent=empty,
        )
        merged: dict[str, Value] = {}
        if own.extends:
            parent = self._parent(own.extends, path, [*chain, path], resolved, own.lines, empty)
            merged.update(parent.params.values())
            preset.origins.update(parent.origins)
            preset.parent = parent.params
        merged.update(own.params)
        preset.origins.update(dict.fromkeys(own.params, name))
        preset.params = empty.holding(merged)
        return preset

    def _parent(
        self,
        ref: str,
        path: Path,
        chain: list[Path],
        resolved: Path,
        lines: dict[tuple[str, str], int],
        empty: Timing,
    ) -> Preset:
        if is_path(ref) and not Path(ref).is_absolute():
            ref = str(path.parent / ref)
        try:
            # A user preset may extend the built-in it shadows: skip its own file when resolving.
            return self._load(ref, chain, resolved, empty)
        except TunerError as exc:
            line = lines.get(("preset", "extends"))
            raise TunerError(
                [
                    Problem(
                        f"cannot extend: {p.path + ': ' if p.path else ''}{p.message}",
                        str(path),
                        line,
                        "extends",
                    )
                    if p.line is None and p.key is None
                    else p
                    for p in exc.problems
                ]
            ) from None

    # -- saving ----------------------------------------------------------------------------
    def save(
        self,
        preset: Preset,
        name: str | None = None,
        path: PathArg | None = None,
        *,
        fresh: bool = False,
    ) -> Path:
        """Write a preset atomically as the user preset `name` (default: its own), or to `path`.

        Built-ins are never touched: saving one writes a user preset that shadows it. A file
        being replaced keeps its comments, order and formatting (see `Preset.document`); a new
        one starts from the text of the file the preset was read from, if any. `fresh` writes
        a new document whatever was there (a preset made anew, e.g. `new --force`).
        """
        target = Path(path) if path is not None else self.path_for(name or preset.name)
        if self.is_builtin_file(target):
            raise TunerError(Problem("built-in presets are never overwritten", str(target)))
        base = None if fresh else read_if_any(target) or read_if_any(preset.path)
        write_atomic(target, preset.document(base))
        return target


def _named(folder: Path, name: str) -> Path:
    """The name -> file rule: a preset's name is its file's stem (the inverse of `.stem`)."""
    return folder / f"{name}.toml"


def _description(path: Path) -> str:
    try:
        doc = tomllib.loads(read_text(path))
        desc = doc.get("preset", {}).get("description", "")
        return desc if isinstance(desc, str) else ""
    except (TunerError, tomllib.TOMLDecodeError, AttributeError):
        return ""
