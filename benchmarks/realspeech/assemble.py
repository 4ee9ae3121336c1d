"""Assemble the real-speech development set from public repositories into a local cache.

    python benchmarks/realspeech/assemble.py --sppas SPPAS --emur EMUR [--out DIR]

SPPAS and EMUR are a checkout or a bare git directory of github.com/brigitte-bigi/SPPAS and
github.com/IPS-LMU/emuR (commits in SOURCES.md). Their licences (CC BY-NC-SA 4.0, GPL) do not
fit this MIT project, so nothing of them is committed: this script rebuilds the set. For each
recording it writes, into DIR (default benchmarks/.cache/realspeech):

- `NAME-8k-mulaw-clean.wav`, `-snr10-pink.wav`, `-snr10-babble.wav`: 8 kHz G.711 mu-law in the
  telephone band (300-3400 Hz), like a phone call; noise at 10 dB below the speech's own level
  (measured on the aligned speech only). The babble is six other recordings of the set, other
  speakers, summed at equal level.
- `NAME-16k-pcm16-clean.wav`: the wideband reference.
- `NAME-*.json` beside each: the true pauses from the alignment (alignments.py) and whether the
  recording belongs to the `dev` half (tune on it) or the `heldout` half (report it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent))

from alignments import read_textgrid, read_xra, truth  # noqa: E402
from synth import band_limit  # noqa: E402

from tuner.audio.wavwrite import write_wav  # noqa: E402

DEFAULT_OUT = HERE.parent / ".cache" / "realspeech"
SPPAS_COMMIT = "af9453994ba3edc643fb58b2aed88218c57cea52"
EMUR_COMMIT = "400407d76b2879ce22388f11f0b0b3dbdf29b076"
S = "resources/samples/"
E = "inst/extdata/rawDemoData/"


@dataclass(frozen=True)
class Item:
    name: str
    repo: str  # "sppas" or "emur"
    audio: str
    alignment: str
    tier: str
    split: str  # dev or heldout
    speaker: str
    kind: str  # what the speech is


def _track(code: str, split: str) -> Item:
    return Item(f"fra-{code.split('_')[0].split(' ')[0].lower()}", "sppas",
                f"{S}samples-fra/{code}.wav",
                f"{S}annotation-results/samples-fra/{code}-palign.xra", "PhonAlign", split,
                code.split("_")[0].split(" ")[0], "French read sentence, one speaker each")  # fmt: skip


ITEMS: list[Item] = [
    Item("fra-cid-b003-p8", "sppas", f"{S}samples-fra/F_F_B003_P8.wav",
         f"{S}annotation-results/samples-fra/F_F_B003-P8-palign.xra", "PhonAlign", "dev",
         "B003", "French story retold freely, with hesitations (CID)"),
    Item("fra-cid-c006-p6", "sppas", f"{S}samples-fra/F_F_C006_P6.wav",
         f"{S}annotation-results/samples-fra/F_F_C006-P6-palign.xra", "PhonAlign", "dev",
         "C006", "French story retold freely, with hesitations (CID)"),
    Item("fra-cid-b003-p9", "sppas", f"{S}samples-fra/F_F_B003_P9.wav",
         f"{S}annotation-results/samples-fra/F_F_B003-P9-palign.xra", "PhonAlign", "heldout",
         "B003", "French story retold freely, with hesitations (CID)"),
    Item("eng-m15-t02", "sppas", f"{S}samples-eng/ENG_M15_ENG_T02.wav",
         f"{S}samples-eng/ENG_M15_ENG_T02.TextGrid", "Transcription", "heldout",
         "ENG_M15", "English, a caller describing a problem to a help line"),
    Item("frq-cqaab1", "sppas", f"{S}samples-frq/Sample_1_PFCquebec_CQAAB1.wav",
         f"{S}samples-frq/Sample_1_PFCquebec_CQAAB1.TextGrid", "transcription", "heldout",
         "CQAAB1", "Quebec French conversation (PFC)"),
    *[_track(c, "dev") for c in ("AC track_0379", "BX_track_0451", "EB_track_0641",
                                 "IM_track_0767", "MB_track_0674")],
    *[_track(c, "heldout") for c in ("MG_track_0702", "ML_track_0597", "NH_track_636",
                                     "SR_track_631", "YM_track_0182")],
    *[Item(f"aus-{u}", "emur", f"{E}wavFiles/{u}.wav", f"{E}annotationFiles/{u}.TextGrid",
           "Word", "dev" if i < 4 else "heldout", "msa", "Australian English read sentence")
      for i, u in enumerate(("msajc003", "msajc010", "msajc012", "msajc015", "msajc022",
                             "msajc023", "msajc057"))],
]  # fmt: skip

#: Speech level of the written files (telephone speech sits around -26 dBov).
LEVEL_DBFS = -26.0
SNR_DB = 10.0
CONDITIONS = ("8k-mulaw-clean", "8k-mulaw-snr10-pink", "8k-mulaw-snr10-babble", "16k-pcm16-clean")


class Source:
    """Files of one repository: from a checkout, or from a bare git directory at a commit."""

    def __init__(self, root: Path, commit: str) -> None:
        self.root, self.commit = root, commit
        self.bare = (root / "HEAD").is_file() and (root / "objects").is_dir()

    def read(self, path: str) -> bytes:
        if not self.bare:
            return (self.root / path).read_bytes()
        for rev in (self.commit, "HEAD"):
            done = subprocess.run(["git", "--git-dir", str(self.root), "show", f"{rev}:{path}"],
                                  capture_output=True, check=False)  # fmt: skip
            if done.returncode == 0:
                return done.stdout
        raise FileNotFoundError(f"{path} not in {self.root}")


def load(item: Item, src: Source, cache: Path) -> tuple[np.ndarray, int, dict[str, object]]:
    raw = cache / "sources" / Path(item.audio).name
    raw.parent.mkdir(parents=True, exist_ok=True)
    if not raw.exists():
        raw.write_bytes(src.read(item.audio))
    x, rate = sf.read(str(raw), dtype="float32", always_2d=True)
    text = src.read(item.alignment).decode("utf-8", errors="replace")
    intervals = (read_xra(text, item.tier) if item.alignment.endswith(".xra")
                 else read_textgrid(text, (item.tier,)))  # fmt: skip
    return x[:, 0].copy(), int(rate), truth(intervals)


def speech_power(x: np.ndarray, rate: int, spans: list[tuple[int, int]]) -> float:
    parts = [x[a * rate // 1000 : b * rate // 1000] for a, b in spans]
    joined = np.concatenate(parts) if parts else x
    return float(np.mean(joined.astype(np.float64) ** 2)) + 1e-12


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    spec[1:] /= np.sqrt(np.arange(1, spec.size))
    spec[0] = 0
    return np.fft.irfft(spec, n=n)


def babble(n: int, others: list[tuple[np.ndarray, float]], rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(n)
    picks = rng.choice(len(others), size=min(6, len(others)), replace=False)
    for k in picks:
        voice, power = others[int(k)]
        loop = np.tile(voice, n // voice.size + 2) / np.sqrt(power)
        off = int(rng.integers(0, voice.size))
        out += loop[off : off + n]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sppas", type=Path, required=True)
    parser.add_argument("--emur", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    sources = {"sppas": Source(args.sppas, SPPAS_COMMIT), "emur": Source(args.emur, EMUR_COMMIT)}
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    loaded = {it.name: load(it, sources[it.repo], out) for it in ITEMS}
    at8 = {}
    for it in ITEMS:
        x, rate, t = loaded[it.name]
        y = band_limit(soxr.resample(x, rate, 8000, "HQ").astype(np.float32), 8000)
        at8[it.name] = (y.astype(np.float64), speech_power(y, 8000, t["speech_spans_ms"]))  # type: ignore[arg-type]
    rng = np.random.default_rng(2024)
    total = 0.0
    for it in ITEMS:
        x, rate, t = loaded[it.name]
        y, power = at8[it.name]
        gain = 10 ** (LEVEL_DBFS / 20) / np.sqrt(power)
        others = [at8[o.name] for o in ITEMS if o.speaker != it.speaker]
        noises = {"pink": pink(y.size, rng), "babble": babble(y.size, others, rng)}
        for cond in CONDITIONS:
            if cond.startswith("16k"):
                sig = soxr.resample(x, rate, 16000, "HQ").astype(np.float64)
                sig *= 10 ** (LEVEL_DBFS / 20) / np.sqrt(
                    speech_power(sig, 16000, t["speech_spans_ms"]))  # type: ignore[arg-type]  # fmt: skip
                out_rate, enc = 16000, "pcm16"
            else:
                sig = y.copy()
                kind = cond.rsplit("-", 1)[-1]
                if kind in noises:
                    noise = band_limit(noises[kind].astype(np.float32), 8000).astype(np.float64)
                    noise *= np.sqrt(power / 10 ** (SNR_DB / 10) / np.mean(noise**2))
                    sig = sig + noise
                sig *= gain
                out_rate, enc = 8000, "mulaw"
            peak = float(np.abs(sig).max())
            if peak > 0.99:
                sig *= 0.99 / peak
            name = f"{it.name}-{cond}.wav"
            write_wav(out / name, sig[None, :].astype(np.float32), out_rate, enc)
            doc = {
                "path": name, "rate": out_rate, "encoding": enc, "channels": 1,
                "caller_channel": 0, "snr_db": SNR_DB if "snr" in cond else None,
                "condition": cond, "duration_s": round(sig.size / out_rate, 3),
                "split": it.split, "speaker": it.speaker, "source": it.repo,
                "speech": it.kind, "alignment": it.alignment, **t,
            }  # fmt: skip
            (out / name).with_suffix(".json").write_text(json.dumps(doc, indent=1) + "\n")
        total += x.size / rate
    n_pauses = sum(len(loaded[i.name][2]["pauses_ms"]) for i in ITEMS)  # type: ignore[arg-type]
    print(f"wrote {len(ITEMS)} recordings x {len(CONDITIONS)} conditions ({total:.0f} s of "
          f"speech recordings, {n_pauses} true pauses >= 250 ms) to {out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
