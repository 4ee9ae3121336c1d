"""Accuracy of the pause measurement against generated speech with known pauses.

    python benchmarks/accuracy.py [DIR] [--by-noise]

DIR holds recordings from make_speech.py; without it, new ones (other seeds than the ones the
detector edges were calibrated on) are generated into a temporary folder. --by-noise adds a row
for each noise kind found in the file names (snr10-pink, snr10-babble, ...).

For each detector, clean and at 10 dB SNR: the mean absolute error of the measured pauses (goal
<= 80 ms), the pauses of 400 ms or more that were missed (goal: none), extra pauses found where none
was inserted, the files whose pauses came out exactly as many as were inserted (so that comparing
`pauses_ms` with the truth in order lines them up), and the 95th percentile of how much shorter than the truth a pause was measured: the
safety margin the recommendation adds (VAD_MARGIN_MS in tuner/audio/analysis.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _results import record
from make_speech import generate

from tuner.audio.analysis import analyse_file
from tuner.audio.vad import BACKENDS


def match(truth: list[list[int]], measured: list[tuple[float, float]]) -> list[float | None]:
    """For each true pause, the measured length of the pause overlapping it most (None: missed)."""
    out: list[float | None] = []
    for ts, te in truth:
        best, best_overlap = None, 0.0
        for ms, me in measured:
            overlap = min(te, me) - max(ts, ms)
            if overlap > best_overlap:
                best, best_overlap = me - ms, overlap
        out.append(best)
    return out


def condition(wav: Path) -> str:
    """clean, or the noise kind named in the file name (snr10: speech-band noise)."""
    if "clean" in wav.name:
        return "clean"
    for kind in ("white", "pink", "babble"):
        if f"-{kind}" in wav.name:
            return kind
    return "band"


def evaluate(files: list[Path], by_noise: bool = False) -> dict[str, dict[str, dict[str, float]]]:
    kinds = sorted({condition(f) for f in files} - {"clean"})
    conds = ["clean", "noisy"] + (kinds if by_noise and len(kinds) > 1 else [])
    results: dict[str, dict[str, dict[str, float]]] = {}
    for backend in BACKENDS:
        analysed = {wav: analyse_file(str(wav), backend=backend) for wav in files}
        for cond in conds:
            errors: list[float] = []
            missed = missed_any = extra = total = count_ok = nfiles = 0
            for wav in files:
                c = condition(wav)
                if not (c == cond or (cond == "noisy" and c != "clean")):
                    continue
                truth = json.loads(wav.with_suffix(".json").read_text())
                res = analysed[wav]
                nfiles += 1
                count_ok += len(res.pauses_ms) == len(truth["pauses_ms"])
                spans = truth["pause_spans_ms"]
                found = match(spans, res.pause_spans_ms)
                total += len(spans)
                for (ts, te), m in zip(spans, found, strict=True):
                    if m is None:
                        missed += (te - ts) >= 400
                        missed_any += 1
                    else:
                        errors.append(m - (te - ts))
                extra += max(0, len(res.pause_spans_ms) - sum(m is not None for m in found))
            if not total:
                continue
            err = np.array(errors) if errors else np.zeros(1)
            results.setdefault(backend, {})[cond] = {
                "pauses": total,
                "mae_ms": float(np.mean(np.abs(err))),
                "bias_ms": float(np.mean(err)),
                "missed_400": missed,
                "missed_any": missed_any,
                "extra": extra,
                "files": nfiles,
                "count_ok": count_ok,
                "under_p95_ms": float(np.percentile(-err, 95)),
            }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="recordings with truth files")
    parser.add_argument("--by-noise", action="store_true", help="a row per noise kind too")
    args = parser.parse_args()
    if args.folder:
        folder = args.folder
    else:
        folder = Path(tempfile.mkdtemp(prefix="speech-"))
        generate(folder, count=3, seed=100)
    files = sorted(folder.glob("*.wav"))
    results = evaluate(files, by_noise=args.by_noise)
    print(f"{len(files)} recordings in {folder}")
    print(
        f"{'detector':8} {'audio':6} {'pauses':>6} {'MAE ms':>7} {'bias':>6} "
        f"{'missed>=400':>11} {'missed':>6} {'extra':>5} {'count ok':>8} {'under p95':>9}  "
        "goals: MAE<=80, missed 0"
    )
    ok = True
    for backend, conds in results.items():
        for cond, r in conds.items():
            good = r["mae_ms"] <= 80 and r["missed_400"] == 0
            ok &= good
            if cond not in ("clean", "noisy"):
                print(
                    f"{backend:8} {cond:6} {r['pauses']:6.0f} {r['mae_ms']:7.1f} "
                    f"{r['bias_ms']:6.1f} {r['missed_400']:11.0f} {r['missed_any']:6.0f} "
                    f"{r['extra']:5.0f} {r['count_ok']:3.0f}/{r['files']:<4.0f} "
                    f"{r['under_p95_ms']:9.1f}  {'ok' if good else 'MISSED GOAL'}"
                )
                continue
            print(
                f"{backend:8} {cond:6} {r['pauses']:6.0f} {r['mae_ms']:7.1f} {r['bias_ms']:6.1f} "
                f"{r['missed_400']:11.0f} {r['missed_any']:6.0f} {r['extra']:5.0f} "
                f"{r['count_ok']:3.0f}/{r['files']:<4.0f} "
                f"{r['under_p95_ms']:9.1f}  "
                f"{'ok' if good else 'MISSED GOAL'}"
            )
            record(
                "accuracy",
                f"pause MAE, {backend} {cond}",
                round(r["mae_ms"], 1),
                "<= 80 ms, none >= 400 ms missed",
                good,
                f"missed >= 400 ms: {r['missed_400']:.0f} of {r['pauses']:.0f}",
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
