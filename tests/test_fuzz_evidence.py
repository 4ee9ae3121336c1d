"""The evidence commands under fuzzing: any payload or audio file gives exit 0/1, never a crash."""

from __future__ import annotations

import copy
import json
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuner.cli import main

SAMPLE = json.loads(
    (Path(__file__).parent / "evidence" / "data" / "post_conversation_sample.json").read_text()
)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += paths(v, (*prefix, i))
    return out


@st.composite
def mutated_payloads(draw: st.DrawFn) -> Any:
    """SignalWire's sample payload with a few values replaced by anything JSON can hold."""
    doc = copy.deepcopy(SAMPLE)
    every = paths(doc)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        where = draw(st.sampled_from(every))
        if not where:
            return draw(json_values)
        parent = doc
        try:
            for step in where[:-1]:
                parent = parent[step]
            parent[where[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def run_calls(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["calls", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out)


@FUZZ
@given(doc=mutated_payloads())
def test_any_mutation_of_a_payload_is_analysed_or_reported(
    doc: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, report = run_calls(path, capsys)
    assert code in (0, 1)
    if code == 1:
        assert [e["path"] for e in report["errors"]] == [str(path)]
    else:
        assert report["calls"] == 1 and report["errors"] == []


@FUZZ
@given(data=st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_as_a_payload_fail_cleanly(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "call.json"
    path.write_bytes(data)
    code, report = run_calls(path, capsys)
    assert code in (0, 1)
    assert code == 0 or report["errors"]


def wav_header(data_size: int, tag: int, channels: int, rate: int, bits: int) -> bytes:
    block = max(channels * bits // 8, 0) & 0xFFFF
    fmt = struct.pack("<HHIIHH", tag, channels, rate, (rate * block) & 0xFFFFFFFF, block, bits)
    return (
        b"RIFF" + struct.pack("<I", (36 + data_size) & 0xFFFFFFFF) + b"WAVE"
        + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", data_size)
    )  # fmt: skip


@FUZZ
@given(
    size=st.integers(min_value=0, max_value=2**32 - 1),
    tag=st.sampled_from([1, 3, 6, 7, 0xFFFE, 0x31, 0]) | st.integers(0, 2**16 - 1),
    channels=st.integers(0, 8),
    rate=st.sampled_from([0, 1, 7999, 8000, 16000, 48000, 96000, 2**32 - 1]),
    bits=st.sampled_from([0, 4, 8, 16, 24, 32, 64, 12]),
    body=st.binary(max_size=4000),
)
def test_any_wav_header_is_measured_or_reported(
    size: int, tag: int, channels: int, rate: int, bits: int, body: bytes,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = tmp_path / "call.wav"
    path.write_bytes(wav_header(size, tag, channels, rate, bits) + body)
    code = main(["pauses", str(path), "--vad", "webrtc", "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in out + err
    if code == 1:
        # The only recording could not be read: its error, and no report (no table of zeros).
        assert out == ""
        assert f"{path}: " in err and "no recording could be read" in err
    else:
        assert json.loads(out)["errors"] == []
