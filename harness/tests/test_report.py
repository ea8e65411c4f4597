"""The REPORT.md renderer on a fixture compare.json (schema 1): tables, gaps, re-rendering."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import bridgemark
from bridgemark import cli, report, states
from bridgemark.suites.calls import FLOOR_CASE

FIXTURE = Path(__file__).parent / "fixtures" / "compare_v1.json"
IMPLEMENTATIONS = ("capi", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes", "pure_python", "direct_rust")


@pytest.fixture
def document() -> dict:
    return json.loads(FIXTURE.read_text())


def _section(text: str, title: str) -> str:
    """The Markdown of the ``## title…`` section (up to the next ``## ``)."""
    start = text.index("## " + title)
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def _rows(section: str) -> dict[str, list[str]]:
    """Table rows of ``section`` keyed by their first cell."""
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows[1:]}


def test_fixture_is_schema_version_1(document):
    assert document["schema_version"] == 1


def test_industry_table_has_every_bridge_with_claims_and_gaps(document):
    rows = _rows(_section(report.render(document), "(d) Industry table"))
    assert list(rows) == ["capi (floor)", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes", "pure_python",
                          "direct_rust (no bridge)"]
    assert rows["capi (floor)"][1:4] == ["not built"] * 3
    assert rows["cffi_api"][1] == "failed"
    assert rows["pyo3"][-1] == "5–15%" and rows["pybind11"][-1] == "10–20%" and rows["ctypes"][-1] == "20–50%"
    assert rows["pure_python"][-1].startswith("0%")
    assert rows["pyo3"][1].startswith("55.6 ns [") and "(n=6)" in rows["pyo3"][1]
    assert rows["pyo3"][2] == "1.1× [1.1, 1.1]"  # noop in C-API floors, paired
    assert rows["pure_python"][2] == "0.9× [0.9, 0.9]"
    assert rows["direct_rust (no bridge)"][2] == "n/a"  # bridges only
    assert rows["pyo3"][3].startswith("+10% [")


