"""The long runs' records (fuzz, memcheck, soak) and their path into the report's
reliability table, on fixture JSON (no valgrind, no fuzzing, no timing)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bridgemark import cli, fuzz, longrun, report, report_reliability, soak

FIXTURES = Path(__file__).parent / "fixtures"
LONGRUN = FIXTURES / "reliability"


@pytest.fixture
def document() -> dict:
    """The fixture compare.json with a reliability suite (pyo3 and capi measured, ctypes crashed)."""
    doc = json.loads((FIXTURES / "compare_v1.json").read_text())
    hostile = {"inputs": 25, "typed_errors": 21, "ok": 4, "untyped_errors": [], "slow": [], "max_seconds": 1.5,
               "peak_rss_bytes": 150 << 20, "peak_rss_ok": True, "outcomes": {"a.docx": "CorruptDocumentError"}}
    doc["suites"]["reliability"] = {
        "method": "each hostile input once.", "params": {"processes": 1}, "failures": {"ctypes": "killed by SIGSEGV"},
        "records": [{"implementation": i, "case": "hostile inputs", **hostile} for i in ("capi", "pyo3")]}
    return doc


def _section(text: str) -> str:
    start = text.index("## Reliability")
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def _rows(section: str, first_header: str = "bridge") -> dict[str, list[str]]:
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("| "):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows[cells[0]] = cells[1:]
    return rows


def test_reliability_table_shows_memcheck_and_soak_per_bridge(document):
    rows = _rows(_section(report.render(document, longrun=longrun.load(LONGRUN))))
    assert list(rows) == ["capi", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes"]
    assert rows["capi"][:6] == ["25", "21 (+4 ok)", "0", "0", "0", "150 MiB"]
    assert rows["ctypes"][3] == "1"  # the crashed worker
    assert rows["capi"][6] == "0 / 0, 0 leaks"
    assert rows["cffi_abi"][6] == "2 / 0, 1 leaks (64 B) ✗"
    assert rows["ctypes"][6] == "not run"
    assert rows["capi"][7] == "0.012 B/iter [-0.05, 0.07] (1,234,567 calls, 10 min)"
    assert rows["cffi_api"][7].endswith("✗")
    assert rows["ctypes"][7] == "error: ctypes/memory killed by SIGKILL"


def test_long_runs_state_their_date_and_commit(document):
    text = _section(report.render(document, longrun=longrun.load(LONGRUN)))
    assert "measured 2026-11-30T09:00:00+00:00 at commit `0123456789ab` on vm, 30 files, valgrind-3.22.0: **FAILED**" in text
    assert "measured 2026-11-30T10:00:00+00:00 at commit `fedcba987654` (dirty tree)" in text
    assert "10 min per bridge, `kreuzberg/fake.docx`" in text


def test_fuzz_table_lists_each_target_with_executions_and_findings(document):
    rows = _rows(_section(report.render(document, longrun=longrun.load(LONGRUN))), "fuzz target")
    assert rows["`extract_docx`"] == ["300", "123,456", "17", "0", "0"]
    assert rows["`extract_pdf`"] == ["300", "4,567", "3", "1: `crash-0a1b2c`", "77"]


def test_a_tool_without_a_record_is_not_run(document):
    text = _section(report.render(document, longrun={}))
    rows = _rows(text)
    assert list(rows) == ["capi", "pyo3", "ctypes"]
    assert all(r[6:] == ["not run", "not run"] for r in rows.values())
    for tool in ("memcheck", "soak", "fuzz"):
        assert f"not run (no `results/reliability/{tool}.json`)" in text
    assert "| fuzz target |" not in text


def test_long_runs_render_without_a_reliability_suite():
    doc = json.loads((FIXTURES / "compare_v1.json").read_text())
    rows = _rows(_section(report.render(doc, longrun=longrun.load(LONGRUN))))
    assert rows["pybind11"][:6] == ["—"] * 6 and rows["pybind11"][6] == "0 / 0, 0 leaks"


def test_report_command_adds_the_records_beside_the_newest_run(tmp_path):
    (tmp_path / "2026-11-29T12-00-00Z-fixture").mkdir()
    shutil.copy(FIXTURES / "compare_v1.json", tmp_path / "2026-11-29T12-00-00Z-fixture" / "compare.json")
    shutil.copytree(LONGRUN, tmp_path / "reliability")
    cli.main(["report", "--out", str(tmp_path)])
    assert "| `extract_pdf` | 300 | 4,567 |" in (tmp_path / "REPORT.md").read_text()


def test_a_record_round_trips_through_its_file(tmp_path):
    doc = longrun.record("soak", {"minutes": 0.1}, {"pyo3": {"passed": True}}, True)
    assert (doc["tool"], doc["schema_version"], doc["passed"]) == ("soak", longrun.SCHEMA_VERSION, True)
    assert doc["commit"] == doc["environment"]["git"]["commit"] and doc["date"] == doc["environment"]["date"]
    assert longrun.write(doc, tmp_path) == tmp_path / "soak.json"
    assert longrun.load(tmp_path) == {"soak": doc}


def test_a_record_of_another_schema_version_is_refused(tmp_path):
    (tmp_path / "fuzz.json").write_text(json.dumps({"schema_version": 99, "tool": "fuzz"}))
    with pytest.raises(ValueError, match="schema_version 99"):
        longrun.load(tmp_path)


def test_an_unknown_tool_is_refused():
    with pytest.raises(ValueError, match="unknown tool"):
        longrun.record("valgrind", {}, {}, True)


_LIBFUZZER_DONE = """INFO: Seed: 1
#2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb
#4096\tpulse  cov: 12 ft: 14 corp: 2/2b exec/s: 2048 rss: 31Mb
Done 5000 runs in 3 second(s)
stat::number_of_executed_units: 5012
stat::average_exec_per_sec:     1670
stat::new_units_added:          7
stat::slowest_unit_time_sec:    0
stat::peak_rss_mb:              41
"""


def test_fuzz_executions_come_from_libfuzzers_final_stats():
    assert fuzz.parse_output(_LIBFUZZER_DONE) == {"executions": 5012, "new_units": 7, "peak_rss_mb": 41}


def test_fuzz_executions_fall_back_to_done_then_the_last_status_line():
    no_stats = _LIBFUZZER_DONE.split("stat::")[0]
    assert fuzz.parse_output(no_stats)["executions"] == 5000
    crashed = no_stats.split("Done")[0] + "==1== ERROR: libFuzzer: deadly signal\n"
    assert fuzz.parse_output(crashed) == {"executions": 4096, "new_units": None, "peak_rss_mb": None}
    assert fuzz.parse_output("")["executions"] is None


def test_fuzz_findings_are_crashes_leaks_ooms_and_timeouts_not_slow_units():
    names = {"crash-1", "slow-unit-2", "oom-3", "timeout-4", "leak-5", "notes.txt"}
    assert fuzz.findings(names) == ["crash-1", "leak-5", "oom-3", "timeout-4"]


def test_soak_outcome_passes_on_a_flat_series_and_fails_on_a_growing_one():
    flat = {"status": "ok", "records": [{"case": "c", "warmup_iterations": 10, "iterations": list(range(0, 1000, 10)),
                                         "rss_bytes": [1 << 20] * 100}]}
    growing = {"status": "ok", "records": [{"case": "c", "warmup_iterations": 10, "iterations": list(range(0, 1000, 10)),
                                            "rss_bytes": [(1 << 20) + 64 * i + (i % 3) for i in range(0, 1000, 10)]}]}
    ok = soak.outcome(flat, 0.5)
    assert ok["passed"] and ok["slope_bytes_per_iter"] == 0 and ok["iterations"] == 990 and ok["points"] == 100
    bad = soak.outcome(growing, 0.5)
    assert not bad["passed"] and bad["slope_bytes_per_iter"] == pytest.approx(64, rel=0.01)


def test_soak_outcome_of_a_bridge_that_did_not_run_is_an_error():
    out = soak.outcome({"status": "not built", "error": "ImportError: x"}, 1.0)
    assert out == {"minutes": 1.0, "passed": False, "error": "ImportError: x"}


def test_merging_a_re_soak_keeps_the_other_bridges_with_their_own_date_and_commit():
    old = longrun.record("soak", {"minutes": 10}, {"pyo3": {"passed": True}, "cffi_api": {"passed": False, "error": "x"}},
                         False)
    old |= {"date": "2026-01-01T00:00:00+00:00", "commit": "a" * 40}
    new = longrun.record("soak", {"minutes": 10}, {"cffi_api": {"passed": True}}, True) | {"commit": "b" * 40}
    merged = longrun.merge(old, new)
    assert merged["passed"] is True and merged["date"] == new["date"]
    new["parameters"] = {"minutes": 10, "jobs": 1}
    merged = longrun.merge(old, new)
    assert merged["outcomes"]["pyo3"] == {"date": old["date"], "commit": "a" * 40, "parameters": {"minutes": 10},
                                          "passed": True}
    assert merged["outcomes"]["cffi_api"] == {"date": new["date"], "commit": "b" * 40,
                                              "parameters": {"minutes": 10, "jobs": 1}, "passed": True}
    assert longrun.merge(None, new) is new
    with pytest.raises(ValueError):
        longrun.merge(old | {"tool": "fuzz"}, new)
    # The report names the date of an outcome measured apart from the record's own.
    soaked = json.loads((LONGRUN / "soak.json").read_text())
    soaked["outcomes"]["capi"] |= {"date": "2026-01-01T00:00:00+00:00", "commit": "c" * 40}
    assert report_reliability.soak_cell(soaked, "capi").endswith(
        "(1,234,567 calls, 10 min, measured 2026-01-01T00:00:00+00:00 at `cccccccccccc`)")
