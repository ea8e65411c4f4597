"""Worker, suites and runner logic with a fake bridge: shapes, errors, controls — never timing."""

from __future__ import annotations

import json
import sys
import time
from types import SimpleNamespace

import pytest

import bridgemark
from bridgemark import suites, worker
from bridgemark.suites import calls, conversion, extraction, inflate, interleave, memory, stress

FAST = {"warmups": 1, "samples": 3, "min_sample_ns": 0}
BAD = "/corpus/broken.docx"


class FakeBridge(SimpleNamespace):
    """Module-like stand-in for a bridge: counts calls; ``leak`` grows a fake RSS by N bytes."""

    def __init__(self) -> None:
        super().__init__(calls=0, leaked_bytes=0, extracted=[])

    def noop(self) -> None:
        self.calls += 1

    def add(self, a: int, b: int) -> int:
        return a + b

    def echo(self, s: str) -> str:
        return s

    def make_result(self, n_chars: int, n_tables: int) -> bridgemark.ExtractionResult:
        return bridgemark.ExtractionResult("x" * n_chars, "text/plain", {}, [[["c"]]] * n_tables)

    def extract_file(self, path: str) -> bridgemark.ExtractionResult:
        if path == BAD:
            raise bridgemark.CorruptDocumentError("not a zip")
        self.extracted.append(path)
        return bridgemark.ExtractionResult("text", "application/x-fake", {}, [])

    def leak(self, n_bytes: int) -> None:
        self.leaked_bytes += n_bytes

    def spin(self, ns: int) -> None:
        self.calls += 1

    def core_clock_ns(self, on: bool) -> int:
        return 0


@pytest.fixture
def fake(monkeypatch) -> FakeBridge:
    """A fake bridge; the worker's RSS reads 10 MB plus whatever the fake leaked."""
    fake = FakeBridge()
    monkeypatch.setattr(worker, "rss_bytes", lambda: 10_000_000 + fake.leaked_bytes)
    return fake


def test_time_loop_calls_the_callable_exactly_loops_times(fake):
    worker.time_loop(fake.noop, (), 37)
    assert fake.calls == 37


def test_calibration_with_no_minimum_uses_one_loop(fake):
    assert worker.calibrate_loops(fake.noop, (), 0) == 1


def test_calibration_starts_below_the_loops_the_first_call_says_are_needed():
    # 10 ms of 50 µs calls need 200 loops: start at 128, so the doubling ends at 256 as from 2.
    assert worker._first_guess(10_000_000, 50_000) == 128
    assert worker._first_guess(10_000_000, 9_000_000) == 2 and worker._first_guess(10_000_000, 0) >= 2


def test_timing_record_keeps_samples_and_discards_warmups(fake):
    rec = worker.timing_record("noop", fake.noop, (), FAST)
    assert rec["case"] == "noop" and rec["loops"] == 1
    assert len(rec["warmup_ns_per_iter"]) == 1 and len(rec["samples_ns_per_iter"]) == 3


def test_a_paired_baseline_alternates_with_the_bridge_sample_for_sample(fake):
    order: list[str] = []

    def extract(path):
        order.append("bridge")

    def baseline(loops):
        order.append("rust")
        return 1000 * loops

    rec = worker.timing_record("f.docx", extract, ("f.docx",), FAST, baseline=("rust", baseline, True))
    # After one calibration call each: pairs AB, BA, AB, BA (ABBA), warm-up pair first.
    assert order == ["bridge", "rust"] + ["bridge", "rust", "rust", "bridge", "bridge", "rust", "rust", "bridge"]
    order.clear()
    worker.timing_record("f.docx", extract, ("f.docx",), FAST, baseline=("rust", baseline, False))
    assert order[:2] == ["bridge", "bridge"]  # no calibration of its own: the bridge's loops
    assert rec["rust_loops"] == 1 and rec["rust_warmup_ns_per_iter"] == [1000.0]
    assert rec["rust_samples_ns_per_iter"] == [1000.0] * 3 and len(rec["samples_ns_per_iter"]) == 3


