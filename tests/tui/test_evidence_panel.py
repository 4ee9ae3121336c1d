"""The Evidence tab driven through Pilot: filled in the background, redrawn on every change."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from calllogs import write_calls
from editor_ready import until_complete
from textual.widgets import Input, Select, Static

from tuner import evidence, whatif
from tuner.audio.defaults import AUDIO_SUFFIXES
from tuner.sources import expand
from tuner.tui.app import TunerApp, make_app
from tuner.tui.screens.editor import EditorScreen
from tuner.tui.widgets.evidence_panel import EvidencePanel

pytestmark = pytest.mark.anyio

RECORDINGS = Path(__file__).parent.parent / "audio" / "fixtures" / "calls"


def recordings() -> list[Path]:
    """The committed recordings, listed as `pauses` lists a folder."""
    return [Path(f) for f in expand([str(RECORDINGS)], AUDIO_SUFFIXES)[0]]


SIZES = [(80, 24), (120, 40)]


def panel(app: TunerApp) -> EvidencePanel:
    return app.screen_stack[0].query_one(EvidencePanel)


def shown(app: TunerApp) -> str:
    """The panel's text as drawn: the state line and the figures."""
    p = panel(app)
    state = str(p.query_one("#evidence-state", Static).render())
    return state + "\n" + str(p.query_one("#evidence-figures").render())


