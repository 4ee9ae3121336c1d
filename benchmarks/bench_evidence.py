"""The evidence panel's work per change of a timing value, at 20,000 pauses and 10,000 turns.

Measured per change (a sweep of end_of_speech_timeout 250..3000 and barge_min_words 1..5):
- figures: the what-if figures (`tuner.whatif.figures`) for the whole evidence;
- figures + text: the same plus the panel's text (`evidence_panel.render`): what the editor does
  for the panel on each keystroke;
- one step: the figures and text for one dialogue step (chooser), its lists already built;
- editor: the whole editor redrawn for a changed value with the panel open, until the screen is
  idle again (Textual Pilot, 120x40; includes the previews, diff and timeline).
The baseline, in the same run, is one bare Python pass over the same lists (`for x in list:
pass`), the least any recomputation that looks at every pause and turn could cost. Goal: figures
+ text <= 30 ms per change.

    python benchmarks/bench_evidence.py [--pauses N] [--turns N] [--changes N] [--no-editor]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable

from _results import record
from _timing import ROOT  # noqa: F401  (puts the checkout's tuner on sys.path)

from tuner.model import SpeechTiming
from tuner.whatif import ALL, Evidence, figures

GOAL_MS = 30.0
STEPS = ["greeting", "collect_dob", "collect_email", "confirm", "lookup", "wrap_up"]


def make_evidence(pauses: int, turns: int, seed: int = 1) -> Evidence:
    """Pauses with a lognormal spread (median ~600 ms, as measured within caller turns), waits of
    0.6-2.5 s and reply audio latencies of 0.8-2.5 s, as in real post_conversation payloads."""
    rnd = random.Random(seed)
    ev = Evidence()
    ev.pause_ms = [round(rnd.lognormvariate(6.4, 0.5)) for _ in range(pauses)]
    ev.pause_step = [f"default/{rnd.choice(STEPS)}" for _ in range(pauses)]
    ev.turn_step = [f"default/{rnd.choice(STEPS)}" for _ in range(turns)]
    ev.turns_by_step = Counter(ev.turn_step)
    ev.wait_ms = [float(rnd.randint(600, 2500)) for _ in range(turns)]
    answered = [i for i in range(turns) if rnd.random() < 0.95]  # the others: after a tool
    ev.first_wait_ms = [ev.wait_ms[i] or 0.0 for i in answered]
    ev.first_ms = [w + rnd.randint(800, 2500) for w in ev.first_wait_ms]
    ev.first_step = [ev.turn_step[i] for i in answered]
    ev.replies_by_step = Counter(ev.turn_step)
    barges = turns // 8
    ev.barge_words = [rnd.randint(1, 6) for _ in range(barges)]
    ev.barge_step = [f"default/{rnd.choice(STEPS)}" for _ in range(barges)]
    ev.attention_ms = [float(rnd.choice([10000, 20000, 30000])) for _ in range(turns // 30)]
    ev.attention_step = [f"default/{rnd.choice(STEPS)}" for _ in ev.attention_ms]
    ev.calls = turns // 4
    ev.recordings = 200
    return ev


def values(n: int) -> list[SpeechTiming]:
    """A person moving values: eos up and down in 50 ms steps, barge words 1..5."""
    sweep = [250 + 50 * (i % 56) for i in range(n)]
    return [
        SpeechTiming(end_of_speech_timeout=eos, barge_min_words=1 + i % 5, attention_timeout=20000)
        for i, eos in enumerate(sweep)
    ]


def per_call_ms(fn: Callable[[int], object], n: int, repeat: int = 5) -> float:
    """Median over `repeat` runs of the mean ms per call of fn(i) for i in range(n)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(n):
            fn(i)
        runs.append((time.perf_counter() - start) * 1000 / n)
    return statistics.median(runs)


def bare_pass_ms(ev: Evidence, repeat: int = 21) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for lst in (ev.pause_ms, ev.wait_ms, ev.first_ms):
            for _x in lst:
                pass
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


async def editor_ms(ev: Evidence | None, changes: int) -> float:
    """The whole editor redrawn for a changed value, until idle (Pilot at 120x40); without
    `ev`, the same editor with no Evidence tab (the baseline of this figure)."""
    from tuner.tui.app import make_app
    from tuner.tui.screens.editor import EditorScreen
    from tuner.tui.widgets.evidence_panel import EvidencePanel

    app = make_app("normal", calls=["/nonexistent-bench-path"] if ev else [])
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[0]
        assert isinstance(screen, EditorScreen)
        if ev is not None:
            screen.query_one(EvidencePanel).loaded(ev)
        await pilot.pause()
        for i in range(changes):
            start = time.perf_counter()
            screen.session.set("end_of_speech_timeout", 300 + 50 * (i % 50))
            screen.redraw()
            await pilot.pause()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pauses", type=int, default=20000, help="callers' pauses (default 20000)")
    parser.add_argument("--turns", type=int, default=10000, help="caller turns (default 10000)")
    parser.add_argument("--changes", type=int, default=200, help="changes timed (default 200)")
    parser.add_argument("--no-editor", action="store_true", help="skip the whole-editor figure")
    args = parser.parse_args()

    from tuner.tui.widgets.evidence_panel import render

    ev = make_evidence(args.pauses, args.turns)
    start = time.perf_counter()
    view = ev.view(ALL)
    build_ms = (time.perf_counter() - start) * 1000
    step_view = ev.view(f"default/{STEPS[1]}")
    opened = SpeechTiming(end_of_speech_timeout=500, barge_min_words=2, attention_timeout=20000)
    params = values(args.changes)

    base = bare_pass_ms(ev)
    fig_ms = per_call_ms(lambda i: figures(view, params[i], opened), args.changes)
    text_ms = per_call_ms(
        lambda i: render(figures(view, params[i], opened), view, params[i], 46, "normal"),
        args.changes,
    )
    step_ms = per_call_ms(
        lambda i: render(figures(step_view, params[i], opened), step_view, params[i], 46),
        args.changes,
    )
    print(f"evidence: {args.pauses:,} pauses, {args.turns:,} turns, {len(ev.barge_words):,} barges")
    print(f"building the sorted lists once (on load): {build_ms:.1f} ms")
    print(f"baseline, one bare pass over the lists: {base:.2f} ms")
    print(f"{'per change':<28}{'ms':>9}{'x bare pass':>13}")
    rows = [("figures", fig_ms), ("figures + text", text_ms), ("one step, figures + text", step_ms)]
    for name, ms in rows:
        print(f"{name:<28}{ms:>9.3f}{ms / base:>13.2f}")
    if not args.no_editor:
        n = min(args.changes, 60)
        without = asyncio.run(editor_ms(None, n))
        with_panel = asyncio.run(editor_ms(ev, n))
        print(
            f"editor redraw until idle: {with_panel:.1f} ms with the Evidence tab, "
            f"{without:.1f} ms without it (x{with_panel / without:.2f}), same run"
        )
    met = text_ms <= GOAL_MS
    print(f"goal: figures + text <= {GOAL_MS:g} ms per change: {'met' if met else 'NOT met'}")
    record(
        "bench_evidence",
        f"evidence per change ({args.pauses:,} pauses, {args.turns:,} turns)",
        round(text_ms, 3),
        f"<= {GOAL_MS:g} ms",
        met,
        f"{text_ms / base:.2f}x a bare pass over the lists ({base:.2f} ms)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
