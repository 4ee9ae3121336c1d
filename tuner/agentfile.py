"""Loading every agent of a Python file as `python AGENT.py` would, without serving a thing.

The file runs as `__main__` in `tuner.sandbox` (clean argv, no stdin, no ports, a time limit).
While it runs, `run()`/`serve()` of the SDKs' services and of `AgentServer`, and `uvicorn.run`,
only record what they were given.
Works for `signalwire_agents` and its successor `signalwire` alike; the SDK is imported here only
when loading, never when `tuner` is imported.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import re
import sys
import types
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tuner.errors import Problem, TunerError
from tuner.sandbox import explain, sandbox

SDKS = ("signalwire", "signalwire_agents")
#: Seconds an agent file may take to load (or to render one call) before it is stopped.
DEFAULT_TIMEOUT = 30.0
_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*["']__main__["']""", re.MULTILINE)
_SDK_IMPORT = re.compile(r"^\s*(?:from|import)\s+(signalwire_agents|signalwire)\b", re.MULTILINE)


@dataclass
class LoadedAgent:
    """One agent found in the file, with the route it is served at."""

    agent: Any
    route: str
    sdk: str
    #: What went wrong in the file after this agent was made (it is checked all the same).
    notes: list[Problem] = field(default_factory=list)

    @property
    def class_name(self) -> str:
        return type(self.agent).__name__


@dataclass
class _Capture:
    sdks: list[str]
    served: list[Any] = field(default_factory=list)
    created: list[Any] = field(default_factory=list)
    uvicorn_calls: int = 0
    agent_bases: list[type] = field(default_factory=list)
    service_bases: list[type] = field(default_factory=list)
    servers: list[type] = field(default_factory=list)
    _undo: list[tuple[Any, str, Any]] = field(default_factory=list)

    def _set(self, owner: Any, name: str, value: Any) -> None:
        self._undo.append((owner, name, owner.__dict__.get(name)))
        setattr(owner, name, value)

    def __enter__(self) -> _Capture:
        served, created = self.served, self.created

        def capture(service: Any, *args: Any, **kwargs: Any) -> Any:
            served.append(service)
            return service

        for sdk in self.sdks:
            try:
                module = importlib.import_module(sdk)
            except Exception as exc:
                self.__exit__()
                raise TunerError(f"the SignalWire SDK ({sdk}) does not import: {exc}") from None
            base = module.AgentBase
            swml = importlib.import_module(f"{sdk}.core.swml_service").SWMLService
            server = getattr(module, "AgentServer", None)
            self.agent_bases.append(base)
            self.service_bases.append(swml)
            owners = [swml, base, *([server] if server is not None else [])]
            if server is not None:
                self.servers.append(server)
            for owner in owners:
                for name in ("run", "serve"):
                    if hasattr(owner, name):
                        self._set(owner, name, capture)
            init = base.__init__

            def recording_init(
                agent: Any, *args: Any, _tuner_init: Any = init, **kwargs: Any
            ) -> None:
                _tuner_init(agent, *args, **kwargs)
                created.append(agent)

            self._set(base, "__init__", recording_init)
        if importlib.util.find_spec("uvicorn") is not None:
            uvicorn = importlib.import_module("uvicorn")

            def no_uvicorn(*args: Any, **kwargs: Any) -> None:
                self.uvicorn_calls += 1

            async def no_serve(*args: Any, **kwargs: Any) -> None:
                self.uvicorn_calls += 1

            self._set(uvicorn, "run", no_uvicorn)
            self._set(uvicorn.Server, "run", no_uvicorn)
            self._set(uvicorn.Server, "serve", no_serve)
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._undo):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self._undo.clear()


def _preload(sdks: list[str]) -> None:
    """Import the SDKs (and uvicorn) before the agent's code runs: the time limit is its own."""
    names = [name for sdk in sdks for name in (sdk, f"{sdk}.core.swml_service")]
    names += ["uvicorn"] if importlib.util.find_spec("uvicorn") is not None else []
    with contextlib.redirect_stdout(sys.stderr):
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:
                raise TunerError(f"the SignalWire SDK ({name}) does not import: {exc}") from None