def test_a_sample_spent_off_cpu_is_retaken_up_to_max_retakes_then_kept_and_counted():
    attempts: list[int] = []

    def asleep() -> int:  # asleep: off CPU whatever the machine's load
        attempts.append(1)
        time.sleep(0.002)
        return len(attempts)

    sampler = worker.Sampler(worker.SAMPLING)
    assert sampler.take(asleep) == worker.SAMPLING["max_retakes"] + 1
    assert sampler.fields() == {"samples_kept": 1, "samples_retaken": worker.SAMPLING["max_retakes"],
                                "samples_off_cpu": 1}


def test_a_sample_on_cpu_for_its_whole_wall_time_is_kept_at_once():
    ticks = iter(range(0, 1000, 10))  # CPU time and wall time advance alike: on CPU throughout
    sampler = worker.Sampler(worker.SAMPLING, cpu_ns=lambda: next(ticks), wall_ns=lambda: next(ticks) - 5)
    assert [sampler.take(lambda: i) for i in range(3)] == [0, 1, 2]
    assert sampler.fields() == {"samples_kept": 3, "samples_retaken": 0, "samples_off_cpu": 0}


def test_a_sample_retaken_once_keeps_the_second_attempts_value():
    clocks = iter([0, 0, 50, 100,  # first attempt: 50 ns of CPU in 100 ns of wall time
                   0, 0, 100, 100])  # second: on CPU throughout
    sampler = worker.Sampler({"min_on_cpu": 0.95, "max_retakes": 3}, cpu_ns=lambda: next(clocks),
                             wall_ns=lambda: next(clocks))
    values = iter(["first", "second"])
    assert sampler.take(lambda: next(values)) == "second"
    assert sampler.fields() == {"samples_kept": 1, "samples_retaken": 1, "samples_off_cpu": 0}


def test_without_the_on_cpu_rule_every_sample_is_kept_at_once():
    sampler = worker.Sampler({})
    sampler.take(lambda: time.sleep(0.001))
    assert sampler.fields() == {"samples_kept": 1, "samples_retaken": 0, "samples_off_cpu": 0}


def test_timing_record_counts_its_samples_the_paired_baselines_included(fake):
    rec = worker.timing_record("f", fake.extract_file, ("f",), FAST | worker.SAMPLING,
                               baseline=("rust", lambda loops: 1000 * loops, False))
    assert rec["samples_kept"] == 2 * (FAST["warmups"] + FAST["samples"])
    assert {"samples_retaken", "samples_off_cpu"} <= rec.keys()


def test_pooled_records_sum_their_processes_retakes_and_omit_counts_that_are_zero():
    counts = {"samples_kept": 6, "samples_retaken": 2, "samples_off_cpu": 0}
    raw = {"pyo3": [[_timing("f.docx", [1.0, 2.0, 3.0]) | counts], [_timing("f.docx", [1.0, 2.0, 3.0]) | counts]]}
    rec = suites.pooled_timing(raw)["pyo3", "f.docx"]
    assert rec["samples_retaken"] == 4 and "samples_off_cpu" not in rec and "samples_kept" not in rec


def test_a_suite_sums_every_workers_sample_counts():
    counts = {"samples_kept": 6, "samples_retaken": 1, "samples_off_cpu": 0}

    def spawn(impl, suite, params, cases):
        return {"status": "ok", "records": [_timing(c, [1.0, 2.0, 3.0]) | counts for c in cases]}

    body = suites.run("extraction", ["pyo3", "direct_rust"], ["a.docx", "b.docx"], True, {}, spawn=spawn)
    n = 2 * 2 * extraction.PARAMS["quick"]["processes"]  # implementations × files × processes
    assert body["sampling"] == {"samples_kept": 6 * n, "samples_retaken": n, "samples_off_cpu": 0}


def test_a_long_first_call_takes_the_long_call_samples_and_a_short_one_all(fake):
    params = FAST | {"long_call_ns": 0, "long_call_samples": 1}  # every call is "long"
    rec = worker.timing_record("f", fake.noop, (), params, inspect=lambda args, result: {})
    assert len(rec["samples_ns_per_iter"]) == 1
    rec = worker.timing_record("f", fake.noop, (), FAST | {"long_call_samples": 1}, inspect=lambda args, result: {})
    assert len(rec["samples_ns_per_iter"]) == FAST["samples"]  # no long_call_ns: no rule
    assert worker.long_call({"long_call_ns": 50}, 50) and not worker.long_call({"long_call_ns": 50}, 49)


