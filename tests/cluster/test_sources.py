"""Inputs as fsspec URLs and globs: memory://, file://, a real HTTP server on 127.0.0.1, and
the one-line error that names the package a missing storage backend needs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from dask_cluster import DaskCluster

from tuner.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_call_logs_in_memory_storage_read_by_folder_and_by_glob_give_the_local_report(
    capsys: pytest.CaptureFixture[str], call_logs: Path
) -> None:
    import fsspec

    memory = fsspec.filesystem("memory")
    memory.put(str(call_logs), "/archive/logs", recursive=True)
    try:
        code, local, _ = run_cli(capsys, "calls", str(call_logs), "--format", "json")
        assert code == 0
        code, folder, err = run_cli(capsys, "calls", "memory://archive/logs", "--format", "json")
        assert (code, err) == (0, "")
        assert folder == local
        code, globbed, err = run_cli(
            capsys, "calls", "memory://archive/logs/*.json", "--format", "json"
        )
        assert (code, err) == (0, "")
        assert json.loads(globbed)["calls"] == 8  # the .jsonl in day2/ is not matched
    finally:
        memory.rm("/archive", recursive=True)


def test_a_local_glob_is_expanded_even_when_the_shell_did_not(
    capsys: pytest.CaptureFixture[str], call_logs: Path
) -> None:
    code, out, _ = run_cli(capsys, "calls", f"{call_logs}/**/*.jsonl", "--format", "json")
    assert code == 0 and json.loads(out)["calls"] == 5
    code, _, err = run_cli(capsys, "calls", f"{call_logs}/*.csv")
    assert code == 1
    assert err.splitlines()[0] == f"{call_logs}/*.csv: no files match this pattern"


def test_recordings_by_file_url_and_glob_give_the_local_report(
    capsys: pytest.CaptureFixture[str], recordings: Path
) -> None:
    code, local, _ = run_cli(capsys, "pauses", f"{recordings}/*.wav", "--format", "json")
    assert code == 0
    url = f"file://{recordings}"
    code, remote, err = run_cli(capsys, "pauses", f"{url}/*.wav", "--format", "json")
    assert (code, err) == (0, "")
    assert url in remote and ".flac" not in remote
    assert remote.replace(url, str(recordings)) == local


def test_recordings_served_over_http_give_the_local_report_here_and_on_a_cluster(
    capsys: pytest.CaptureFixture[str],
    recordings: Path,
    http_root: tuple[Path, str],
    dask_cluster: DaskCluster,
) -> None:
    root, base = http_root
    recordings.rename(root / "recordings")
    local_folder = root / "recordings"
    code, local, _ = run_cli(capsys, "pauses", str(local_folder), "--format", "json")
    assert code == 0
    url = f"{base}/recordings"
    for where in (["--jobs", "2"], ["--cluster", dask_cluster.address]):
        # a folder page read by HTTP, here in two processes and on the cluster's workers
        code, remote, err = run_cli(capsys, "pauses", f"{url}/", "--format", "json", *where)
        assert (code, err) == (0, ""), where
        assert remote.replace(url, str(local_folder)) == local
    code, local, _ = run_cli(capsys, "pauses", f"{local_folder}/*.wav", "--format", "json")
    code, remote, err = run_cli(capsys, "pauses", f"{url}/*.wav", "--format", "json")
    assert (code, err) == (0, "")
    assert remote.replace(url, str(local_folder)) == local


def test_a_missing_url_is_reported_and_the_other_inputs_still_analysed(
    capsys: pytest.CaptureFixture[str], call_logs: Path, http_root: tuple[Path, str]
) -> None:
    root, base = http_root
    (root / "one.json").write_bytes((call_logs / "call00.json").read_bytes())
    code, out, err = run_cli(
        capsys, "calls", f"{base}/one.json", f"{base}/gone.json", "--format", "json"
    )
    assert code == 1
    assert json.loads(out)["calls"] == 1
    assert err == f"{base}/gone.json: no such file or folder\n"


@pytest.mark.parametrize(
    ("url", "package"),
    [
        ("s3://calls-archive/2026/*.wav", "s3fs"),
        ("gs://calls-archive/recordings/", "gcsfs"),
        ("az://calls-archive/recordings/call.wav", "adlfs"),
    ],
)
def test_a_url_whose_storage_backend_is_not_installed_names_the_package(
    capsys: pytest.CaptureFixture[str], url: str, package: str
) -> None:
    if importlib.util.find_spec(package) is not None:
        pytest.skip(f"{package} is installed here")
    code, _, err = run_cli(capsys, "pauses", url)
    scheme = url.split("://")[0]
    assert code == 1
    line = f"{url}: {scheme}:// needs the package {package}: pip install {package}"
    assert err.splitlines()[0] == line


def test_https_without_aiohttp_names_the_package() -> None:
    code = (
        "import sys\n"
        "sys.modules['aiohttp'] = None  # as if it were not installed\n"
        "from tuner.cli import main\n"
        "sys.exit(main(['calls', 'https://example.invalid/logs/day1.jsonl']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        "https://example.invalid/logs/day1.jsonl: https:// needs the package aiohttp: "
        "pip install aiohttp"
    )


def test_an_unknown_protocol_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "calls", "nosuch://bucket/x.json")
    assert code == 1
    assert err.splitlines()[0] == (
        "nosuch://bucket/x.json: nosuch:// is not a storage protocol fsspec knows"
    )


def test_local_runs_import_neither_fsspec_nor_dask(call_logs: Path) -> None:
    code = (
        "import sys\n"
        "from tuner.cli import main\n"
        "args = sys.argv[1:]\n"
        "assert main(args) == 0\n"
        "print(sorted(m for m in ('fsspec', 'distributed', 'dask') if m in sys.modules))\n"
    )
    for args, imported in (
        (["calls", str(call_logs)], "[]"),
        (["calls", str(call_logs), "--jobs", "2"], "[]"),
        (["calls", f"file://{call_logs}"], "['fsspec']"),
    ):
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        )
        assert proc.stdout.splitlines()[-1] == imported, args
