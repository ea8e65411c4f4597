"""The cost model (fit, sizes, predictions) and its report section, on synthetic data — never timing."""

from __future__ import annotations

import numpy as np
import pytest

import bridgemark
from bridgemark import costmodel, costreport, report
from bridgemark.suites import memory, startup

TRUE = {"fixed": 60.0, "per_byte": 0.5, "per_object": 25.0}


def _probe(case: str, nbytes: int, objects: int, noise: float) -> dict:
    y = TRUE["fixed"] + TRUE["per_byte"] * nbytes + TRUE["per_object"] * objects + noise
    return {"implementation": "pyo3", "case": case, "marshalled_bytes": nbytes, "marshalled_objects": objects,
            "overhead_ns": y, "overhead_ci95_low_ns": y - 5, "overhead_ci95_high_ns": y + 5}


def _synthetic_calls(seed: int = 1) -> list[dict]:
    rng = np.random.default_rng(seed)
    sizes = [(0, 0), (0, 1), (2048, 1), (131072, 1), (2097152, 1), (200, 16), (2200, 29), (5600, 1316),
             (100_200, 146), (64, 3), (8192, 40)]
    return [_probe(f"make_result:{b}:{o}", b, o, rng.normal(0, 3)) for b, o in sizes]


def test_fit_recovers_known_coefficients_within_their_intervals():
    recs = _synthetic_calls()
    names = [n for n, _, _ in costmodel.TERMS]
    x = [[1.0, r["marshalled_bytes"], r["marshalled_objects"]] for r in recs]
    f = costmodel.fit(x, [r["overhead_ns"] for r in recs], [2.5] * len(recs), names)
    for i, name in enumerate(names):
        low, high = f.interval(i)
        assert low <= TRUE[name] <= high, (name, low, f.coef[i], high)
    assert f.n == len(recs) and f.t == pytest.approx(2.306, abs=1e-3)  # t(0.975, 8)


def test_prediction_interval_contains_the_true_mean_of_a_new_document():
    recs = _synthetic_calls()
    f = costmodel.fit([[1.0, r["marshalled_bytes"], r["marshalled_objects"]] for r in recs],
                      [r["overhead_ns"] for r in recs], [2.5] * len(recs), ["fixed", "per_byte", "per_object"])
    value, low, high = f.predict([1.0, 50_000, 400])
    truth = TRUE["fixed"] + TRUE["per_byte"] * 50_000 + TRUE["per_object"] * 400
    assert low <= truth <= high and low < value < high


def test_exact_fit_with_as_many_points_as_terms_has_no_interval():
    f = costmodel.fit([[1.0, 0.0], [1.0, 10.0]], [5.0, 25.0], [1.0, 1.0], ["fixed", "per_byte"])
    assert f.coef == pytest.approx((5.0, 2.0)) and f.interval(0) == (None, None)