def _sdks_for(text: str) -> list[str]:
    """The installed SDKs the file imports (all installed ones when it names none itself)."""
    installed = [sdk for sdk in SDKS if importlib.util.find_spec(sdk) is not None]
    named = {m.group(1) for m in _SDK_IMPORT.finditer(text)}
    return [sdk for sdk in installed if sdk in named] or installed


def sdk_of(agent: Any) -> str:
    """The SDK an agent's class comes from."""
    for cls in type(agent).__mro__:
        top = cls.__module__.split(".")[0]
        if top in SDKS:
            return top
    return SDKS[0]


# -- loading -----------------------------------------------------------------------------------
def load_agents(
    path: str,
    agent_class: str | None = None,
    route: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[LoadedAgent]:
    """Every agent of the file (or the one `agent_class` or `route` picks), never served."""
    file = Path(path)
    if not file.is_file():
        raise TunerError(Problem("no such file", path))
    if file.suffix != ".py":
        raise TunerError(Problem("an agent is a Python file (.py)", path))
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TunerError(Problem(f"cannot read: {exc}", path)) from None
    sdks = _sdks_for(text)
    os.environ.setdefault("SIGNALWIRE_LOG_MODE", "off")  # the SDK's logs would bury the report
    if not sdks:
        raise TunerError(
            Problem(
                "the SignalWire SDK is not installed: pip install signalwire-sdk "
                "(or signalwire-agents)",
                path,
            )
        )
    _preload(sdks)
    module = types.ModuleType("__main__")
    module.__file__ = str(file.resolve())
    with sandbox(file, timeout, "loading") as blocked, _Capture(sdks) as cap:
        failure = _run_file(module, file, text, blocked)
        found = _collect(module, cap)
        if not (found or failure or _MAIN_GUARD.search(text)) and callable(
            module.__dict__.get("main")
        ):
            # No agent, and no __main__ block that could have run main(): the SDK's own
            # loader calls main() in this case, and so do we.
            failure = _call_main(module, file, blocked)
            found = _collect(module, cap)
        if cap.uvicorn_calls and not found:
            found = _unique(cap.created)
        if not found and not failure:
            found, failure = _instantiate_classes(module, cap, file)
    if not found:
        if failure and re.search(
            r"No module named '(signalwire|signalwire_agents)'", failure.message
        ):
            failure = replace(
                failure,
                message=f"{failure.message} (pip install signalwire-sdk or signalwire-agents)",
            )
        if failure:
            raise TunerError(failure)
        if cap.created:
            names = ", ".join(dict.fromkeys(str(getattr(a, "name", "?")) for a in cap.created))
            raise TunerError(
                Problem(
                    f"the file made agents ({names}) but neither served one nor kept one in a "
                    "module variable: did it stop early? (its output is above)",
                    path,
                )
            )
        raise TunerError(
            Problem(
                "no agent found: the file must make an AgentBase (agent = MyAgent()), "
                "define an AgentBase subclass that takes no arguments, or have a main() "
                "that runs one",
                path,
            )
        )
    notes = [] if failure is None else [replace(failure, severity="warning")]
    agents = [LoadedAgent(agent, r, sdk_of(agent), list(notes)) for agent, r in found]
    return _select(agents, module, cap, file, agent_class, route)


def _run_file(
    module: types.ModuleType, file: Path, text: str, blocked: list[str]
) -> Problem | None:
    sys.modules["__main__"] = module
    try:
        code = compile(text, str(file), "exec")
        exec(code, module.__dict__)
    except BaseException as exc:  # the agent's own code ran: whatever it raises is the file's
        return explain(exc, file, blocked)
    return None


def _call_main(module: types.ModuleType, file: Path, blocked: list[str]) -> Problem | None:
    try:
        module.main()
    except BaseException as exc:
        return explain(exc, file, blocked)
    return None


def _unique(agents: list[Any]) -> list[tuple[Any, str]]:
    seen: set[int] = set()
    out = []
    for agent in agents:
        if id(agent) not in seen:
            seen.add(id(agent))
            out.append((agent, _route(getattr(agent, "route", "/"))))
    return out


def _route(route: Any) -> str:
    text = str(route or "/").strip()
    return "/" + text.strip("/")


def _collect(module: types.ModuleType, cap: _Capture) -> list[tuple[Any, str]]:
    """The agents the file served, registered on a server or keeps in a module variable.

    Without any AgentBase, the plain SWML services it has (their SWML may hold an ai verb).
    """
    return _collect_kind(module, cap, tuple(cap.agent_bases)) or _collect_kind(
        module, cap, tuple(cap.service_bases)
    )


def _collect_kind(
    module: types.ModuleType, cap: _Capture, bases: tuple[type, ...]
) -> list[tuple[Any, str]]:
    servers = tuple(cap.servers)
    found: dict[int, tuple[Any, str]] = {}
    candidates = [*cap.served, *vars(module).values()]
    for obj in candidates:
        if servers and isinstance(obj, servers):
            for r, agent in dict(getattr(obj, "agents", {}) or {}).items():
                found.setdefault(id(agent), (agent, _route(r)))
    for obj in candidates:
        if bases and isinstance(obj, bases):
            found.setdefault(id(obj), (obj, _route(getattr(obj, "route", "/"))))
    return list(found.values())


def _classes(module: types.ModuleType, cap: _Capture) -> dict[str, type]:
    """AgentBase subclasses defined in the file itself (not imported prefabs)."""
    bases = tuple(cap.agent_bases)
    return {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, type)
        and bases
        and issubclass(obj, bases)
        and obj not in bases
        and obj.__module__ == module.__name__
    }


