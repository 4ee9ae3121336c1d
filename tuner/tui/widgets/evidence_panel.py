"""The evidence panel: what the current values would do to the callers of the recordings and logs.

The evidence is read in a thread worker after the editor is up (a progress bar meanwhile); each
change of a value then only recomputes the figures (`tuner.whatif`), which takes well under a
frame. Inputs that cannot be read are lines in the panel, never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ProgressBar, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tuner.params import Timing
from tuner.tui.sources import Sources
from tuner.tui.state import Session
from tuner.tui.widgets.experiment_section import ExperimentSection
from tuner.whatif import ALL, BIN_MS, TOP_MS, Cutoffs, Evidence, Figures, View, figures

GRADE_STYLE = {"good": "bold $success", "acceptable": "bold $warning", "poor": "bold $error"}
BLOCKS = " ▁▂▃▄▅▆▇█"
#: Rows of the histogram's bars.
BAR_ROWS = 2
NOTES_SHOWN = 3


class FiguresText(Widget):
    """The figures' text; redrawn in place, laid out again only when its height changes."""

    DEFAULT_CSS = "FiguresText { height: auto; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Content("")

    def show(self, text: Content) -> None:
        lines_before = self.text.plain.count("\n")
        self.text = text
        self.refresh(layout=text.plain.count("\n") != lines_before)

    def render(self) -> Content:
        return self.text