def test_a_failing_case_is_recorded_with_its_error_not_timed(fake):
    rec = worker.timing_record(BAD, fake.extract_file, (BAD,), FAST)
    assert rec == {"case": BAD, "error": "CorruptDocumentError: not a zip"}


def test_calls_cases_map_to_the_bridges_own_callables(fake):
    assert calls.probe_call(fake, "loop") == (None, ())
    assert calls.probe_call(fake, "noop") == calls.probe_call(fake, calls.FLOOR_CASE) == (fake.noop, ())
    assert calls.probe_call(fake, "echo:5") == (fake.echo, ("xxxxx",))
    assert calls.probe_call(fake, "make_result:10:2") == (fake.make_result, (10, 2))
    with pytest.raises(ValueError):
        calls.probe_call(fake, "echo")


@pytest.fixture
def floor(monkeypatch) -> FakeBridge:
    """A fake C-API floor: what the calls suite loads as ``capi`` for ``noop:floor``."""
    floor = FakeBridge()
    monkeypatch.setattr(calls, "load", lambda name: floor if name == calls.FLOOR else None)
    return floor


def test_calls_suite_measures_every_case(fake, floor):
    records = calls.measure(fake, FAST, list(calls.CASES))
    assert [r["case"] for r in records] == list(calls.CASES)
    assert all("samples_ns_per_iter" in r for r in records if r["case"] not in calls.MEMCPY_CASES)
    # Every probe is paired with itself looped in Rust in the worker, except the empty loop and the
    # bare call paired with the C-API floor's.
    paired = {r["case"] for r in records if "rust_samples_ns_per_iter" in r}
    assert paired == set(calls.CASES) - set(calls.MEMCPY_CASES) - {"loop", calls.FLOOR_CASE}
    assert [r["case"] for r in records if "capi_samples_ns_per_iter" in r] == [calls.FLOOR_CASE]


def test_the_floor_case_pairs_every_sample_of_the_bridges_noop_with_one_of_the_floors(fake, floor):
    (rec,) = calls.measure(fake, FAST, [calls.FLOOR_CASE])
    runs = FAST["warmups"] + FAST["samples"]
    assert len(rec["samples_ns_per_iter"]) == len(rec["capi_samples_ns_per_iter"]) == FAST["samples"]
    assert fake.calls == floor.calls == 1 + runs  # one calibration call each (no minimum), then every sample
    assert (rec["marshalled_bytes"], rec["marshalled_objects"]) == (0, 0)


def test_the_floor_case_is_an_error_when_the_floor_is_not_built(fake, monkeypatch):
    def missing(name):
        raise ImportError("No module named 'bridgemark_capi'")

    monkeypatch.setattr(calls, "load", missing)
    assert calls.measure(fake, FAST, [calls.FLOOR_CASE]) == [
        {"case": calls.FLOOR_CASE, "error": "ImportError: No module named 'bridgemark_capi'"}]


def test_the_bare_call_in_floors_is_a_per_pair_ratio_so_machine_states_cancel():
    def rec(samples, floor):
        return _timing(calls.FLOOR_CASE, samples) | {"capi_samples_ns_per_iter": floor}

    # The second process runs 2× slower: the ns move, the factor (1.25×) does not.
    raw = {"pyo3": [[rec([50.0, 50.0, 50.0], [40.0, 40.0, 40.0])], [rec([100.0, 100.0, 100.0], [80.0, 80.0, 80.0])]]}
    (pyo3,) = calls.summarize(raw)
    assert (pyo3["above_floor_pct"], pyo3["above_floor_ci95_low_pct"], pyo3["above_floor_ci95_high_pct"]) == (
        pytest.approx(25.0), pytest.approx(25.0), pytest.approx(25.0))
    assert pyo3["above_floor_ns"] == pytest.approx(15.0)  # median of the pairs' 10 and 20 ns
    assert pyo3["capi_median_ns"] == pytest.approx(60.0)
    assert "overhead_method" not in pyo3  # the floor is not the Rust baseline