def _instantiate_classes(
    module: types.ModuleType, cap: _Capture, file: Path
) -> tuple[list[tuple[Any, str]], Problem | None]:
    agents, failures = [], []
    for name, cls in _classes(module, cap).items():
        try:
            agent = cls()
        except Exception as exc:
            failures.append(f"{name}() failed: {type(exc).__name__}: {exc}")
            continue
        agents.append((agent, _route(getattr(agent, "route", "/"))))
    if agents or not failures:
        return agents, None
    return [], Problem("no agent could be made: " + "; ".join(failures), str(file))


def _select(
    agents: list[LoadedAgent],
    module: types.ModuleType,
    cap: _Capture,
    file: Path,
    agent_class: str | None,
    route: str | None,
) -> list[LoadedAgent]:
    agents = sorted(agents, key=lambda a: a.route)
    listing = ", ".join(f"{a.route} ({a.class_name})" for a in agents)
    if route is not None:
        picked = [a for a in agents if a.route == _route(route)]
        if not picked:
            raise TunerError(
                Problem(f"no agent at {_route(route)}; agents in this file: {listing}", str(file))
            )
        return picked[:1]
    if agent_class is not None:
        picked = [a for a in agents if a.class_name == agent_class]
        if picked:
            return picked
        cls = _classes(module, cap).get(agent_class) or getattr(module, agent_class, None)
        if isinstance(cls, type) and issubclass(cls, tuple(cap.agent_bases)):
            with sandbox(file, DEFAULT_TIMEOUT, f"making {agent_class}") as blocked:
                try:
                    agent = cls()
                except BaseException as exc:
                    raise TunerError(
                        explain(exc, file, blocked) or Problem(f"{agent_class}() failed", str(file))
                    ) from None
            return [LoadedAgent(agent, _route(getattr(agent, "route", "/")), sdk_of(agent))]
        raise TunerError(
            Problem(
                f"no agent class {agent_class} in this file; agents in this file: {listing}",
                str(file),
            )
        )
    return agents