class EvidencePanel(Vertical):
    """Callers' pauses, waits, barge-ins and attention timeouts against the current values."""

    class Loaded(Message):
        """The evidence has been read (or could not be); `notes` are the problems, if any."""

        def __init__(self, evidence: Evidence) -> None:
            super().__init__()
            self.evidence = evidence

    def __init__(self, sources: Sources, opened: Timing, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sources = sources
        self.opened = opened
        self.opened_name = ""
        self.params = opened
        self.evidence: Evidence | None = None
        self.step = ALL
        self.figures: Figures | None = None
        self._session: Session | None = None

    def compose(self) -> ComposeResult:
        yield Static("reading the evidence…", id="evidence-state", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="evidence-progress")
        yield Select[str]([], prompt="all steps", id="evidence-step", compact=True)
        yield FiguresText(id="evidence-figures")
        yield ExperimentSection(id="evidence-experiment")

    def on_mount(self) -> None:
        self.query_one("#evidence-step").display = False
        self._load()

    def on_resize(self) -> None:
        # The figures are laid out for the panel's width: the evidence may be read before the
        # panel has one (it falls back to 34 cells), and the terminal may be resized.
        self.redraw()

    # -- loading -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _load(self) -> Evidence:
        from tuner.evidence import load
        from tuner.evidence.experiment import side_by_side

        worker = get_current_worker()

        def progress(done: int, total: int, label: str) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, done, total, label)

        # Recordings are analysed in a worker process, so typing stays as quick as without.
        evidence = load(
            self.sources.recordings,
            self.sources.calls,
            progress,
            cancelled=lambda: worker.is_cancelled,
            jobs=1,
        )
        # The experiment's presets side by side: compared once, here, not on each change.
        evidence.experiment = None if worker.is_cancelled else side_by_side(evidence.stamped)
        return evidence.prepare()

    def _progress(self, done: int, total: int, label: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#evidence-state", Static).update(f"reading {done}/{total}: {label}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "evidence":
            return
        result = event.worker.result
        if event.state == WorkerState.SUCCESS and isinstance(result, Evidence):
            self.loaded(result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.loaded(Evidence(notes=[f"the evidence could not be read: {error}"]))

    def loaded(self, evidence: Evidence) -> None:
        """Show `evidence` (called when the worker is done; tests may call it directly)."""
        self.evidence = evidence
        self.query_one(ProgressBar).display = False
        steps = evidence.steps()
        chooser = self.query_one("#evidence-step", Select)
        if steps:
            turns = evidence.turns_by_step
            chooser.set_options([(f"{s} ({_turns(turns.get(s, 0))})", s) for s in steps])
            chooser.display = True
        self._draw_state()
        self.redraw()
        self.query_one(ExperimentSection).show(evidence.experiment)
        self.post_message(self.Loaded(evidence))

    def _draw_state(self) -> None:
        from tuner.evidence import describe

        ev = self.evidence
        if ev is None:
            return
        lines = [Content.from_markup("[b]$what[/b]", what=describe(ev))]
        for note in ev.notes[:NOTES_SHOWN]:
            lines.append(Content.styled(f"⚠ {note}", "$warning"))
        if len(ev.notes) > NOTES_SHOWN:
            lines.append(Content.styled(f"… and {len(ev.notes) - NOTES_SHOWN} more", "$warning"))
        self.query_one("#evidence-state", Static).update(Content("\n").join(lines))

    # -- drawing -----------------------------------------------------------------------------
    def show(self, session: Session) -> None:
        """Redraw for the session's current values (called on every change of a value).

        A session the panel has not seen is a preset just opened: its values on disk become
        the figures' point of comparison ("opened").
        """
        if session is not self._session:
            self._session = session
            self.opened, self.opened_name = session.saved.params, session.name
        self.params = session.params()
        self.redraw()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.step = ALL if event.value is Select.NULL else str(event.value)
        self.redraw()

    def view(self) -> View | None:
        return None if self.evidence is None else self.evidence.view(self.step)

    def redraw(self) -> None:
        view = self.view()
        if view is None or not self.is_mounted:
            return
        self.figures = figures(view, self.params, self.opened)
        width = max(30, self.content_region.width or 34)
        estimated = self.evidence is not None and self.evidence.first_estimated > 0
        text = render(self.figures, view, self.params, width, self.opened_name, estimated)
        self.query_one(FiguresText).show(text)


# -- the figures as text ---------------------------------------------------------------------------
def _n(value: float) -> str:
    return f"{value:,.0f}"


def _rate(c: Cutoffs) -> str:
    return f"{c.per_100:.1f}" if c.per_100 is not None else "–"


def _bars(view: View, eos: int | None, tdt: int | None) -> list[Any]:
    counts = view.bins
    peak = max(max(counts), 1)
    levels = len(BLOCKS) - 1
    parts: list[Any] = []
    for row in range(BAR_ROWS - 1, -1, -1):
        for i, count in enumerate(counts):
            height = count / peak * levels * BAR_ROWS
            level = max(0, min(levels, round(height - row * levels)))
            if count and row == 0:
                level = max(level, 1)  # every non-empty bin shows
            start, end = i * BIN_MS, (i + 1) * BIN_MS
            style = "$success"
            if eos is not None and start >= eos:
                style = "$error"
            elif eos is not None and end > eos:
                style = "$warning"
            parts.append((BLOCKS[level], style))
        parts.append("\n")
    axis = [" "] * len(counts)
    for i, label in ((0, "0"), (5, ".5"), (10, "1s"), (15, "1.5"), (20, "2s"), (25, "2.5")):
        axis[i : i + len(label)] = label
    axis[-2:] = "3+"
    parts.append(("".join(axis[: len(counts)]), "$text-muted"))
    parts.append("\n")
    return parts


def _markers(eos: int | None, tdt: int | None, width: int) -> list[Any]:
    """The row under the axis: ▲ at end_of_speech_timeout, △ at turn_detection_timeout."""
    marks = [" "] * (TOP_MS // BIN_MS + 1)
    for value, sign in ((tdt, "△"), (eos, "▲")):
        if value is not None:
            marks[min(value // BIN_MS, TOP_MS // BIN_MS)] = sign
    line = "".join(marks).rstrip()
    legend = f"▲eos {eos}" if eos is not None else ""
    legend += f" △tdt {tdt}" if tdt is not None else ""
    sep = "  " if len(line) + 2 + len(legend) <= width else "\n  "
    return [(line, "bold $accent"), (sep + legend + "\n", "$text-muted")]


def render(
    fig: Figures,
    view: View,
    params: Timing,
    width: int,
    opened_name: str = "",
    estimated: bool = True,
) -> Content:
    """The panel's figures as text; lines kept within the 34 cells of the narrow side panel."""
    cut, was = fig.cutoffs, fig.opened_cutoffs
    tdt = fig.detect_cutoffs.timeout if fig.detect_cutoffs else None
    eos = cut.timeout if cut else None
    parts: list[Any] = [("callers' pauses", "bold $accent")]
    if view.pauses:
        top = max(view.bins)
        parts.append(f" {_n(len(view.pauses))}")
        parts.append((f" · top bar {top}\n", "$text-muted"))
        parts.extend(_bars(view, eos, tdt))
        parts.extend(_markers(eos, tdt, width))
    else:
        where = "in this step" if fig.step else "(give --recordings)"
        parts.append((f"\n  none measured {where}\n", "$text-muted"))
    if view.pauses and cut is None:
        parts.append(("cut-offs ", "bold"))
        parts.append(("end_of_speech_timeout is not a number\n", "$text-muted"))
    if cut is not None:
        per = "turns" if cut.per == "caller turns" else "pauses"
        parts.append(("cut-offs ", "bold"))
        parts.append((f"{_rate(cut)}", "bold $error" if cut.count else "bold $success"))
        parts.append(f" per 100 {per}\n")
        parts.append(f"  {cut.count} of {cut.pauses} pauses > {cut.timeout} ms\n")
        if was is not None:
            name = f"opened {opened_name}".rstrip()
            parts.append((f"  {name} ({was.timeout}): {_rate(was)}\n", "$text-muted"))
        if fig.detect_cutoffs is not None:
            d = fig.detect_cutoffs
            parts.append((f"  sentence ends (tdt {d.timeout}): {_rate(d)}\n", "$text-muted"))
    parts.append(("wait/reply ", "bold"))
    added = fig.added_wait_ms
    if added is None:
        parts.append(("a SWML variable: known only on the call\n", "$text-muted"))
    else:
        style = "bold $error" if added > 0 else ("bold $success" if added < 0 else "bold")
        parts.append((f"{added:+d} ms", style))
        parts.append(" vs opened\n")
        detected = fig.added_wait_detected_ms
        if detected is not None and detected != added:
            parts.append((f"  {detected:+d} ms at sentence end\n", "$text-muted"))
    first, base = fig.first, fig.opened_first
    if first is not None and base is not None:
        parts.append(("first response", "bold"))
        how = "est., " if estimated else ""
        parts.append((f" {how}{_turns(first.count)}\n", "$text-muted"))
        parts.append(f"  p50 {_n(first.p50)} p90 {_n(first.p90)} ms ")
        parts.append((first.grade, GRADE_STYLE[first.grade]))
        parts.append("\n")
        parts.append((f"  opened: {_n(base.p50)} / {_n(base.p90)} {base.grade}\n", "$text-muted"))
    elif fig.waits == 0 and fig.calls:
        parts.append(("  first response: no waits logged\n", "$text-muted"))
    parts.extend(_barge_lines(fig))
    parts.extend(_attention_lines(fig))
    return Content.assemble(*parts)


def _barge_lines(fig: Figures) -> Sequence[Any]:
    if not fig.replies:
        return []
    out: list[Any] = [("barge-ins", "bold")]
    if fig.barges is None:
        if fig.barges_unknown:
            out.append(f" {fig.barges_unknown}/{fig.replies} replies\n")
            out.append(("  no words logged: no what-if\n", "$text-muted"))
        else:
            out.append(f" none in {fig.replies} replies\n")
        return out
    rate = 100 * fig.barges / fig.replies
    out.append(f" at {fig.barge_min_words} words: ")
    out.append((f"{fig.barges}", "bold"))
    out.append(f"/{fig.replies} ({rate:.1f}%)\n")
    out.append((f"  opened: {fig.opened_barges}\n", "$text-muted"))
    opened = fig.opened_barge_min_words
    if opened is not None and fig.barge_min_words is not None and fig.barge_min_words < opened:
        # Barges of fewer words than the live value never happened, so were never logged.
        out.append((f"  below the live {opened}: at least\n", "$text-muted"))
    return out


def _attention_lines(fig: Figures) -> Sequence[Any]:
    if not fig.calls:
        return []
    out: list[Any] = [("attention", "bold")]
    if fig.attention_timeout is None:
        out.append((" unset: default undocumented\n", "$text-muted"))
        return out
    if fig.attention_timeout == 0:
        out.append(f" off: none in {fig.calls} calls\n")
        return out
    out.append(f" at {fig.attention_timeout} ms: ")
    out.append((f"{fig.attention}", "bold"))
    out.append(f" in {fig.calls} calls\n")
    if fig.attention_maybe:
        out.append((f"  +{fig.attention_maybe} fired sooner: unknowable\n", "$text-muted"))
    if fig.attention_unknown:
        out.append((f"  {fig.attention_unknown} without timeout_ms\n", "$text-muted"))
    return out


def _turns(count: int) -> str:
    return f"{count} turn{'' if count == 1 else 's'}"
