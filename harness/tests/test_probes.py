"""The probes behave identically on every bridge (their cost is measured elsewhere)."""

from __future__ import annotations

import time

import pytest

import bridgemark
from conftest import documents

PAYLOADS = ["", "a", "héllo wörld ✓ 数据", "x" * (1 << 20), "é" * 70_000]


def test_noop_returns_none(bridge):
    assert bridge.noop() is None


@pytest.mark.parametrize(("a", "b", "total"), [(2, 3, 5), (-7, 7, 0), (2**63 - 1, 1, -(2**63))])
def test_add_is_i64_wrapping(bridge, a, b, total):
    assert bridge.add(a, b) == total


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda s: f"{len(s)}chars")
def test_echo_round_trips_any_string(bridge, payload):
    assert bridge.echo(payload) == payload


@pytest.mark.parametrize(("n_chars", "n_tables"), [(0, 0), (100, 1), (10_000, 16)])
def test_make_result_equals_reference(bridge, reference, n_chars, n_tables):
    got = bridge.make_result(n_chars, n_tables)
    assert isinstance(got, bridgemark.ExtractionResult)
    assert len(got.content) == n_chars and len(got.tables) == n_tables
    assert got == reference.make_result(n_chars, n_tables)


def test_spin_lasts_at_least_the_requested_time(bridge):
    start = time.perf_counter_ns()
    bridge.spin(2_000_000)
    assert time.perf_counter_ns() - start >= 2_000_000


def test_leak_accepts_sizes(bridge):
    assert bridge.leak(0) is None
    assert bridge.leak(64) is None


def test_pure_python_probes_match_the_core(reference):
    pure = bridgemark.load("pure_python")
    assert pure.add(2**63 - 1, 1) == reference.add(2**63 - 1, 1)
    assert pure.make_result(500, 3) == reference.make_result(500, 3)


@pytest.mark.parametrize("size", [2**62, 2**63 + 1])
def test_impossible_sizes_never_abort_the_process(bridge, size):
    """Regression: make_result(2**62, 0) and leak(2**62) aborted the process on every bridge;
    then ``leak`` (a ``void`` export on the C ABI) returned silently on the C-ABI bridges."""
    with pytest.raises(bridgemark.InternalError, match="cannot allocate"):
        bridge.make_result(size, 0)
    with pytest.raises(bridgemark.InternalError, match=rf"^internal error \(Rust panic\): leak\({size}\): cannot allocate"):
        bridge.leak(size)
    assert bridge.add(1, 1) == 2


def test_the_in_process_rust_baseline_times_the_core_and_raises_the_bridges_errors():
    from bridgemark_ctypes import time_extract_file  # the C ABI's timing export (not a probe)

    assert time_extract_file(documents()[0], 2) > 0
    with pytest.raises(FileNotFoundError):
        time_extract_file("/nonexistent/bridgemark.docx", 1)


@pytest.mark.parametrize("case", ["noop", "add", "echo:1000:cjk", "make_result:1000:1", "spin:1000"])
def test_the_in_process_rust_probes_run_every_calls_case(case):
    from bridgemark_ctypes import time_probe  # the C ABI's timing export (not a probe)

    assert time_probe(case, 3) > 0


def test_an_unknown_probe_case_is_a_value_error():
    from bridgemark_ctypes import time_probe

    with pytest.raises(ValueError):
        time_probe("loop", 1)


def test_the_core_clock_times_the_bridges_extractions_only_while_on(bridge):
    path = documents()[0]
    bridge.core_clock_ns(False)
    bridge.extract_file(path)
    assert bridge.core_clock_ns(True) == 0  # off: nothing summed
    bridge.extract_file(path)
    bridge.extract_file(path)
    two_calls = bridge.core_clock_ns(False)
    assert two_calls > 0 and bridge.core_clock_ns(False) == 0  # on: summed; taken: reset
    bridge.core_clock_ns(True)
    bridge.spin(1_000_000)
    bridge.make_result(1000, 1)
    assert bridge.core_clock_ns(False) == 0  # the core's extract_file alone is timed


@pytest.mark.parametrize("on", ["x", 1, None], ids=repr)
def test_the_core_clock_takes_a_bool_only(bridge, on):
    with pytest.raises(TypeError):
        bridge.core_clock_ns(on)
