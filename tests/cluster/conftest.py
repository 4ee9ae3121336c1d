"""Fixtures for the cluster tests: one real Dask cluster shared by the module's tests, inputs."""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cluster_inputs import speech_recordings
from dask_cluster import DaskCluster

TESTS = Path(__file__).parent.parent
SAMPLE = TESTS / "evidence" / "data" / "post_conversation_sample.json"


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    """A scheduler and two single-threaded workers, as separate processes on 127.0.0.1."""
    cluster = DaskCluster(tmp_path_factory.mktemp("dask")).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def recordings(tmp_path: Path) -> Path:
    folder = tmp_path / "recordings"
    folder.mkdir()
    for path in speech_recordings():
        shutil.copy(path, folder / path.name)
    return folder


def _vary(value: Any, rng: random.Random) -> Any:
    """The sample with its figures moved: every latency and duration field scaled."""
    if isinstance(value, dict):
        return {
            k: (
                round(v * rng.uniform(0.5, 1.8))
                if isinstance(v, int) and not isinstance(v, bool) and k.endswith("latency")
                else _vary(v, rng)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_vary(v, rng) for v in value]
    return value


@pytest.fixture
def call_logs(tmp_path: Path) -> Path:
    """Payload files shaped like SignalWire's public post_conversation sample, with the
    latencies varied per call: single-payload .json files and a multi-payload .jsonl."""
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(17)
    folder = tmp_path / "logs"
    (folder / "day2").mkdir(parents=True)
    for n in range(8):
        (folder / f"call{n:02}.json").write_text(json.dumps(_vary(sample, rng)), encoding="utf-8")
    lines = [json.dumps(_vary(sample, rng)) for _ in range(5)]
    (folder / "day2" / "calls.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
