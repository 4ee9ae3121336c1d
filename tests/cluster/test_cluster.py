"""`pauses` and `calls` on a real Dask cluster: the same reports as one local process, bad files
reported while the rest go on, and a worker killed mid-run costing only its own files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from cluster_inputs import speech_recordings
from dask_cluster import DaskCluster
from tasks import Recorder, exit_on_seven, fail_on_multiples_of_three, flaky_once, started

from tuner.runner import run


def speech_tuner(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "tuner", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_pauses_on_the_cluster_gives_the_same_report_as_one_local_process(
    dask_cluster: DaskCluster, recordings: Path
) -> None:
    for fmt in ("text", "json"):
        local = speech_tuner("pauses", str(recordings), "--jobs", "1", "--format", fmt)
        before = dask_cluster.tasks_done()
        remote = speech_tuner(
            "pauses", str(recordings), "--cluster", dask_cluster.address, "--format", fmt
        )
        assert dask_cluster.tasks_done() - before == len(speech_recordings())  # one per file
        assert local.returncode == 0, local.stderr
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout
    doc = json.loads(local.stdout)
    assert json.dumps(doc).count(str(recordings)) >= len(speech_recordings())


def test_calls_on_the_cluster_gives_the_same_report_as_one_local_process(
    dask_cluster: DaskCluster, call_logs: Path
) -> None:
    (call_logs / "broken.json").write_text('{"call_log": [', encoding="utf-8")
    for fmt in ("text", "json"):
        local = speech_tuner("calls", str(call_logs), "--jobs", "1", "--format", fmt)
        before = dask_cluster.tasks_done()
        remote = speech_tuner(
            "calls", str(call_logs), "--cluster", dask_cluster.address, "--format", fmt
        )
        assert dask_cluster.tasks_done() - before == 10  # one per file, the broken one too
        assert local.returncode == remote.returncode == 1  # the broken file
        assert remote.stdout == local.stdout
        assert remote.stderr == local.stderr
    doc = json.loads(local.stdout)
    assert doc["calls"] == 13  # 8 files of one call and a JSON-lines file of five
    assert [e["path"] for e in doc["errors"]] == [str(call_logs / "broken.json")]


def test_the_scheduler_named_in_the_environment_is_used_unless_jobs_is_given(
    call_logs: Path,
) -> None:
    nowhere = {
        "DASK_SCHEDULER_ADDRESS": "tcp://127.0.0.1:9",
        "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s",
    }
    via_env = speech_tuner("calls", str(call_logs), env=nowhere)
    assert via_env.returncode == 1
    assert via_env.stdout == ""
    line = via_env.stderr.strip()
    assert line.startswith("--cluster: cannot reach the Dask scheduler at tcp://127.0.0.1:9"), line
    assert "Traceback" not in via_env.stderr and "\n" not in line
    here = speech_tuner("calls", str(call_logs), "--jobs", "2", env=nowhere)
    assert here.returncode == 0, here.stderr
    assert "13 calls" in here.stdout


def test_an_unreadable_recording_among_good_ones_is_reported_and_the_run_goes_on(
    dask_cluster: DaskCluster, recordings: Path
) -> None:
    (recordings / "garbage.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunkjunk")
    (recordings / "empty.wav").write_bytes(b"")
    local = speech_tuner("pauses", str(recordings), "--jobs", "1", "--format", "json")
    before = dask_cluster.tasks_done()
    remote = speech_tuner(
        "pauses", str(recordings), "--cluster", dask_cluster.address, "--format", "json"
    )
    assert dask_cluster.tasks_done() - before == len(speech_recordings()) + 2
    assert remote.returncode == local.returncode == 1
    assert remote.stdout == local.stdout
    assert remote.stderr == local.stderr
    bad = {Path(line.split(":")[0]).name for line in remote.stderr.splitlines()}
    assert bad == {"garbage.wav", "empty.wav"}
    assert "empty file" in remote.stderr
    doc = json.loads(remote.stdout)
    assert len(doc["files"]) == len(speech_recordings())


@pytest.mark.parametrize("where", ["local", "cluster"])
def test_a_file_whose_analysis_raises_is_reported_with_its_error_and_the_rest_go_on(
    where: str, dask_cluster: DaskCluster
) -> None:
    cluster = dask_cluster.address if where == "cluster" else None
    items = list(range(40))  # on two worker threads: tasks of two files each
    outcomes = list(run(fail_on_multiples_of_three, items, jobs=2, cluster=cluster))
    assert sorted(o.input for o in outcomes) == items
    failed = {o.input: o.error for o in outcomes if o.error}
    assert failed == {n: f"item {n} is a multiple of three" for n in items if n % 3 == 0}
    assert {o.input: o.result for o in outcomes if not o.error} == {
        n: n + 100 for n in items if n % 3
    }


def test_a_passing_storage_error_on_the_cluster_is_tried_again(dask_cluster: DaskCluster) -> None:
    items = list(range(6))
    outcomes = list(run(flaky_once, items, cluster=dask_cluster.address))
    assert [(o.input, o.error) for o in sorted(outcomes)] == [(n, None) for n in items]
    assert {o.input: o.result for o in outcomes} == {n: n - 1 for n in items}


def test_killing_a_worker_mid_run_still_counts_every_file_once(tmp_path: Path) -> None:
    cluster = DaskCluster(tmp_path / "dask", workers=2).start()
    try:
        log = str(tmp_path / "started.log")
        items = list(range(16))
        seen: list[int] = []
        before_kill: set[int] = set()  # items whose results were in when w1 died
        for outcome in run(Recorder(log, 0.4), items, cluster=cluster.address):
            assert outcome.error is None, outcome.error
            assert outcome.result == outcome.input * outcome.input
            seen.append(outcome.input)
            if not before_kill and len(seen) >= 2:
                running = {i for i, w in started(log) if w == "w1"} - set(seen)
                if running:  # w1 is in the middle of an item: kill it now
                    cluster.kill_worker("w1")
                    before_kill = set(seen)
        assert before_kill, "w1 was never caught in the middle of an item"
        assert sorted(seen) == items  # every item exactly once
        starts = Counter(i for i, _ in started(log))
        again = {i for i, n in starts.items() if n > 1}
        lost = {i for i, w in started(log) if w == "w1"} - before_kill
        assert again, "nothing was run again after the kill"
        assert again <= lost  # only what w1 held was run again, and only once more
        assert all(starts[i] == 2 for i in again)
    finally:
        cluster.stop()


def test_a_file_that_kills_its_process_is_the_only_one_reported_with_jobs() -> None:
    outcomes = list(run(exit_on_seven, list(range(12)), jobs=2))
    assert sorted(o.input for o in outcomes) == list(range(12))  # every item exactly once
    failed = {o.input: o.error for o in outcomes if o.error}
    assert failed == {7: "the worker process died while analysing it"}
    assert all(o.result == o.input * 10 for o in outcomes if o.input != 7)


def test_cluster_without_the_cluster_extra_says_how_to_install_it(call_logs: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['distributed'] = None  # as if the cluster extra were not installed\n"
        "from tuner.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "calls", str(call_logs), "--cluster", "tcp://127.0.0.1:9"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "--cluster: needs the cluster extra here and on the workers: "
        "pip install 'speech-tuner[cluster]'\n"
    )