def test_fit_rejects_too_few_points_and_bad_sigma():
    with pytest.raises(ValueError):
        costmodel.fit([[1.0, 0.0]], [5.0], [1.0], ["fixed", "per_byte"])
    with pytest.raises(ValueError):
        costmodel.fit([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [1, 2, 3], [1.0, 0.0, 1.0], ["fixed", "per_byte"])


def test_result_size_counts_utf8_bytes_and_built_objects():
    r = bridgemark.ExtractionResult("héllo", "text/plain", {"title": "T", "authors": ["a", "b"], "page_count": 2},
                                    [[["c1", "c2"]]])
    # bytes: content 6 + mime 10 + keys (5 + 7 + 10) + "T" 1 + "a" "b" 2 + cells 4
    # objects: result, content, mime; dict + 3 keys + "T" + list + 2 authors + int; 3 nested lists + 2 cells
    assert costmodel.result_size(r) == (6 + 10 + 22 + 1 + 2 + 4, 3 + (1 + 3 + 1 + 1 + 2 + 1) + (3 + 2))
    assert costmodel.result_size(None) == (0, 0) and costmodel.result_size("中") == (3, 1)
    assert costmodel.call_size(("ab",), "ab") == {"marshalled_bytes": 4, "marshalled_objects": 1,
                                                  "marshalled_bytes_by_kind": {"ascii": 4}}
    assert costmodel.call_size((), object()) is None  # a peer's own result type is not sized


def test_call_size_splits_bytes_by_each_strings_storage_kind():
    # A str is stored by its largest code point (PEP 393): "a中" is UCS-2 as a whole.
    r = bridgemark.ExtractionResult("a中", "text/plain", {}, [[["é", "😀x"]]])
    size = costmodel.call_size(("p",), r)
    assert size["marshalled_bytes_by_kind"] == {"ascii": 1 + 10, "cjk": 4, "latin1": 2, "emoji": 5}
    assert size["marshalled_bytes"] == sum(size["marshalled_bytes_by_kind"].values())
    assert [costmodel.string_kind(s) for s in ("x", "é", "中", "😀")] == list(costmodel.ALPHABETS)


@pytest.mark.parametrize("alphabet, width", [("ascii", 1), ("latin1", 2), ("cjk", 3), ("emoji", 4)])
def test_echo_payloads_have_about_the_requested_utf8_size(alphabet, width):
    s = costmodel.payload(1024, alphabet)
    assert 1024 - width < len(s.encode()) <= 1024 and len(set(s)) == 1


def test_fit_points_are_noop_ascii_echo_and_make_result():
    assert [c for c in ("noop", "add", "echo:1024", "echo:1024:cjk", "make_result:0:1", "spin:1000", "loop")
            if costmodel.is_fit_point(c)] == ["noop", "echo:1024", "make_result:0:1"]
    assert costmodel.echo_alphabet("echo:0") == "ascii" and costmodel.echo_alphabet("echo:9:emoji") == "emoji"


def _document() -> dict:
    calls = _synthetic_calls()
    for n, cjk in ((0, None), (1024, "cjk"), (65536, "cjk")):
        case = f"echo:{n}" + (f":{cjk}" if cjk else "")
        calls.append(_probe(case, 2 * n, 1, 0.0) | ({"overhead_ns": 60 + 25 + 3.0 * 2 * n} if cjk else {}))
    extraction = [_probe("kreuzberg/fake.docx", 400, 16, 0.0) | {"overhead_ci95_low_ns": 0.0, "overhead_ci95_high_ns": 1e4},
                  _probe("generated/paragraphs-1.docx", 900, 34, 0.0) | {"overhead_ns": 1e6, "overhead_ci95_low_ns": 9e5,
                                                                         "overhead_ci95_high_ns": 1.1e6}]
    model = costmodel.build(calls, extraction, ["pyo3", "ctypes"])
    return {"implementations": {"pyo3": {"status": "ok"}}, "suites": {}, "cost_model": model}


def test_build_fits_each_bridge_and_predicts_every_sized_document():
    model = _document()["cost_model"]
    assert list(model["fits"]) == ["pyo3"]  # ctypes has no records
    fit = model["fits"]["pyo3"]
    assert fit["per_byte_ci95_low_ns"] <= TRUE["per_byte"] <= fit["per_byte_ci95_high_ns"]
    preds = {p["case"]: p for p in model["predictions"]}
    assert preds["kreuzberg/fake.docx"]["agree"] is True
    assert preds["generated/paragraphs-1.docx"]["agree"] is False  # measured 1 ms, predicted ~2 µs
    assert model["echo_per_byte"]["pyo3"]["cjk"]["per_byte_ns"] == pytest.approx(3.0, rel=1e-6)


def test_non_ascii_bytes_of_a_document_are_predicted_at_their_kinds_echo_cost():
    calls = _synthetic_calls()
    for n in (0, 1024, 65536):  # echo: ASCII at 0.5 ns/B (the model's slope), CJK at 3 ns/B
        calls.append(_probe(f"echo:{n}", 2 * n, 1, 0.0))
        calls.append(_probe(f"echo:{n}:cjk", 2 * n, 1, 0.0) | {"overhead_ns": 85 + 3.0 * 2 * n})
    doc = _probe("x.docx", 1000, 16, 0.0) | {"marshalled_bytes_by_kind": {"ascii": 400, "cjk": 600}}
    plain = _probe("y.docx", 1000, 16, 0.0) | {"marshalled_bytes_by_kind": {"ascii": 1000}}
    preds = {p["case"]: p for p in costmodel.build(calls, [doc, plain], ["pyo3"])["predictions"]}
    assert preds["x.docx"]["non_ascii_correction_ns"] == pytest.approx((3.0 - 0.5) * 600, rel=1e-6)
    assert preds["x.docx"]["predicted_ns"] == pytest.approx(preds["y.docx"]["predicted_ns"] + 2.5 * 600, rel=1e-6)
    assert preds["y.docx"]["non_ascii_correction_ns"] == 0.0


def test_a_page_faulting_probe_stays_out_of_the_fit_and_is_named():
    calls = _synthetic_calls()
    # 2 MB that page-faults in the bridge only: 1 ms more than the linear model says.
    calls.append(_probe("echo:1000000", 2_000_000, 1, 1e6) | {"minor_faults_per_call": 456.0})
    calls.append({"implementation": "direct_rust", "case": "echo:1000000", "minor_faults_per_call": 0.0})
    fit = costmodel.build(calls, [], ["pyo3"])["fits"]["pyo3"]
    assert fit["faulting_points"] == {"echo:1000000": 456.0} and "echo:1000000" not in fit["points"]
    assert fit["per_byte_ci95_low_ns"] <= TRUE["per_byte"] <= fit["per_byte_ci95_high_ns"]


def test_the_cores_cost_after_a_bridges_call_is_added_to_that_bridges_prediction_of_that_file():
    calls = _synthetic_calls()
    docs = [_probe("x.docx", 1000, 16, 0.0), _probe("y.docx", 1000, 16, 0.0)]
    extra = [{"implementation": "pyo3", "case": "x.docx", "interleave_ns": 2000.0, "interleave_ci95_low_ns": 1000.0,
              "interleave_ci95_high_ns": 3000.0},
             {"implementation": "ctypes", "case": "y.docx", "interleave_ns": 5000.0}]  # another bridge's
    preds = {p["case"]: p for p in costmodel.build(calls, docs, ["pyo3"], extra)["predictions"]}
    x, y = preds["x.docx"], preds["y.docx"]
    assert x["interleave_ns"] == 2000.0 and y["interleave_ns"] is None
    assert x["predicted_ns"] == pytest.approx(y["predicted_ns"] + 2000.0)
    half_x, half_y = (x["predicted_ci95_high_ns"] - x["predicted_ns"]), (y["predicted_ci95_high_ns"] - y["predicted_ns"])
    assert half_x == pytest.approx((half_y**2 + 1000.0**2) ** 0.5)


def test_the_conversions_cost_after_the_core_adds_to_the_prediction_beside_the_cores_cost():
    calls = _synthetic_calls()
    docs = [_probe("x.docx", 1000, 16, 0.0), _probe("y.docx", 1000, 16, 0.0)]
    core = [{"implementation": "pyo3", "case": "x.docx", "interleave_ns": 2000.0, "interleave_ci95_low_ns": 1000.0,
             "interleave_ci95_high_ns": 3000.0}]
    conversion = [{"implementation": "pyo3", "case": "x.docx", "conversion_ns": 3000.0,
                   "conversion_ci95_low_ns": 1000.0, "conversion_ci95_high_ns": 5000.0},
                  {"implementation": "pyo3", "case": "y.docx", "skipped": "one core call takes 3.0 ms"}]
    preds = {p["case"]: p for p in costmodel.build(calls, docs, ["pyo3"], core, conversion)["predictions"]}
    x, y = preds["x.docx"], preds["y.docx"]
    assert (x["interleave_ns"], x["conversion_ns"], y["conversion_ns"]) == (2000.0, 3000.0, None)
    assert x["predicted_ns"] == pytest.approx(y["predicted_ns"] + 5000.0)
    half_x, half_y = (x["predicted_ci95_high_ns"] - x["predicted_ns"]), (y["predicted_ci95_high_ns"] - y["predicted_ns"])
    assert half_x == pytest.approx((half_y**2 + 1000.0**2 + 2000.0**2) ** 0.5)


def test_predicted_vs_measured_renders_per_file_with_disagreement_marked():
    text = "\n".join(costreport.section_cost_model(report.Run(_document())))
    assert "Why \"overhead %\" depends on the work per call" in text
    assert "| pyo3 | 2 | 1 of 2 |" in text
    row = next(line for line in text.splitlines() if line.startswith("| `generated/paragraphs-1.docx`"))
    assert row.endswith("✗ |") and "+1 ms [0.9, 1.1]" in row
    assert "`cjk` per KiB" in text and "3,072 ns [" in text  # 3 ns/byte


def test_documents_that_page_fault_through_a_bridge_are_named_as_outside_the_model():
    doc = _document()
    doc["suites"]["extraction"] = {"records": [
        {"implementation": "pyo3", "case": "generated/paragraphs-1.docx", "minor_faults_per_call": 130.0},
        {"implementation": "direct_rust", "case": "generated/paragraphs-1.docx", "minor_faults_per_call": 0.0},
        {"implementation": "pyo3", "case": "kreuzberg/fake.docx", "minor_faults_per_call": 0.2},
        {"implementation": "direct_rust", "case": "kreuzberg/fake.docx", "minor_faults_per_call": 0.0},
        {"implementation": "kreuzberg", "case": "generated/paragraphs-1.docx", "minor_faults_per_call": 191.0}]}
    text = "\n".join(costreport.section_cost_model(report.Run(doc)))
    line = next(t for t in text.splitlines() if t.startswith("Where the model falls short"))
    assert "`generated/paragraphs-1.docx`: pyo3 130 (direct_rust 0)" in line
    assert "fake.docx" not in line and "kreuzberg" not in line  # bridges only, not peers
    del doc["suites"]["extraction"]
    assert "Where the model falls short" not in "\n".join(costreport.section_cost_model(report.Run(doc)))


def _prediction(predicted: float, low: float | None, measured: float) -> dict:
    return {"implementation": "capi", "case": "f", "predicted_ns": predicted, "predicted_ci95_low_ns": low,
            "predicted_ci95_high_ns": None if low is None else 2 * predicted - low, "measured_ns": measured}


def test_measured_over_predicted_is_a_median_ratio_when_every_prediction_is_above_zero():
    agreement = costreport.prediction_agreement([_prediction(100, 90, 150), _prediction(200, 150, 200),
                                                 _prediction(400, None, 200)])
    assert agreement == {"median_difference_ns": 0.0, "median_ratio": 1.0, "ratio_reason": None}


def test_ratio_is_withheld_with_its_reason_when_a_prediction_may_be_zero_or_negative():
    # the capi case of the 2026-11-29 runs: measured −5 µs over a predicted +0.1 µs read as −50
    agreement = costreport.prediction_agreement([_prediction(100, -20, -5000), _prediction(-300, None, 100),
                                                 _prediction(1000, 900, 1100)])
    assert agreement["median_ratio"] is None and agreement["ratio_reason"] == "2 of 3 predictions not above 0"
    assert agreement["median_difference_ns"] == 100.0


def test_the_summary_table_shows_the_difference_and_the_withheld_ratio():
    doc = _document()
    for p in doc["cost_model"]["predictions"]:
        p |= {"predicted_ns": -10.0, "predicted_ci95_low_ns": -20.0, "predicted_ci95_high_ns": 0.0}
    text = "\n".join(costreport.section_cost_model(report.Run(doc)))
    row = next(line for line in text.splitlines() if line.startswith("| pyo3 | 2 |"))
    assert row.endswith("| — (2 of 2 predictions not above 0) |")


def test_the_alphabet_figure_is_drawn_per_modelled_bridge(tmp_path):
    from bridgemark import plots

    doc = _document()
    echo = [_probe(f"echo:{n}:cjk", 2 * n, 1, 0.0) | {"overhead_ns": 85 + 6.0 * n} for n in (999, 99_999)]
    doc["suites"] = {"calls": {"records": _synthetic_calls() + echo}}
    written = plots.draw(doc, tmp_path)
    assert tmp_path / "echo_alphabets.png" in written and (tmp_path / "echo_alphabets.png").stat().st_size > 0


def test_a_run_without_a_cost_model_still_explains_overhead_pct():
    text = "\n".join(costreport.section_cost_model(report.Run({"implementations": {}, "suites": {}})))
    assert "depends on the work per call" in text and "No cost model in this run" in text


# --------------------------------------------------------------------------- startup and Python heap


def test_startup_summary_gives_import_first_call_and_excess_per_implementation():
    raw = {"pyo3": [[{"case": "import", "import_ns": 1000 + p},
                     {"case": "a.docx", "first_call_ns": 500 + p, "loops": 4, "samples_ns_per_iter": [100.0, 101.0]}]
                    for p in range(5)]}
    recs = {r["case"]: r for r in startup.summarize(raw)}
    assert recs["import"]["import_median_ns"] == 1002 and recs["import"]["n"] == 5
    assert recs["a.docx"]["first_call_median_ns"] == 502 and recs["a.docx"]["steady_median_ns"] == 100.5
    assert recs["a.docx"]["first_excess_ns"] == pytest.approx(401.5)
    assert recs["a.docx"]["first_excess_ci95_low_ns"] > 0


def test_startup_measures_implementations_with_probes_only():
    assert "direct_rust" not in startup.IMPLEMENTATIONS and startup.IMPORTS_BRIDGE


def _heap_series(calls: int, points: int, bytes_at) -> dict:
    iterations = [calls * i // points for i in range(points + 1)]
    return {"traced_iterations": iterations, "traced_bytes": [bytes_at(i) for i in iterations]}


def test_python_heap_verdict_uses_the_leak_rule_and_is_absent_without_a_series():
    grow = memory.heap_fields(_heap_series(2_000, 50, lambda i: 40 * i))
    flat = memory.heap_fields(_heap_series(2_000, 50, lambda i: 5000 + (i % 3)))
    assert grow["heap_verdict"] == "leak" and grow["heap_slope_bytes_per_iter"] == pytest.approx(40.0)
    assert flat["heap_verdict"] == "no leak" and grow["heap_min_iterations"] == memory.HEAP_MIN_ITERATIONS
    assert memory.heap_fields({"iterations": [0, 1]}) == {}


def _one_off(i: int) -> int:
    """pure_python's clean path in QUICK before this rule: ~1 kB allocated once over the first 20
    calls after tracing started (a cache filling), then flat — read at one call per point."""
    return 5000 + min(i, 20) * 50


def test_a_one_off_allocation_in_a_short_series_is_not_resolved_never_a_leak():
    short = memory.heap_fields(_heap_series(25, 25, _one_off))
    assert short["heap_slope_ci95_low_bytes_per_iter"] > memory.LEAK_MARGIN_BYTES_PER_ITER  # the old rule: LEAK
    assert short["heap_verdict"] == "not resolved"
    assert memory.heap_fields(_heap_series(memory.HEAP_MIN_ITERATIONS, 50, _one_off))["heap_verdict"] == "no leak"


def test_a_series_whose_interval_is_wider_than_the_margin_is_not_resolved():
    rng = np.random.default_rng(3)
    noisy = _heap_series(2_000, 10, lambda i: int(20 * i + rng.normal(0, 40_000)))
    fields = memory.heap_fields(noisy)
    half = (fields["heap_slope_ci95_high_bytes_per_iter"] - fields["heap_slope_ci95_low_bytes_per_iter"]) / 2
    assert half > memory.LEAK_MARGIN_BYTES_PER_ITER and fields["heap_verdict"] == "not resolved"


def test_a_leak_of_twice_the_margin_is_found_in_a_minimum_length_series():
    rng = np.random.default_rng(4)
    leak = _heap_series(memory.HEAP_MIN_ITERATIONS, 25, lambda i: 5000 + 32 * i + int(rng.normal(0, 300)))
    assert memory.heap_fields(leak)["heap_verdict"] == "leak"


def test_series_length_reaches_the_minimum_calls_when_it_fits_in_the_time_cap():
    per_ms = 1e-6 / 7  # pure_python under tracemalloc: about 7 ms per call, in calls per ns
    assert memory.chunk_size(per_ms, 200, 25, 50_000) == 1  # by time alone: 28 calls
    assert memory.chunk_size(per_ms, 200, 25, 50_000, 1_000, 10_000) == 40  # 1,000 calls, 7 s
    assert memory.chunk_size(per_ms / 10, 200, 25, 50_000, 1_000, 10_000) == 5  # cap: 142 calls in 10 s
    assert memory.chunk_size(1e-3, 200, 25, 50_000, 1_000, 10_000) == 2_000  # fast: max_iterations first


def _term_document(records: list[dict], params: dict, suite: str = "interleave") -> dict:
    body = {"method": "m.", "params": params, "failures": {}, "records": records}
    implementations = {b: {"status": "ok"} for b in ("pyo3", "ctypes")} | {"pybind11": {"status": "not built"}}
    return {"implementations": implementations, "suites": {suite: body}}


def _interleave_rows(doc: dict) -> tuple[str, dict[str, str]]:
    text = "\n".join(costreport.section_interleave(report.Run(doc)))
    return text, {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}


def _interleave(impl: str, case: str, ns: float, low: float) -> dict:
    return {"implementation": impl, "case": case, "interleave_ns": ns, "interleave_ci95_low_ns": low,
            "interleave_ci95_high_ns": ns + 1000.0}


def test_the_core_inside_each_bridges_loop_renders_a_column_per_bridge_with_skipped_files_counted():
    doc = _term_document([
        _interleave("pyo3", "kreuzberg/fake.docx", 9000.0, 4000.0),
        _interleave("pyo3", "generated/paragraphs-1.docx", 7000.0, -500.0),
        _interleave("ctypes", "kreuzberg/fake.docx", 3000.0, 1000.0),
        {"implementation": "pyo3", "case": "big.pdf", "skipped": "one core call takes 3.0 ms"},
        {"implementation": "ctypes", "case": "big.pdf", "skipped": "one core call takes 3.0 ms"}],
        {"processes": 1, "max_call_ns": 2_000_000})
    doc["suites"]["interleave"]["method"] = "the core clock (core_clock_ns) in the bridge's loop."
    text, rows = _interleave_rows(doc)
    assert "### The core inside a bridge's loop" in text and "the core's own clock" in text
    assert rows["file, difference per call [95% CI]"].endswith("| pyo3 | pybind11 | ctypes |")
    assert rows["`kreuzberg/fake.docx`"] == "| `kreuzberg/fake.docx` | +9 µs [4, 10] | not built | +3 µs [1, 4] |"
    assert rows["`generated/paragraphs-1.docx`"].endswith("| +7 µs [-0.5, 8] | not built | — |")
    # Medians over the files both measured bridges have, so that columns compare the same files.
    assert rows["median over the 1 file every bridge measured"].endswith("| +9 µs | — | +3 µs |")
    assert rows["interval above zero, same files"].endswith("| 1 of 1 | — | 1 of 1 |")
    assert "Not measured on 1 file whose one core call takes ≥ 2 ms" in text


def test_a_run_from_before_the_core_clock_keeps_its_own_label():
    doc = _term_document([_interleave("ctypes", "kreuzberg/fake.docx", 3000.0, 1000.0)],
                         {"processes": 1, "max_call_ns": 2_000_000})
    text, _ = _interleave_rows(doc)
    assert "### The core after a bridge's call" in text and "Run made before the core clock" in text


def test_a_run_from_before_the_per_bridge_interleave_keeps_its_own_label():
    doc = _term_document([_interleave("ctypes", "kreuzberg/fake.docx", 3000.0, 1000.0)],
                               {"processes": 2, "samples": 2})
    text, rows = _interleave_rows(doc)
    assert "### The core called one call at a time" in text and "added to every bridge's prediction" in text
    assert rows["file, difference per call [95% CI]"].endswith("| ctypes |")


def test_the_conversion_after_the_core_renders_a_column_per_bridge_like_the_cores_term():
    doc = _term_document([
        {"implementation": "pyo3", "case": "kreuzberg/fake.docx", "conversion_ns": 2000.0,
         "conversion_ci95_low_ns": 1500.0, "conversion_ci95_high_ns": 2500.0, "probe": "make_result:27:0"},
        {"implementation": "ctypes", "case": "kreuzberg/fake.docx", "conversion_ns": 14000.0,
         "conversion_ci95_low_ns": -1000.0, "conversion_ci95_high_ns": 20000.0, "probe": "make_result:27:0"},
        {"implementation": "ctypes", "case": "big.pdf", "skipped": "one core call takes 3.0 ms"}],
        {"processes": 1, "max_call_ns": 2_000_000}, "conversion")
    text = "\n".join(costreport.section_conversion(report.Run(doc)))
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert "### The bridge's conversion after the core" in text and "Rust's own building" in text
    assert rows["file, difference per call [95% CI]"].endswith("| pyo3 | pybind11 | ctypes |")
    assert rows["`kreuzberg/fake.docx`"] == "| `kreuzberg/fake.docx` | +2 µs [1.5, 2.5] | not built | +14 µs [-1, 20] |"
    assert rows["interval above zero, same files"].endswith("| 1 of 1 | — | 0 of 1 |")
    assert "Not measured on 1 file whose one core call takes ≥ 2 ms" in text
    assert costreport.section_conversion(report.Run(_term_document([], {}, "other"))) == []


def test_the_prediction_summary_splits_measured_minus_predicted_by_document_format():
    preds = [{"case": "a.docx", "measured_ns": 5000.0, "predicted_ns": 8000.0},
             {"case": "b.DOCX", "measured_ns": 5000.0, "predicted_ns": 6000.0},
             {"case": "c.pdf", "measured_ns": 20000.0, "predicted_ns": 8000.0}]
    assert costreport._by_format(preds) == "-2 µs / +12 µs"
    assert costreport._by_format(preds[:1]) == "-3 µs / —"