def test_memcpy_cases_are_direct_rust_only_and_skipped_by_bridges(fake):
    records = calls.measure(fake, FAST, list(calls.MEMCPY_CASES))
    assert records == [{"case": c, "skipped": "direct Rust only"} for c in calls.MEMCPY_CASES]
    pooled = calls.summarize({"fake": [records]})
    assert all(r["skipped"] == "direct Rust only" for r in pooled)


def test_echo_sizes_stay_out_of_the_slow_rep_movsb_window():
    """An output allocated right behind an n-byte payload sits ceil16(n) + 16 bytes after it; that
    distance must not be 1…31 modulo 4 KiB for any size that memcpy copies with rep movsb."""
    for n in calls.ECHO_BYTES + calls.ECHO_NON_ASCII_BYTES:
        assert not 1 <= (-(-n // 16) * 16 + 16) % 4096 <= 31 or n < 2112, n


def test_memory_flags_the_leak_control_and_passes_the_clean_path(fake):
    params = {"warmup_ms": 0, "duration_ms": 1, "points": 20, "max_iterations": 2_000}
    raw = memory.measure(fake, params, ["extract_file:/corpus/a.docx", "leak:64"])
    assert all(len(r["iterations"]) == len(r["rss_bytes"]) == 21 and r["iterations"][0] == 0 for r in raw)
    by_case = {r["case"]: r for r in memory.summarize({"fake": [raw]})}
    leak, clean = by_case["leak:64"], by_case["extract_file:/corpus/a.docx"]
    assert leak["slope_bytes_per_iter"] == pytest.approx(64.0)
    assert leak["leak"] and leak["control_ok"] and leak["control"] == "positive"
    assert clean["slope_bytes_per_iter"] == 0.0
    assert not clean["leak"] and clean["control_ok"]


def test_memory_marks_a_silent_leak_probe_as_a_failed_control(fake):
    fake.leak = lambda n: None
    raw = memory.measure(fake, {"warmup_ms": 0, "duration_ms": 1, "points": 5, "max_iterations": 100}, ["leak:64"])
    (rec,) = memory.summarize({"fake": [raw]})
    assert not rec["leak"] and not rec["control_ok"]


def test_stress_excludes_failing_files_and_counts_calls(fake):
    (raw,) = stress.measure(fake, {"duration_ms": 20, "window_ms": 5}, ["/corpus/a.docx", BAD])
    assert raw["files"] == 1 and list(raw["excluded"]) == [BAD]
    assert raw["errors"] == 0 and sum(raw["window_iterations"]) == len(fake.extracted) - 1
    (rec,) = stress.summarize({"fake": [[raw]]})
    assert rec["iterations"] == sum(raw["window_iterations"]) and rec["rss_growth_bytes"] == 0
    assert rec["rate_ci95_low_per_s"] <= rec["rate_per_s"] <= rec["rate_ci95_high_per_s"]


def _timing(case: str, samples: list[float]) -> dict:
    return {"case": case, "loops": 8, "warmup_ns_per_iter": [samples[0]], "samples_ns_per_iter": samples}


def test_extraction_overhead_is_against_direct_rust_on_the_same_file():
    raw = {
        "direct_rust": [[_timing("f.docx", [100.0, 101.0, 99.0])], [_timing("f.docx", [100.0, 102.0, 98.0])]],
        "pyo3": [[_timing("f.docx", [110.0, 111.0, 109.0])], [_timing("f.docx", [110.0, 112.0, 108.0])]],
    }
    recs = {r["implementation"]: r for r in extraction.summarize(raw)}
    assert recs["pyo3"]["overhead_ns"] == pytest.approx(10.0)
    assert recs["pyo3"]["overhead_pct"] == pytest.approx(10.0)
    assert recs["pyo3"]["n"] == 6 and recs["pyo3"]["n_processes"] == 2 and recs["pyo3"]["loops"] == [8, 8]
    assert recs["pyo3"]["samples_ns_per_iter"] == [[110.0, 111.0, 109.0], [110.0, 112.0, 108.0]]
    assert "overhead_ns" not in recs["direct_rust"]


def test_extraction_overhead_is_paired_when_the_worker_timed_rust_in_process():
    def paired(samples, rust):
        return _timing("f.docx", samples) | {"rust_samples_ns_per_iter": rust}

    raw = {
        # direct_rust (own process) is far off: the paired overhead must not use it.
        "direct_rust": [[_timing("f.docx", [50.0, 50.0, 50.0])]],
        "pyo3": [[paired([110.0, 170.0, 111.0], [100.0, 160.0, 101.0])],
                 [paired([112.0, 108.0, 172.0], [102.0, 98.0, 162.0])]],
    }
    pyo3 = next(r for r in extraction.summarize(raw) if r["implementation"] == "pyo3")
    assert pyo3["overhead_method"] == "paired"
    assert (pyo3["overhead_ns"], pyo3["overhead_ci95_low_ns"], pyo3["overhead_ci95_high_ns"]) == (10.0, 10.0, 10.0)
    assert pyo3["rust_median_ns"] == pytest.approx(101.5)
    # % is the median of the per-pair relative differences: of 10/102 and 10/101 here.
    assert pyo3["overhead_pct"] == pytest.approx((1000 / 102 + 1000 / 101) / 2)


def test_inflate_ratio_is_taken_per_pair_so_machine_states_cancel():
    # The machine's speed doubles between pairs; extract is 3× inflate in every pair.
    raw = {"direct_rust": [[_timing("extract:h.docx", [30.0, 60.0, 30.0, 60.0]),
                            _timing("inflate:h.docx", [10.0, 20.0, 10.0, 20.0])]]}
    (rec,) = inflate.summarize(raw)
    assert (rec["ratio"], rec["ratio_ci95_low"], rec["ratio_ci95_high"]) == pytest.approx((3, 3, 3))


def test_interleave_pairs_the_cores_clock_in_the_bridges_loop_with_the_tight_loop(fake, monkeypatch):
    # The core takes 120 ns per call in the bridge's own loop (its clock, on only around that
    # loop, sums them) and 100 ns per call in its tight loop (bm_time_extract_file).
    clock = {"on": False, "ns": 0}

    def extract_file(path):
        result = FakeBridge.extract_file(fake, path)
        clock["ns"] += 120 if clock["on"] else 0
        return result

    def core_clock_ns(on):
        ns, clock["ns"], clock["on"] = clock["ns"], 0, on
        return ns

    def time_extract_file(path, loops):
        if path == BAD:
            raise bridgemark.CorruptDocumentError("not a zip")
        assert not clock["on"], "the tight loop runs with the bridge's clock off"
        return 100 * loops

    fake.extract_file, fake.core_clock_ns = extract_file, core_clock_ns
    monkeypatch.setattr(interleave, "core_timer", lambda: time_extract_file)
    params = FAST | {"min_sample_ns": 150, "max_call_ns": 1000}  # loops = 2
    raw = {"ctypes": [interleave.measure(fake, params, ["f.docx", BAD])]}
    assert raw["ctypes"][0][1] == {"case": BAD, "error": "CorruptDocumentError: not a zip"}
    rec = raw["ctypes"][0][0]
    assert rec["loops"] == 2 and rec["samples_ns_per_iter"] == [120.0] * FAST["samples"]
    # The bridge's own calls: one before the checks, then `loops` per sample, warm-ups included.
    assert len(fake.extracted) == 1 + 2 * (FAST["warmups"] + FAST["samples"])
    (out,) = [r for r in interleave.summarize(raw) if r["case"] == "f.docx"]
    assert (out["interleave_ns"], out["interleave_ci95_low_ns"], out["interleave_ci95_high_ns"]) == (20.0, 20.0, 20.0)
    assert out["rust_median_ns"] == 100.0 and out["median_ns"] == 120.0 and "overhead_ns" not in out


def test_conversion_times_make_result_after_the_core_and_back_to_back_and_subtracts_rusts_own(fake, monkeypatch):
    # A fake clock: the bridge's make_result takes 130 ns right after the core, 100 after itself;
    # Rust's probe 50 ns after the core, 40 after itself. The bridge's conversion alone: 30 − 10.
    now, last = [0], ["core"]
    timed = []  # what ran right before each make_result the clock timed: ("core" | "make")

    def make_result(n_chars, n_tables):
        now[0] += 130 if last[0] == "core" else 100
        timed.append(last[0])
        last[0] = "make"
        return FakeBridge.make_result(fake, n_chars, n_tables)

    def core(path, loops):  # untimed by the bridge's clock: it must not fall inside a timed window
        if path == BAD:
            raise bridgemark.CorruptDocumentError("not a zip")
        now[0] += 1000 * loops
        last[0] = "core"
        return 1000 * loops

    def probe(case, loops):
        ns = 50 if last[0] == "core" else 40
        last[0] = "probe"
        return ns

    fake.make_result = make_result
    monkeypatch.setattr(interleave, "core_timer", lambda: core)
    monkeypatch.setattr(conversion, "_probe_timer", lambda: probe)
    monkeypatch.setattr(conversion.time, "perf_counter_ns", lambda: now[0])
    params = FAST | {"max_call_ns": 2_000, "min_sample_ns": 0}
    raw = {"pyo3": [conversion.measure(fake, params, ["f.docx", BAD])]}
    assert raw["pyo3"][0][1] == {"case": BAD, "error": "CorruptDocumentError: not a zip"}
    rec = raw["pyo3"][0][0]
    assert rec["probe"] == "make_result:4:0" and rec["samples_ns_per_iter"] == [20, 20, 20] and rec["loops"] == 1
    # probe_case's two calls, then per iteration (calibration, warm-up, 3 samples): after the core, after itself.
    assert timed[2:] == ["core", "make", "make"] * 5
    (out,) = [r for r in conversion.summarize(raw) if r["case"] == "f.docx"]
    assert (out["conversion_ns"], out["conversion_ci95_low_ns"], out["rust_ns"]) == (20, 20, 10)
    assert out["probe"] == "make_result:4:0" and "overhead_ns" not in out and "median_ns" not in out


def test_conversion_skips_a_file_of_long_core_calls_before_extracting_it(fake, monkeypatch):
    monkeypatch.setattr(interleave, "core_timer", lambda: lambda path, loops: 3_000_000 * loops)
    monkeypatch.setattr(conversion, "_probe_timer", lambda: lambda case, loops: 0)
    (rec,) = conversion.measure(fake, FAST | {"max_call_ns": 2_000_000}, ["big.pdf"])
    assert rec == {"case": "big.pdf", "skipped": "one core call takes 3.0 ms (≥ 2 ms: over this suite's budget)"}
    assert fake.extracted == []


def test_conversion_probe_matches_the_documents_utf8_bytes_and_objects(fake):
    # The fake's tables are 1 × 1: a list, a row and a cell, 3 objects each.
    document = bridgemark.ExtractionResult("héllo", "text/plain", {}, [[["a", "b"]], [["c"]], [["d"]]])
    assert conversion.probe_case(fake, document) == ("make_result:6:3", 6, 3)  # 10 objects more: 3.3 tables


def test_interleave_skips_files_whose_one_core_call_exceeds_its_resolution(fake, monkeypatch):
    monkeypatch.setattr(interleave, "core_timer", lambda: lambda path, loops: 3_000_000 * loops)
    (rec,) = interleave.measure(fake, FAST | {"max_call_ns": 2_000_000}, ["big.pdf"])
    assert rec["case"] == "big.pdf" and rec["skipped"].startswith("one core call takes 3.0 ms (≥ 2 ms")


def test_runner_rotates_the_order_each_round():
    spawned = []

    def spawn(impl, suite, params, cases):
        spawned.append(impl)
        return {"status": "ok", "records": [_timing(c, [1.0, 2.0]) for c in cases]}

    suites.run("calls", ["a", "b", "c"], ["add"], False, {}, spawn=spawn)
    rounds = calls.PARAMS["full"]["processes"]
    expected = [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    assert spawned == [impl for r in range(rounds) for impl in expected[r % 3]]


def test_runner_gives_headline_cases_more_processes_and_spreads_a_peers_files_over_processes():
    from bridgemark.suites import extraction

    spawned = []

    def spawn(impl, suite, params, cases):
        spawned.append((impl, tuple(cases)))
        assert not set(params) & set(suites.RUNNER_PARAMS)
        return {"status": "ok", "records": [_timing(c, [1.0, 2.0]) for c in cases]}

    labels = {"/c/kreuzberg/fake.docx": "kreuzberg/fake.docx"} | {f"/c/{i}.pdf": f"{i}.pdf" for i in range(5)}
    impls = ["pyo3", "kreuzberg", "direct_rust"]
    out = suites.run("extraction", impls, list(labels), False, {}, labels=labels, spawn=spawn)
    full = extraction.PARAMS["full"]
    assert (full["processes"], full["headline_processes"], full["peer_spread"]) == (2, 8, 4)
    # pyo3 and direct_rust: 2 passes + 6 headline rounds each; kreuzberg: 6 files over 4 processes, 2 passes.
    assert len(spawned) == 2 * 8 + 2 * 4 == suites.worker_count("extraction", impls, list(labels), False, labels)
    n = {(r["implementation"], r["case"]): r["n_processes"] for r in out["records"] if "n_processes" in r}
    for impl in ("pyo3", "direct_rust"):
        assert n.pop((impl, "kreuzberg/fake.docx")) == 8
    assert set(n.values()) == {2} and len(n) == 2 * 5 + 6  # every other case, and each of the peer's files
    peer = [c for impl, c in spawned if impl == "kreuzberg"]
    assert all(len(c) <= 2 for c in peer) and sorted(f for c in peer for f in c) == sorted(list(labels) * 2)
    # The headline rounds sit between the passes (3 after each, a pass being 6 spawns) and rotate
    # among their own implementations.
    headline = [(impl, c == ("/c/kreuzberg/fake.docx",)) for impl, c in spawned]
    p, r = ("pyo3", True), ("direct_rust", True)
    assert headline[6:12] + headline[18:24] == [p, r, r, p, p, r, r, p, p, r, r, p]
    assert not any(is_headline for _, is_headline in headline[:6] + headline[12:18])


def test_pure_pythons_seed_files_take_their_own_processes_spread_evenly_among_the_others():
    from bridgemark.suites import extraction

    labels = {"/c/kreuzberg/fake.docx": "kreuzberg/fake.docx", "/c/a.docx": "a.docx"}
    params = extraction.PARAMS["full"]
    assert (params["headline_processes"], params["pure_python_headline_processes"]) == (8, 32)
    out = suites.rounds(extraction, params, ["pyo3", "pure_python"], list(labels), labels)
    processes = {impl: sum(impl in r for r in out) for impl in ("pyo3", "pure_python")}
    assert processes == {"pyo3": 8, "pure_python": 32}
    # 2 passes, each followed by 15 extra rounds; pyo3 in 3 of each pass's 15, every 5th.
    assert [i for i, r in enumerate(out) if "pyo3" in r and len(r["pyo3"]) == 1] == [5, 10, 15, 21, 26, 31]
    assert all(list(r["pure_python"]) == ["/c/kreuzberg/fake.docx"] for r in out[1:16] + out[17:])


def test_runner_interleaves_processes_and_reports_unbuilt_and_failed_implementations():
    spawned = []

    def spawn(impl, suite, params, cases):
        spawned.append(impl)
        if impl == "capi":
            return {"status": "not built", "error": "ImportError: no capi"}
        if impl == "ctypes":
            raise worker.WorkerError("ctypes/calls exited -11")
        return {"status": "ok", "records": [_timing(c, [1.0, 2.0, 3.0]) for c in cases]}

    status: dict = {}
    out = suites.run("calls", ["capi", "pyo3", "ctypes", "direct_rust"], ["noop"], True, status,
                     labels={"noop": "bare"}, spawn=spawn)
    assert spawned == ["capi", "pyo3", "ctypes", "direct_rust", "pyo3", "direct_rust"]  # round 2 starts at pyo3
    assert status["capi"] == {"status": "not built", "error": "ImportError: no capi"}
    assert out["failures"] == {"ctypes": "ctypes/calls exited -11"} and status["ctypes"]["status"] == "ok"
    assert {(r["implementation"], r["case"], r["n"]) for r in out["records"]} == {("pyo3", "bare", 6),
                                                                                  ("direct_rust", "bare", 6)}
    assert out["params"] == calls.PARAMS["quick"]


def test_worker_main_prints_the_suite_records_as_json(fake, monkeypatch, capsys):
    monkeypatch.setattr(bridgemark, "load", lambda name: fake)
    worker.main(["fake", "calls", "--params", json.dumps(FAST), "noop", "add"])
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "ok" and out["implementation"] == "fake"
    assert [r["case"] for r in out["records"]] == ["noop", "add"]


def test_worker_reports_an_import_error_as_not_built(monkeypatch, capsys):
    def load(name):
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(bridgemark, "load", load)
    worker.main(["capi", "calls", "--params", "{}", "noop"])
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "not built" and "No module named 'capi'" in out["error"]


def test_command_runs_bridges_in_python_and_direct_rust_in_the_bench_binary():
    assert worker.command("pyo3", "calls", {}, ["noop"])[:4] == [sys.executable, "-m", "bridgemark.worker", "pyo3"]
    assert worker.command("direct_rust", "calls", {}, ["noop"]) == [
        str(worker.BENCH_BINARY), "calls", "--params", "{}", "noop"]


def test_prefixed_raw_cases_get_their_file_label():
    from bridgemark.suites import _label

    labels = {"/abs/x.docx": "shared/x.docx"}
    assert _label("/abs/x.docx", labels) == "shared/x.docx"
    assert _label("extract:/abs/x.docx", labels) == "extract:shared/x.docx"
    assert _label("noop", labels) == "noop"


def test_spin_control_passes_within_five_percent_only():
    def rec(median: float) -> dict:
        return {"case": "spin:1000000", "loops": 1, "warmup_ns_per_iter": [], "samples_ns_per_iter": [median] * 3}

    ok = calls.summarize({"a": [[rec(1_030_000.0)]]})[0]
    slow = calls.summarize({"b": [[rec(1_200_000.0)]]})[0]
    assert ok["control_ok"] and not slow["control_ok"]


def test_threads_scaling_is_two_thread_over_one_thread_throughput():
    from bridgemark.suites import threads

    raw = {"x": [[{"case": "spin:1000000", "calls_per_s_1_threads": [100.0, 101.0, 99.0],
                   "calls_per_s_2_threads": [200.0, 198.0, 202.0]}],
                 [{"case": "spin:1000000", "calls_per_s_1_threads": [100.0, 100.0, 100.0],
                   "calls_per_s_2_threads": [200.0, 200.0, 200.0]}]],
           "held": [[{"case": "spin:1000000", "calls_per_s_1_threads": [100.0] * 3,
                      "calls_per_s_2_threads": [100.0, 99.0, 101.0]}]]}
    by_impl = {r["implementation"]: r for r in threads.summarize(raw)}
    assert by_impl["x"]["scaling"] == pytest.approx(2.0) and by_impl["x"]["releases_gil"]
    assert by_impl["held"]["scaling"] == pytest.approx(1.0) and not by_impl["held"]["releases_gil"]


def test_threads_measure_counts_calls_of_every_thread(fake):
    from bridgemark.suites import threads

    records = threads.measure(fake, {"samples": 2, "window_ms": 5}, ["spin:10"])
    assert len(records[0]["calls_per_s_1_threads"]) == len(records[0]["calls_per_s_2_threads"]) == 2
    assert all(v > 0 for v in records[0]["calls_per_s_2_threads"])


def test_reliability_counts_typed_errors_and_flags_untyped_ones():
    from bridgemark.suites import reliability

    raw = {"b": [[{"case": "hostile/a", "outcome": "CorruptDocumentError", "seconds": 0.1},
                  {"case": "hostile/b", "outcome": "ok", "seconds": 0.2},
                  {"case": "hostile/c", "outcome": "KeyError", "seconds": 6.0},
                  {"case": "@peak_rss", "bytes": 100 << 20}]]}
    (rec,) = reliability.summarize(raw)
    assert (rec["inputs"], rec["typed_errors"], rec["ok"]) == (3, 1, 1)
    assert rec["untyped_errors"] == ["hostile/c"] and rec["slow"] == ["hostile/c"]
    assert rec["peak_rss_ok"]