async def loaded(app: TunerApp, pilot: object) -> EvidencePanel:
    await until_complete(app, pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    p = panel(app)
    assert p.evidence is not None, "the evidence was never shown"
    return p


async def set_eos(app: TunerApp, pilot: object, value: str) -> None:
    screen = app.screen_stack[0]
    assert isinstance(screen, EditorScreen)
    for _ in range(5):  # rows beyond the first screen are built right after it
        if screen.query("#edit-end_of_speech_timeout"):
            break
        await pilot.pause()  # type: ignore[attr-defined]
    field = screen.query_one("#edit-end_of_speech_timeout", Input)
    field.focus()
    field.value = ""
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press(*value)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_moving_eos_500_to_1500_lowers_cutoffs_and_raises_the_added_wait(
    size: tuple[int, int], tmp_path: Path
) -> None:
    pytest.importorskip("numpy")
    from tuner.audio.analysis import Summary, analyse_file
    from tuner.calls import analyse
    from tuner.presets import PresetStore

    write_calls(tmp_path / "logs", 30)
    # The same data through the `pauses` and `calls` analyses themselves.
    summary = Summary([analyse_file(str(f)) for f in recordings()], "silero")
    report = analyse([str(tmp_path / "logs")]).to_json(PresetStore().load("normal").params)
    cut = report["cut_offs"]["count"]  # split turns + early barges, one per cut utterance
    reference = evidence.load([str(RECORDINGS)], [str(tmp_path / "logs")])
    app = make_app("normal", recordings=[str(RECORDINGS)], calls=[str(tmp_path / "logs")])
    async with app.run_test(size=size) as pilot:
        p = await loaded(app, pilot)
        assert app.screen_stack[0].query_one("#side").active == "tab-evidence"  # type: ignore[attr-defined]
        before = p.figures
        assert before is not None and before.cutoffs is not None
        # The recordings' pauses are the `pauses` command's; the calls add their split turns.
        call_gaps = [g for g, s in zip(reference.pause_ms, reference.pause_step, strict=True) if s]
        # Every cut-off `calls` counts is a pause here: each cut caller resumed within 1.5 s.
        assert len(call_gaps) == cut
        assert before.cutoffs.count == summary.cutoffs(500) + sum(g > 500 for g in call_gaps)
        rec_turns = sum(f.turn_ends + 1 for f in summary.files)
        caller_turns = report["cut_offs"]["caller_turns"] - cut + rec_turns
        assert before.cutoffs.per_100 == pytest.approx(100 * before.cutoffs.count / caller_turns)
        # The first response is `calls`' own figure at the preset the calls ran with.
        assert before.first is not None
        first = report["first_response_ms"]
        assert (before.first.p50, before.first.p90, before.first.count) == (
            first["p50"],
            first["p90"],
            first["count"],
        )
        assert before.added_wait_ms == 0
        assert "+0 ms" in shown(app)
        await set_eos(app, pilot, "1500")
        after = p.figures
        assert after is not None and after.cutoffs is not None and after.first and before.first
        assert after.cutoffs.count == summary.cutoffs(1500) + sum(g > 1500 for g in call_gaps)
        assert after.cutoffs.count < before.cutoffs.count
        assert after.added_wait_ms == 1000
        assert after.first.p50 == before.first.p50 + 1000
        # Exactly what the engine gives on the same evidence, and drawn in the panel.
        expected = whatif.figures(reference.view(), app.screen_stack[0].session.params(), p.opened)  # type: ignore[attr-defined]
        assert after == expected
        text = shown(app)
        assert f"cut-offs {after.cutoffs.per_100:.1f} per 100 turns" in text
        assert f"{after.cutoffs.count} of {after.cutoffs.pauses} pauses > 1500 ms" in text
        assert f"opened normal (500): {before.cutoffs.per_100:.1f}" in text
        assert "+1000 ms vs opened" in text
        assert "▲eos 1500" in text


async def test_the_editor_works_while_the_evidence_is_read_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_calls(tmp_path / "logs", 10)
    gate = threading.Event()
    real_load = evidence.load

    def held_load(*args: Any, **kwargs: Any) -> whatif.Evidence:
        assert gate.wait(30), "the test never opened the gate"
        return real_load(*args, **kwargs)

    # The real reading, held until the editor has been used: the worker must not block it.
    monkeypatch.setattr(evidence, "load", held_load)
    app = make_app("normal", calls=[str(tmp_path / "logs")])
    async with app.run_test(size=(120, 40)) as pilot:
        await until_complete(app, pilot)  # the Evidence tab is built right after the first frame
        p = panel(app)
        await set_eos(app, pilot, "900")
        assert p.evidence is None
        assert p.query_one("#evidence-progress").display
        assert "reading the evidence" in shown(app)
        screen = app.screen_stack[0]
        assert isinstance(screen, EditorScreen)
        assert screen.session.changes() == {"end_of_speech_timeout": (500, 900)}
        gate.set()
        await loaded(app, pilot)
        assert not p.query_one("#evidence-progress").display
        assert "10 calls" in shown(app)
        assert p.figures is not None and p.figures.added_wait_ms == 400


async def test_a_step_chosen_shows_that_steps_pauses_and_waits(tmp_path: Path) -> None:
    write_calls(tmp_path / "logs", 30)
    ev = evidence.load(calls=[str(tmp_path / "logs")])
    app = make_app("normal", calls=[str(tmp_path / "logs")])
    async with app.run_test(size=(120, 40)) as pilot:
        p = await loaded(app, pilot)
        chooser = p.query_one("#evidence-step", Select)
        assert chooser.display
        chooser.value = "default/collect_dob"
        await pilot.pause()
        fig = p.figures
        assert fig is not None and fig.step == "default/collect_dob"
        view = ev.view("default/collect_dob")
        assert fig.waits == len(view.waits)
        assert fig.cutoffs is not None and fig.cutoffs.pauses == len(view.pauses)
        chooser.value = "default/greeting"
        await pilot.pause()
        assert "none measured in this step" in shown(app)


async def test_the_step_chooser_is_reached_and_used_from_the_keyboard(tmp_path: Path) -> None:
    write_calls(tmp_path / "logs", 20)
    app = make_app("normal", calls=[str(tmp_path / "logs")])
    async with app.run_test(size=(80, 24)) as pilot:
        p = await loaded(app, pilot)
        for _ in range(12):  # backwards from the first field: timeline fields, then the chooser
            if app.focused is not None and app.focused.id == "evidence-step":
                break
            await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "evidence-step"
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert p.figures is not None and p.figures.step == p.evidence.steps()[0]  # type: ignore[union-attr]


async def test_bad_inputs_are_lines_in_the_panel_and_the_editor_still_works(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    no_fields = tmp_path / "old.json"
    no_fields.write_text(
        json.dumps(
            {
                "call_log": [
                    {"role": "user", "content": "hi"},
                    {"role": "assistant", "content": "Hello"},
                ]
            }
        )
    )
    app = make_app("normal", recordings=[str(empty), str(broken)], calls=[str(no_fields)])
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        text = shown(app)
        assert "no .wav, .flac, .ogg, .oga or .mp3 files in this folder" in text
        assert "broken.wav" in text
        status = str(app.screen_stack[0].query_one("#status", Static).render())
        assert status.startswith("evidence: ")
        await set_eos(app, pilot, "900")
        screen = app.screen_stack[0]
        assert isinstance(screen, EditorScreen)
        assert screen.session.changes() == {"end_of_speech_timeout": (500, 900)}
        assert "first response: no waits logged" in shown(app)


async def test_without_evidence_there_is_no_evidence_tab() -> None:
    app = make_app("normal")
    async with app.run_test(size=(80, 24)):
        assert not app.screen_stack[0].query(EvidencePanel)


async def test_opening_another_preset_makes_it_the_point_of_comparison(tmp_path: Path) -> None:
    from tuner.presets import PresetStore

    write_calls(tmp_path / "logs", 10)
    app = make_app("normal", calls=[str(tmp_path / "logs")])
    async with app.run_test(size=(120, 40)) as pilot:
        p = await loaded(app, pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, EditorScreen)
        screen.open("elderly")
        await pilot.pause()
        elderly = PresetStore().load("elderly").params.effective("end_of_speech_timeout")
        assert p.opened_name == "elderly"
        assert p.figures is not None and p.figures.opened_cutoffs is not None
        assert p.figures.opened_cutoffs.timeout == elderly
        assert p.figures.added_wait_ms == 0
        assert f"opened elderly ({elderly})" in shown(app)
