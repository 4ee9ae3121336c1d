"""The Evidence tab's Experiment section, driven through Pilot on generated experiment logs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from calllogs import write_calls
from editor_ready import until_complete
from experiment.payloads import Arm, experiment_logs

from tuner.tui.app import TunerApp, make_app
from tuner.tui.widgets.experiment_section import SHORT, ExperimentSection

pytestmark = pytest.mark.anyio

SIZES = [(80, 24), (120, 40)]
# `elderly` waits longer and cuts off fewer caller turns, as the docs' experiment does.
ARMS = [
    Arm("normal", cut_off=0.14, endpointing=600),
    Arm("elderly", cut_off=0.04, endpointing=900, audio=1000),
]


def write_logs(folder: Path, arms: list[Arm], per_arm: int, seed: int) -> Path:
    """Stamped post_conversation payloads as a JSON-lines log, as `record_calls` writes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "calls.jsonl"
    lines = (json.dumps(p) + "\n" for p in experiment_logs(arms, per_arm, seed))
    path.write_text("".join(lines), encoding="utf-8")
    return folder


def section(app: TunerApp) -> ExperimentSection:
    return app.screen_stack[0].query_one(ExperimentSection)


async def loaded(app: TunerApp, pilot: Any) -> str:
    await until_complete(app, pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    s = section(app)
    return str(s.render()) if s.display else ""


def expected_cells(doc: dict[str, Any], key: str, unit: bool) -> list[str]:
    out = []
    for figures in doc["presets"].values():
        v = figures[key]
        out.append("—" if v is None else (f"{v:.0f}" if unit else f"{v:.1f}"))
    return out


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_stamped_logs_show_the_presets_side_by_side_as_calls_by_preset(
    size: tuple[int, int], tmp_path: Path
) -> None:
    pytest.importorskip("numpy")
    from tuner.experiment.adapter import read_records
    from tuner.experiment.compare import compare
    from tuner.experiment.figures import FIGURES

    logs = write_logs(tmp_path / "logs", ARMS, 120, seed=5)
    # The same logs through `calls --by preset`'s own reading and comparison.
    doc = compare(read_records([logs]).calls).to_json()
    assert set(doc["presets"]) == {"normal", "elderly"}

    app = make_app("normal", calls=[str(logs)])
    async with app.run_test(size=size) as pilot:
        text = await loaded(app, pilot)
        assert text.startswith("Experiment 240 stamped calls")
        lines = text.splitlines()
        names = list(doc["presets"])
        assert lines[1].split() == names  # the baseline's column first
        by_label = {}
        for line in lines[2:]:
            for label in ["calls", *(f.label for f in FIGURES), *SHORT.values()]:
                if line.startswith(label + " "):
                    by_label[label] = line[len(label) :].split()
        assert by_label["calls"] == [str(doc["presets"][n]["calls"]) for n in names]
        for fig in FIGURES:
            cells = by_label.get(fig.label, by_label.get(SHORT[fig.key]))
            assert cells == expected_cells(doc, fig.key, bool(fig.unit)), fig.key
        # The verdict sentence of the same engine, word for word (wrapped to the panel).
        words = " ".join(text.split())
        for comparison in doc["comparisons"]:
            assert " ".join(comparison["sentence"].split()) in words
        assert "cuts off" in words and "fewer caller turns per 100" in words
        if size == (80, 24):
            assert all(len(line) <= section(app).content_region.width for line in lines)


async def test_logs_without_stamps_or_with_one_preset_show_no_experiment(tmp_path: Path) -> None:
    write_calls(tmp_path / "plain", 20)  # no preset stamp at all
    one = write_logs(tmp_path / "one", [Arm("normal")], 15, seed=2)
    for logs in (tmp_path / "plain", one):
        app = make_app("normal", calls=[str(logs)])
        async with app.run_test(size=(120, 40)) as pilot:
            assert await loaded(app, pilot) == ""
            panel_text = str(app.screen_stack[0].query_one("#evidence-figures").render())
            assert "cut-offs" in panel_text  # the evidence itself is shown
            assert app.screen_stack[0].query_one("#evidence").evidence.calls > 0


async def test_without_numpy_the_section_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = write_logs(tmp_path / "logs", ARMS, 12, seed=3)
    monkeypatch.setitem(sys.modules, "numpy", None)  # `import numpy` fails as if missing
    app = make_app("normal", calls=[str(logs)])
    async with app.run_test(size=(80, 24)) as pilot:
        text = await loaded(app, pilot)
    assert text.startswith("Experiment elderly, normal")
    assert "pip install 'speech-tuner[stats]'" in text