def test_the_floor_table_gives_every_bridge_in_ns_and_in_floors_and_omits_direct_rust(document):
    floor = _section(report.render(document), "Bare-call costs").split("### The bare call in C-API floors")[1]
    rows = _rows(floor)
    assert list(rows) == ["capi (floor)", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes", "pure_python"]
    assert rows["capi (floor)"] == ["not built"] * 6
    assert rows["cffi_api"][0] == "failed"
    # The fixture's two processes per implementation have floors 1.5× apart: one in each state.
    assert rows["ctypes"][2:] == ["+126 ns [100, 152]", "3× [3, 3]", "3× (1) / 3× (1)", "6"]
    assert rows["ctypes"][1] == "63 ns [50.2, 76.1]"  # the floor's noop in ctypes's workers


def test_runs_before_the_floor_case_render_without_its_table_or_column(document):
    document["suites"]["calls"]["records"] = [r for r in document["suites"]["calls"]["records"]
                                              if r["case"] != FLOOR_CASE]
    text = report.render(document)
    assert "### The bare call in C-API floors" not in text and "C-API floors, paired" not in text
    assert len(_rows(_section(text, "(d) Industry table"))["pyo3"]) == 5  # depth, noop, 2 seed files, claim


def test_without_the_floor_every_implementation_says_why_it_has_no_factor(document):
    for r in document["suites"]["calls"]["records"]:
        if r["case"] == FLOOR_CASE and r["implementation"] != "direct_rust":
            impl = r["implementation"]
            r.clear()
            r |= {"implementation": impl, "case": FLOOR_CASE, "error": "ImportError: No module named 'bridgemark_capi'"}
    floor = _section(report.render(document), "Bare-call costs").split("### The bare call in C-API floors")[1]
    assert _rows(floor)["pyo3"] == _rows(floor)["ctypes"] == ["error: ImportError"] * 5
    assert f"`{FLOOR_CASE}`" not in _section(report.render(document), "Bare-call costs").split("###")[0]


def test_every_table_lists_every_implementation(document):
    text = report.render(document)
    for title in ("(b) Memory", "(c) Stress", "Implementations"):
        assert set(_rows(_section(text, title))) == set(IMPLEMENTATIONS), title
    extraction = _section(text, "(a) Time per extraction")
    for seed in ("kreuzberg/fake.docx", "kreuzberg/lorem_ipsum.docx", "generated/paragraphs-1.docx"):
        assert f"### `{seed}` (1000 B)" in extraction
    assert extraction.count("| pybind11 | not built |") == 3


def test_method_and_sample_counts_stand_beside_the_tables(document):
    text = report.render(document)
    for title in ("(a) Time", "(b) Memory", "(c) Stress", "Bare-call"):
        assert "*Method:*" in _section(text, title) and "*Parameters:*" in _section(text, title)
    assert "| 6 (2 proc.) |" in _section(text, "(a) Time")
    assert "percentile bootstrap" in text and "t(0.975, n−2)" in text


def test_memory_section_states_that_the_controls_passed(document):
    section = _section(report.render(document), "(b) Memory")
    assert "Controls passed" in section
    assert _rows(section)["pyo3"][3].startswith("80 B/iter [") and _rows(section)["pyo3"][4] == "LEAK"


def test_a_failed_control_invalidates_the_memory_verdicts(document):
    for rec in document["suites"]["memory"]["records"]:
        if rec["implementation"] == "ctypes" and rec["case"] == "leak:64":
            rec.update(leak=False, control_ok=False)
    assert "Controls FAILED** for ctypes `leak:64`" in report.render(document)


def test_files_that_fail_are_listed_as_errors_not_timed(document):
    rows = _rows(_section(report.render(document), "Every corpus file"))
    assert rows["`poi/truncated62886.docx`"][0] == "error: CorruptDocumentError"


def test_render_skips_suites_that_did_not_run(document):
    del document["suites"]["memory"], document["suites"]["stress"], document["suites"]["extraction"]
    text = report.render(document)
    assert "(b) Memory" not in text and "(a) Time" not in text
    assert _rows(_section(text, "(d) Industry table"))["pyo3"][:2] == ["0 / 0", "55.6 ns [55, 56.1] (n=6)"]


def test_no_nan_or_python_reprs_reach_the_tables(document):
    cells = [c.strip() for line in report.render(document).splitlines() if line.startswith("| ")
             for c in line.split("|")]
    assert not [c for c in cells if re.search(r"\b(nan|None|inf)\b", c)]


@pytest.mark.parametrize("ns, text", [(0.653, "0.653 ns"), (812.0, "812 ns"), (12_345.0, "12.3 µs"),
                                      (4_560_000.0, "4.56 ms"), (123_456_789.0, "123 ms"), (None, "—")])
def test_durations_are_formatted_with_a_readable_unit(ns, text):
    assert report.fmt_ns(ns) == text


def test_report_command_rerenders_the_newest_run_without_measuring(tmp_path):
    for run_id in ("2026-11-28T10-00-00Z-a", "2026-11-29T12-00-00Z-fixture"):
        (tmp_path / run_id).mkdir()
        shutil.copy(FIXTURE, tmp_path / run_id / "compare.json")
    assert report.latest_run(tmp_path).name == "2026-11-29T12-00-00Z-fixture"
    cli.main(["report", "--out", str(tmp_path)])
    text = (tmp_path / "REPORT.md").read_text()
    assert text.startswith(report.render(json.loads(FIXTURE.read_text())))
    figures = re.findall(r"!\[\w+\]\((plots/\w+\.png)\)", text)
    assert figures and all((tmp_path / f).stat().st_size > 0 for f in figures)


def test_latest_run_without_runs_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        report.latest_run(tmp_path)


def test_a_busy_machine_is_flagged_above_the_tables(document):
    assert "Busy machine" not in report.render(document)
    document["environment"]["load_average_1_5_15_min_end"] = [2.9, 2.5, 2.0]
    text = report.render(document)
    assert "**Busy machine:** 1-minute load average 2.9" in text
    assert text.index("Busy machine") < text.index("## Environment")


def test_the_samples_retaken_off_cpu_are_counted_per_suite_and_absent_before_the_rule(document):
    assert "taken again" not in report.render(document)  # the fixture's run predates the on-CPU rule
    body = document["suites"]["extraction"]
    body["params"] |= {"min_on_cpu": 0.95, "max_retakes": 3}
    body["sampling"] = {"samples_kept": 12_345, "samples_retaken": 6, "samples_off_cpu": 0}
    line = next(x for x in report.render(document).splitlines() if x.startswith("- Samples:"))
    assert "at least 95% of its wall time" in line and "at most 3 times" in line
    assert "extraction 12,345 / 6 / 0." in line
    assert "Busy machine" not in report.render(document)
    previous = json.loads(FIXTURE.read_text())
    assert "Every kept sample of this run had its process on a CPU" in report.render(document, previous)
    body["sampling"]["samples_off_cpu"] = 2
    assert "Every kept sample" not in report.render(document, previous)
    assert "**Busy machine:** 2 samples were still off CPU" in report.render(document)


def test_an_interval_shares_the_unit_of_its_widest_bound():
    rec = {"overhead_ns": -371.0, "overhead_ci95_low_ns": -28_097.0, "overhead_ci95_high_ns": 44_394.0}
    assert report.fmt_ns_ci(rec, "overhead", sign=True) == "-0.371 µs [-28.1, 44.4]"


# --------------------------------------------------------------------------- peers and fidelity


def _timing(impl: str, case: str, median: float) -> dict:
    return {"implementation": impl, "case": case, "median_ns": median}


def _peer(impl: str, case: str, ratio: float) -> dict:
    """A peer's pooled record whose pyo3 pairs are `ratio` times faster."""
    return _timing(impl, case, 100.0 * ratio) | {"samples_ns_per_iter": [[100.0 * ratio] * 2],
                                                 "pyo3_samples_ns_per_iter": [[100.0] * 2]}


def test_peer_ratios_are_geometric_means_and_medians_over_files_of_per_file_ratios():
    from bridgemark.suites.extraction import peer_ratios

    pooled = {(i, c): _peer(i, c, r) for i, c, r in [
        ("kreuzberg", "a.docx", 5.0), ("kreuzberg", "b.docx", 40.0), ("kreuzberg", "c.docx", 40.0),
        ("pypdfium2", "x.pdf", 1.0),
    ]}
    pooled["kreuzberg", "x.pdf"] = {"implementation": "kreuzberg", "case": "x.pdf", "error": "E: no"}
    by_key = {(r["implementation"], r["case"]): r for r in peer_ratios(pooled)}
    assert by_key["kreuzberg", "docx files"]["geomean_ratio"] == pytest.approx(20.0)  # (5 · 40 · 40)^(1/3)
    assert by_key["kreuzberg", "docx files"]["median_ratio"] == pytest.approx(40.0)
    assert by_key["kreuzberg", "docx files"]["n_files"] == 3
    assert by_key["pypdfium2", "pdf files"]["median_ratio"] == pytest.approx(1.0)
    assert ("kreuzberg", "pdf files") not in by_key  # its only PDF failed


def test_a_peers_paired_samples_give_its_per_file_ratio_whatever_the_machine_state():
    from bridgemark.suites.extraction import peer_ratios

    # In kreuzberg's worker, pyo3 alternates with it; the machine's speed halves every other
    # pair, kreuzberg stays 10× pyo3 in each pair. pyo3's own workers ran at another speed.
    pooled = {("pyo3", "a.docx"): _timing("pyo3", "a.docx", 50.0),
              ("kreuzberg", "a.docx"): _timing("kreuzberg", "a.docx", 1500.0)
              | {"samples_ns_per_iter": [[1000.0, 2000.0], [1000.0, 2000.0]],
                 "pyo3_samples_ns_per_iter": [[100.0, 200.0], [100.0, 200.0]]}}
    (rec,) = peer_ratios(pooled)
    assert rec["ratios"] == {"a.docx": pytest.approx(10.0)}


def test_fidelity_summary_counts_passed_failed_and_declined_per_kind():
    from bridgemark.suites.fidelity import summarize

    raw = {"pyo3": [[
        {"case": "a::exact", "kind": "exact", "passed": True, "declined": "", "detail": ""},
        {"case": "b::exact", "kind": "exact", "passed": False, "declined": "", "detail": "got x"},
        {"case": "c::words", "kind": "words", "passed": False, "declined": "reason", "detail": ""},
    ]]}
    rows = {r["case"]: r for r in summarize(raw)}
    assert (rows["exact"]["passed"], rows["exact"]["failed"], rows["exact"]["declined"]) == (1, 1, 0)
    assert rows["exact"]["failures"] == [{"case": "b::exact", "detail": "got x"}]
    assert (rows["words"]["passed"], rows["words"]["failed"], rows["words"]["declined"]) == (0, 0, 1)


def test_peer_and_fidelity_sections_render_with_goal_verdicts():
    from bridgemark import report

    doc = {"implementations": {}, "suites": {
        "extraction": {"records": [{"implementation": "kreuzberg", "case": "docx files", "kind": "peer_ratio",
                                    "reference": "pyo3", "method": "m", "geomean_ratio": 12.0,
                                    "geomean_ratio_ci95_low": 9.0, "geomean_ratio_ci95_high": 15.0,
                                    "median_ratio": 11.0, "median_ratio_ci95_low": 8.0,
                                    "median_ratio_ci95_high": 14.0, "n_files": 3}]},
        "fidelity": {"method": "m", "params": {"processes": 1}, "records": [
            {"implementation": "pyo3", "case": "exact", "passed": 2, "failed": 1, "declined": 1,
             "failures": [{"case": "b::exact", "detail": "got x"}]}]},
    }}
    run = report.Run(doc)
    peers = "\n".join(report.section_peers(run))
    assert "| 12× [9, 15] | 11× [8, 14] |" in peers and "| inconclusive |" in peers  # 9 < 10×
    fid = "\n".join(report.section_fidelity(run))
    assert "2/3 (1 declined)" in fid and "`b::exact`: got x" in fid


def test_process_commands_cover_every_bridge_and_the_interpreter_floor(tmp_path):
    from bridgemark.suites import process

    cmds = process.commands(tmp_path / "x.docx")
    for name in bridgemark.BRIDGES + ("pure_python",):
        assert f"{name}: import" in cmds and f"{name}: extract" in cmds
    assert cmds["python: start"].endswith(" -c pass")
    assert cmds["direct_rust: extract"].split()[1:] == ["extract", str(tmp_path / "x.docx")]


def test_process_section_says_why_nothing_was_measured():
    from bridgemark import report

    doc = {"implementations": {}, "suites": {"process": {"method": "m", "params": {}, "records": [],
                                                           "failures": {"hyperfine": "hyperfine not on PATH"}}}}
    assert "Not measured: hyperfine not on PATH." in "\n".join(report.section_process(report.Run(doc)))


def test_goal_verdicts_use_the_whole_interval():
    from bridgemark.report import goal_verdict

    rec = lambda v, lo, hi: {"x": v, "x_ci95_low": lo, "x_ci95_high": hi}  # noqa: E731
    assert goal_verdict(rec(12, 11, 13), "x", at_least=10) == "met"
    assert goal_verdict(rec(12, 9, 13), "x", at_least=10) == "inconclusive"
    assert goal_verdict(rec(8, 7, 9), "x", at_least=10) == "not met"
    assert goal_verdict(rec(2.5, 2, 2.9), "x", at_most=3) == "met"
    assert goal_verdict(rec(4, 3.5, 5), "x", at_most=3) == "not met"
    assert goal_verdict({"x": 2}, "x", at_most=3).startswith("inconclusive")


def test_repeatability_compares_headline_medians_with_the_previous_run():
    doc = json.loads(FIXTURE.read_text())
    before = json.loads(FIXTURE.read_text())
    for r in before["suites"]["calls"]["records"]:
        if r["case"] == "noop" and "median_ns" in r:
            r["median_ns"] *= 2
    text = "\n".join(report.section_repeatability(report.Run(doc), before))
    assert "0.500" in text and "| no |" in text
    assert "No earlier run" in "\n".join(report.section_repeatability(report.Run(doc), None))


def test_repeatability_counts_paired_factors_apart_from_absolute_times():
    def run(pct: float, median: float) -> dict:
        doc = json.loads(FIXTURE.read_text())
        for r in doc["suites"]["extraction"]["records"]:
            if r["implementation"] == "pyo3" and r["case"] == report.SEED_FILES[0]:
                r |= {"overhead_method": "paired", "overhead_pct": pct, "median_ns": median}
        return doc

    # The machine ran 50% slower: the absolute median moves, the paired factor 1.10× → 1.12× does not.
    text = "\n".join(report.section_repeatability(report.Run(run(12.0, 150e3)), run(10.0, 100e3)))
    assert "the machine itself (direct_rust's absolute figures, no bridge) moved by 1.000 … 1.000" in text
    assert "4 of 4 paired figures repeat" in text  # and pyo3, ctypes, pure_python in C-API floors
    assert "**Goal (every paired figure within ±10% of the previous run's): met, 4 of 4.**" in text
    assert f"| extraction `{report.SEED_FILES[0]}` / in-process Rust | pyo3 | 1.100× | 1.120× | 1.018 | yes |" in text
    # The paired factor moved 1.10× → 1.30×: the goal fails on it, whatever the absolute times do.
    text = "\n".join(report.section_repeatability(report.Run(run(30.0, 100e3)), run(10.0, 100e3)))
    assert "**Goal (every paired figure within ±10% of the previous run's): not met, 3 of 4.**" in text


def test_repeatability_counts_the_bare_call_in_floors_as_a_paired_figure():
    def run(pct: float) -> dict:
        doc = json.loads(FIXTURE.read_text())
        for r in doc["suites"]["calls"]["records"]:
            if r["case"] == "noop:floor" and r["implementation"] == "pyo3":
                r["above_floor_pct"] = pct
        return doc

    text = "\n".join(report.section_repeatability(report.Run(run(12.0)), run(10.0)))
    floor_rows = [line for line in text.splitlines() if line.startswith("| calls `noop` / C-API floor's `noop` |")]
    assert [row.rsplit(" | ", 1)[0] for row in floor_rows] == [  # the fixture's Python implementations with
        "| calls `noop` / C-API floor's `noop` | pyo3 | 1.100× | 1.120× | 1.018 | yes",  # a factor; not the floor,
        "| calls `noop` / C-API floor's `noop` | ctypes | 3.000× | 3.000× | 1.000 | yes",  # not direct Rust
        "| calls `noop` / C-API floor's `noop` | pure_python | 0.900× | 0.900× | 1.000 | yes"]


def test_repeatability_says_whether_a_missed_figures_95_intervals_overlap():
    def run(peer: float, spread: float) -> dict:
        doc = json.loads(FIXTURE.read_text())
        doc["suites"]["extraction"]["records"].append(
            {"implementation": "kreuzberg", "case": "docx files", "kind": "peer_ratio", "reference": "pyo3",
             "geomean_ratio": peer, "geomean_ratio_ci95_low": peer / spread, "geomean_ratio_ci95_high": peer * spread})
        return doc

    row = "| peer / pyo3, docx files (geometric mean of per-file ratios) | kreuzberg | 10.000× | 12.000× | 1.200 | no |"
    wide = "\n".join(report.section_repeatability(report.Run(run(12.0, 1.2)), run(10.0, 1.2)))
    assert row + " yes |" in wide  # [8.3, 12] and [10, 14.4]: a miss within the figures' own uncertainty
    assert "of the 1 paired figure outside ±10% with an interval in both runs, 1 has 95% intervals that overlap" in wide
    narrow = "\n".join(report.section_repeatability(report.Run(run(12.0, 1.05)), run(10.0, 1.05)))
    assert row + " no |" in narrow and "0 have 95% intervals that overlap" in narrow


def test_repeatability_counts_the_peer_ratios_and_the_inflate_ratio_as_paired_figures():
    def run(peer: float, inflate: float) -> dict:
        doc = json.loads(FIXTURE.read_text())
        doc["suites"]["extraction"]["records"].append(
            {"implementation": "kreuzberg", "case": "docx files", "kind": "peer_ratio", "reference": "pyo3",
             "geomean_ratio": peer, "geomean_ratio_ci95_low": peer * 0.9, "geomean_ratio_ci95_high": peer * 1.1})
        doc["suites"]["inflate"] = {"method": "m", "params": {}, "failures": {}, "records": [
            {"implementation": "direct_rust", "case": report.INFLATE_GOAL[0], "ratio": inflate}]}
        return doc

    text = "\n".join(report.section_repeatability(report.Run(run(12.0, 2.7)), run(10.0, 2.6)))
    assert "| peer / pyo3, docx files (geometric mean of per-file ratios) | kreuzberg | 10.000× | 12.000× | 1.200 | no |" in text
    assert f"| extract / inflate only, `{report.INFLATE_GOAL[0]}` | direct_rust | 2.600× | 2.700× | 1.038 | yes |" in text


def test_peer_ratios_skip_files_a_peer_does_not_read():
    from bridgemark.suites.extraction import peer_ratios

    pooled = {("pyo3", "a.docx"): _timing("pyo3", "a.docx", 100.0),
              ("pypdfium2", "a.docx"): {"implementation": "pypdfium2", "case": "a.docx", "skipped": "reads .pdf only"}}
    assert peer_ratios(pooled) == []  # regression: a skipped record has no median (KeyError)


# --------------------------------------------------------------------------- several machines


def _machine_run(tmp_path: Path, run_id: str, cpu: str, scale: float, quick: bool = True) -> dict:
    doc = json.loads(FIXTURE.read_text())
    doc["run_id"], doc["quick"] = run_id, quick
    doc["environment"]["cpu_model"] = cpu
    for body in doc["suites"].values():
        for r in body["records"]:
            for key in [k for k in r if k.startswith("median") and k.endswith("_ns") and r[k] is not None]:
                r[key] *= scale
    (tmp_path / run_id).mkdir()
    (tmp_path / run_id / "compare.json").write_text(json.dumps(doc))
    return doc


def test_report_merges_the_newest_run_of_each_machine_one_column_each(tmp_path):
    _machine_run(tmp_path, "2026-11-28T10-00-00Z-alpha", "Old Alpha CPU", 3.0)
    _machine_run(tmp_path, "2026-11-29T10-00-00Z-alpha", "Alpha CPU", 1.0)
    _machine_run(tmp_path, "2026-11-29T11-00-00Z-beta", "Beta CPU", 2.0)
    _machine_run(tmp_path, "2026-11-27T12-00-00Z-gamma", "Gamma CPU (full run)", 5.0, quick=False)
    cli.main(["report", "--out", str(tmp_path)])
    rows = _rows(_section((tmp_path / "REPORT.md").read_text(), "Machines side by side"))
    header = next(line for line in _section((tmp_path / "REPORT.md").read_text(), "Machines side by side")
                  .splitlines() if line.startswith("| figure"))
    assert header == "| figure [95% CI] | `beta` | `alpha` |"  # the reported (newest) run first; no full run
    assert rows["CPU"] == ["Beta CPU", "Alpha CPU"]
    assert rows["calls `noop`: pyo3"][0].startswith("111 ns [")  # 2 × 55.6 ns
    assert rows["calls `noop`: pyo3"][1].startswith("55.6 ns [")
    assert rows["calls `noop`: capi"] == ["—", "—"]  # not built on either machine
    # The factor does not move with the machine's speed (every ns figure was scaled 2×).
    assert rows["calls `noop` in C-API floors (paired): pyo3"] == ["1.1× [1.1, 1.1]"] * 2
    assert rows["worker processes (calls, extraction)"] == ["calls 2; extraction 2"] * 2


def test_one_machine_gives_no_merged_table(tmp_path):
    from bridgemark import machines

    doc = _machine_run(tmp_path, "2026-11-29T10-00-00Z-alpha", "Alpha CPU", 1.0)
    assert machines.section(machines.newest_per_machine(tmp_path, doc)) == []


def test_compare_json_text_is_the_same_json_with_one_record_a_line():
    from bridgemark.cli import _rounded, dumps

    doc = json.loads(FIXTURE.read_text())
    text = dumps(doc)
    assert json.loads(text) == _rounded(doc)
    first = _rounded(doc["suites"]["extraction"]["records"][0])  # depth 4: one compact line, indented 4
    assert "    " + json.dumps(first, separators=(",", ":")) + "," in text.splitlines()
    value = {"records": [{"median_ns": 4406.123456789, "samples": [1.23456789e-3, 52920.04, 2.0, 2, None, "x"]}]}
    text = dumps(value)
    assert json.loads(text) == {"records": [{"median_ns": 4406.1, "samples": [0.0012346, 52920, 2, 2, None, "x"]}]}
    assert "52920," in text and "52920.0" not in text and "2.0" not in text  # whole values as integers
    with pytest.raises(ValueError):
        dumps({"x": [float("nan")]})


def test_repeatability_says_how_many_processes_headline_cases_took_only_when_more_than_the_rest():
    doc = json.loads(FIXTURE.read_text())
    assert "headline cases" not in "\n".join(report.section_repeatability(report.Run(doc), doc))
    doc["suites"]["calls"]["params"] |= {"processes": 2, "headline_processes": 2}
    assert "headline cases" not in "\n".join(report.section_repeatability(report.Run(doc), doc))
    before = json.loads(json.dumps(doc))
    doc["suites"]["calls"]["params"] |= {"processes": 2, "headline_processes": 8}
    text = "\n".join(report.section_repeatability(report.Run(doc), before))
    assert "take more processes — calls 8 (other cases 2); extraction " in text
    assert "in the previous run: calls 2; extraction " in text
    doc["suites"]["extraction"]["params"] |= {"processes": 2, "headline_processes": 8,
                                              "pure_python_headline_processes": 32}
    text = "\n".join(report.section_repeatability(report.Run(doc), before))
    assert "extraction 8 (other cases 2), pure_python's 32" in text


# --------------------------------------------------------------------------- speed states


def _floor_record(impl: str, floors: list[float], factors: list[float]) -> dict:
    """A noop:floor record with one process per floor median (3 pairs each) and its factor."""
    return {"implementation": impl, "case": FLOOR_CASE, "above_floor_pct": 0.0, "above_floor_ns": 0.0,
            "median_ns": 100.0, "capi_median_ns": 40.0, "n": 3 * len(floors),
            "capi_samples_ns_per_iter": [[f] * 3 for f in floors],
            "samples_ns_per_iter": [[f * k] * 3 for f, k in zip(floors, factors)]}


def test_otsu_splits_two_clusters_of_floor_medians_and_not_one():
    assert states.two_class_split([33, 34, 35, 50, 51, 52])[:2] == (42.5, 34)
    faster = states.floor_states([_floor_record("pyo3", [33, 34, 35, 50, 51, 52], [1.0] * 6)])
    assert (faster.threshold_ns, faster.n_faster, faster.n_slower, faster.state(40)) == (42.5, 3, 3, "faster")
    assert states.floor_states([_floor_record("pyo3", [48, 49, 50, 51, 52], [1.0] * 5)]) is None  # 1.06 apart
    assert states.two_class_split([40.0, 40.0]) is None


def test_a_factor_is_taken_per_state_with_its_processes():
    split = states.floor_states([_floor_record("capi", [33, 34, 50, 51], [1.0] * 4)])
    per = states.factor_by_state(_floor_record("cffi_abi", [33, 50, 51], [4.0, 4.8, 4.8]), split)
    assert per == {"faster": (pytest.approx(4.0), 1), "slower": (pytest.approx(4.8), 2)}


def test_repeatability_compares_the_bare_call_in_floors_within_a_state_when_the_share_of_states_moved():
    def run(floors: list[float], factors: list[float]) -> dict:
        doc = json.loads(FIXTURE.read_text())
        doc["suites"]["calls"]["records"] = [
            r for r in doc["suites"]["calls"]["records"] if r["case"] != FLOOR_CASE] + [
            _floor_record("capi", floors, [1.0] * len(floors)), _floor_record("ctypes", floors, factors)]
        return doc

    # Before: 1 of 4 processes in the faster state (4.0×), 3 in the slower (4.8×); now 3 of 4 faster.
    before, now = run([33, 50, 51, 52], [4.0, 4.8, 4.8, 4.8]), run([33, 34, 35, 51], [4.0, 4.0, 4.0, 4.8])
    text = "\n".join(report.section_repeatability(report.Run(now), before))
    # The slower state has 3 and 1 processes, the faster 1 and 3: neither state can be compared,
    # so the pooled factor is; with 3 in the slower state in both runs it is compared there.
    assert "| calls `noop` / C-API floor's `noop` | ctypes |" in text
    now = run([33, 50, 51, 52], [4.0, 4.7, 4.7, 4.7])
    text = "\n".join(report.section_repeatability(report.Run(now), before))
    assert "| calls `noop` / C-API floor's `noop`, slower state | ctypes | 4.800× | 4.700× | 0.979 | yes |" in text
    floor = "\n".join(report.section_floor(report.Run(now)))
    assert "2 faster (mean 33 ns) and 6 slower" in floor and "| 4× (1) / 4.7× (3) |" in floor
