"""REPORT.md, rendered from one compare.json alone (no measuring, no statistics).

:func:`render` turns the document into Markdown: (a) time per extraction call with
overhead vs direct Rust, (b) memory growth with the leak control, (c) the stress run,
(d) the industry table, then the bare-call costs, every corpus file, and the method.
Every implementation appears in every table; one that did not build says "not built".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from bridgemark import states, suites
from bridgemark.corpus import SEED_FILES
from bridgemark.registry import FLOOR, PEERS
from bridgemark.suites.calls import FLOOR_CASE

#: The seed report's claimed overhead ranges (source: the seed report this project reproduces).
SEED_CLAIMS: dict[str, str] = {"pyo3": "5–15%", "pybind11": "10–20%", "ctypes": "20–50%", "pure_python": "0% (“baseline”)"}
#: Row labels of the industry table.
ROLE: dict[str, str] = {"capi": "capi (floor)", "direct_rust": "direct_rust (no bridge)"}
DASH = "—"
#: A 1-minute load average above this (one busy worker + half a core of other work) marks a busy machine.
BUSY_LOAD_AVERAGE = 1.5


def latest_run(results_dir: Path) -> Path:
    """The newest ``<results_dir>/<run-id>/`` holding a compare.json (run ids sort by time).

    Raises:
        FileNotFoundError: no run exists.
    """
    runs = sorted(p.parent for p in Path(results_dir).glob("*/compare.json"))
    if not runs:
        raise FileNotFoundError(f"no run in {results_dir} (run `python -m bridgemark compare` first)")
    return runs[-1]


def previous_run(results_dir: Path, document: dict[str, Any]) -> dict[str, Any] | None:
    """The newest other full run in ``results_dir`` from the same host as ``document``
    (run ids end with the host name), or ``None``."""
    host = document["run_id"].split("Z-", 1)[-1]
    for path in sorted(Path(results_dir).glob("*/compare.json"), reverse=True):
        if path.parent.name != document["run_id"] and path.parent.name.endswith(f"Z-{host}"):
            other = json.loads(path.read_text())
            if other.get("quick") == document.get("quick"):
                return other
    return None


def write(document: dict[str, Any], path: Path) -> None:
    """Renders ``document`` (a compare.json object) into ``path`` and its figures into
    ``<path's folder>/plots/``; compares it with the previous run of the same host found
    beside it (:func:`previous_run`); adds the long runs' records of
    ``<path's folder>/reliability/`` (:mod:`bridgemark.longrun`) and, when runs of other
    machines lie beside it, the machines-side-by-side table (:mod:`bridgemark.machines`)."""
    from bridgemark import longrun, machines, plots

    results = Path(path).parent
    figures = plots.draw(document, results / "plots")
    text = render(document, previous_run(results, document), longrun.load(results / "reliability"))
    text += "\n".join(machines.section(machines.newest_per_machine(results, document)))
    if figures:
        text += "\n## Figures\n\n" + "\n".join(f"![{f.stem}](plots/{f.name})" for f in figures) + "\n"
    Path(path).write_text(text)


# --------------------------------------------------------------------------- formatting


def fmt_num(v: float, sign: bool = False) -> str:
    """3 significant digits without exponent: ``0.653``, ``12.3``, ``1,234``; ``+`` when ``sign``."""
    plus = "+" if sign else ""
    return f"{v:{plus},.0f}" if abs(v) >= 100 else f"{v:{plus}.3g}"


def _time_unit(ns: float) -> tuple[float, str]:
    return next((scale, unit) for scale, unit in ((1e6, "ms"), (1e3, "µs"), (1.0, "ns")) if abs(ns) >= scale or scale == 1)


def fmt_ns(ns: float | None, sign: bool = False) -> str:
    """Formats a duration in ns with a readable unit: ``812 ns``, ``12.3 µs``, ``+4.56 ms``."""
    if ns is None:
        return DASH
    scale, unit = _time_unit(ns)
    return f"{fmt_num(ns / scale, sign)} {unit}"


def fmt_ns_ci(rec: dict, name: str, sign: bool = False) -> str:
    """``12.3 µs [12.1, 12.6]``: the ``{name}_ns`` field and its ci95 bounds in one unit (the
    unit of the largest of the three, so ``-0.371 µs [-28.1, 44.4]``, never ``[-28,097, …] ns``)."""
    v = rec.get(f"{name}_ns")
    if v is None:
        return DASH
    bounds = [rec.get(f"{name}_ci95_{side}_ns") for side in ("low", "high")]
    scale, unit = _time_unit(max(abs(x) for x in (v, *bounds) if x is not None))
    ci = ", ".join(DASH if b is None else fmt_num(b / scale) for b in bounds)
    return f"{fmt_num(v / scale, sign)} {unit} [{ci}]"


def fmt_ci(rec: dict, name: str, unit: str, suffix: str = "", sign: bool = False) -> str:
    """``+5.2% [3.1, 7.4]``-style: field ``{name}_{unit}`` with its ci95 bounds."""
    v = rec.get(f"{name}_{unit}")
    if v is None:
        return DASH
    bounds = [rec.get(f"{name}_ci95_{side}_{unit}") for side in ("low", "high")]
    ci = ", ".join(DASH if b is None else fmt_num(b) for b in bounds)
    return f"{fmt_num(v, sign)}{suffix} [{ci}]"


def fmt_ratio(rec: dict, name: str) -> str:
    """``rec[name]`` as a ratio with its interval when there is one: ``12.3× [9.1, 15]``."""
    low, high = rec.get(f"{name}_ci95_low"), rec.get(f"{name}_ci95_high")
    value = f"{rec[name]:.3g}×"
    return value if low is None or high is None else f"{value} [{low:.3g}, {high:.3g}]"


def fmt_factor(rec: dict, name: str) -> str:
    """A paired relative difference ``{name}_pct`` (+ ci95) as a factor: ``+14%`` → ``1.14× [1.12, 1.16]``."""
    v = rec.get(f"{name}_pct")
    if v is None:
        return DASH
    bounds = [rec.get(f"{name}_ci95_{side}_pct") for side in ("low", "high")]
    ci = ", ".join(DASH if b is None else f"{1 + b / 100:.3g}" for b in bounds)
    return f"{1 + v / 100:.3g}× [{ci}]"


def fmt_bytes(n: float | None) -> str:
    """``12.3 MiB``-style binary units."""
    if n is None:
        return DASH
    for scale, unit in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if abs(n) >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n:.0f} B"


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- lookups


class Run:
    """Read access to a compare.json document: records by (suite, implementation, case)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.implementations: dict[str, dict] = document["implementations"]
        #: The implementations with probes (bridges, pure_python, direct_rust): peers excluded.
        self.bridges: list[str] = [i for i in self.implementations if i not in PEERS]
        self._records = {
            (suite, r["implementation"], r["case"]): r
            for suite, body in document["suites"].items()
            for r in body["records"]
        }

    def suite(self, name: str) -> dict | None:
        return self.doc["suites"].get(name)

    def unavailable(self, impl: str) -> str | None:
        """``"not built"``/``"failed"`` when ``impl`` has no measurements, else ``None``."""
        status = self.implementations.get(impl, {}).get("status", "not measured")
        return None if status == "ok" else status

    def cell(self, suite: str, impl: str, case: str, fmt) -> str:
        """``fmt(record)`` for one table cell, or why there is none."""
        if (why := self.unavailable(impl)) is not None:
            return why
        if suite not in self.doc["suites"]:
            return DASH
        if impl in self.doc["suites"][suite].get("failures", {}):
            return "failed"
        rec = self._records.get((suite, impl, case))
        if rec is None:
            return DASH
        if "error" in rec:
            return "error: " + rec["error"].split(":")[0]
        if "skipped" in rec:
            return "n/a"
        return fmt(rec)

    def cases(self, suite: str) -> list[str]:
        """Cases measured by ``suite`` (derived records such as peer ratios excluded)."""
        body = self.suite(suite)
        return list(dict.fromkeys(r["case"] for r in body["records"] if "kind" not in r)) if body else []


def _params(run: Run, suite: str) -> str:
    p = run.suite(suite)["params"]
    return ", ".join(f"{k}={v:,}" for k, v in p.items())


def _method(run: Run, suite: str) -> str:
    return f"*Method:* {run.suite(suite)['method']} *Parameters:* {_params(run, suite)}."


# --------------------------------------------------------------------------- sections


def section_extraction(run: Run) -> list[str]:
    out = ["## (a) Time per extraction call, overhead vs direct Rust", "", _method(run, "extraction"), "",
           "`in-process Rust`: the core's own loop timed in Rust inside that implementation's worker, "
           "alternating with its samples; the overhead is paired against it. `direct_rust`: the same loop "
           "in a process of its own (no interpreter).", ""]
    files = run.cases("extraction")
    headline = [f for f in SEED_FILES if f in files] + [f for f in files if f.startswith("generated/")]
    for case in headline:
        rows = [[impl,
                 run.cell("extraction", impl, case, lambda r: fmt_ns_ci(r, "median")),
                 run.cell("extraction", impl, case, lambda r: f"{r['n']} ({r['n_processes']} proc.)"),
                 run.cell("extraction", impl, case, lambda r: fmt_ns_ci(r, "rust_median")),
                 run.cell("extraction", impl, case, lambda r: fmt_ns_ci(r, "overhead", sign=True)),
                 run.cell("extraction", impl, case, lambda r: fmt_ci(r, "overhead", "pct", "%", sign=True))]
                for impl in run.implementations]
        size = run.doc["files"].get(case, {}).get("bytes")
        out += [f"### `{case}` ({fmt_bytes(size)})", "", table(["implementation", "median per call [95% CI]", "n",
                                            "in-process Rust median [95% CI]", "overhead, paired [95% CI]",
                                            "overhead % [95% CI]"], rows), ""]
    return out


def section_memory(run: Run) -> list[str]:
    cases = run.cases("memory")
    cols = [
        ("slope [95% CI]", lambda r: fmt_ci(r, "slope", "bytes_per_iter", " B/iter")),
        ("verdict", lambda r: ("LEAK" if r["leak"] else "no leak") + ("" if r["control_ok"] else " ✗ control failed")),
        ("calls (RSS points)", lambda r: f"{r['iterations']:,} ({r['n']})"),
    ]
    rows = [[impl] + [run.cell("memory", impl, c, f) for c in cases for _, f in cols] for impl in run.bridges]
    header = ["implementation"] + [f"`{c}` {h}" for c in cases for h, _ in cols]
    failed = [r for r in run.suite("memory")["records"] if "control_ok" in r and not r["control_ok"]]
    status = ("**Controls passed: every leak probe flagged, every clean path clean.**" if not failed else
              "**Controls FAILED** for " + ", ".join(f"{r['implementation']} `{r['case']}`" for r in failed)
              + ": this run's memory verdicts are not valid.")
    return ["## (b) Memory growth per iteration", "", _method(run, "memory"), "", table(header, rows), "",
            *section_heap(run, cases), status, ""]


def section_heap(run: Run, cases: list[str]) -> list[str]:
    """The Python-heap (tracemalloc) slopes beside the RSS ones, with the verdict rule; empty for
    runs without them."""
    records = run.suite("memory")["records"]
    margin = next((r["margin_bytes_per_iter"] for r in records if "margin_bytes_per_iter" in r), None)
    minimum = next((r["heap_min_iterations"] for r in records if "heap_min_iterations" in r), None)
    if margin is None or minimum is None:
        return []
    cols = [
        ("Python heap slope [95% CI]", lambda r: DASH if "heap_slope_bytes_per_iter" not in r else
         fmt_ci(r, "heap_slope", "bytes_per_iter", " B/iter")),
        ("verdict (calls, points)", lambda r: DASH if "heap_verdict" not in r else
         {"leak": "LEAK"}.get(r["heap_verdict"], r["heap_verdict"]) + f" ({r['heap_iterations']:,}, {r['heap_n']})"),
    ]
    rows = [[impl] + [run.cell("memory", impl, c, f) for c in cases for _, f in cols] for impl in run.bridges]
    return ["Python heap (tracemalloc), the same calls after the RSS series. Verdict rule, RSS and Python heap "
            f"alike: *leak* when the slope's 95% lower bound exceeds {margin:g} B/iter; for the Python heap, "
            f"*not resolved* when the series has fewer than {minimum:,} calls (a one-off "
            f"allocation after the warm-up would pass for a slope) or its interval's half-width exceeds "
            f"{margin:g} B/iter. RSS counts every "
            "allocator (Rust, C, Python), tracemalloc only Python's: a leak in RSS with a flat Python heap is "
            "native memory (the leak control is one), Python-heap growth names Python objects kept alive. "
            "`direct_rust` has no Python heap.", "",
            table(["implementation"] + [f"`{c}` {h}" for c in cases for h, _ in cols], rows), ""]


def section_stress(run: Run) -> list[str]:
    c = "corpus"
    cols = [
        ("duration", lambda r: f"{r['duration_s']:.1f} s"),
        ("files (excluded)", lambda r: f"{r['files']} ({len(r['excluded'])})"),
        ("iterations", lambda r: f"{r['iterations']:,}"),
        ("rate, calls/s [95% CI] (n windows)", lambda r: fmt_ci(r, "rate", "per_s") + f" ({r['n']})"),
        ("errors", lambda r: f"{r['errors']:,}"),
        ("RSS start → end", lambda r: f"{fmt_bytes(r['rss_start_bytes'])} → {fmt_bytes(r['rss_end_bytes'])}"),
        ("RSS growth", lambda r: fmt_bytes(r["rss_growth_bytes"])),
        ("RSS slope [95% CI]", lambda r: fmt_ci(r, "slope", "bytes_per_iter", " B/iter")),
    ]
    rows = [[impl] + [run.cell("stress", impl, c, f) for _, f in cols] for impl in run.bridges]
    return ["## (c) Stress run", "", _method(run, "stress"), "",
            table(["implementation"] + [h for h, _ in cols], rows), ""]


def section_industry(run: Run) -> list[str]:
    seeds = [f for f in SEED_FILES if f in run.cases("extraction")]
    floors = FLOOR_CASE in run.cases("calls")  # runs before the case existed lack the column
    rows = []
    for impl in run.bridges:
        info = run.implementations[impl]
        depth = DASH if impl == "direct_rust" else "{} / {}".format(*info["wrapper_depth"])
        noop = run.cell("calls", impl, "noop", lambda r: fmt_ns_ci(r, "median") + f" (n={r['n']})")
        floor = [run.cell("calls", impl, FLOOR_CASE, lambda r: fmt_factor(r, "above_floor"))] if floors else []
        over = [run.cell("extraction", impl, f, lambda r: DASH if "overhead_pct" not in r else
                         fmt_ci(r, "overhead", "pct", "%", sign=True) + f" ({fmt_ns(r['overhead_ns'], True)})")
                for f in seeds]
        rows.append([ROLE.get(impl, impl), depth, noop, *floor, *over, SEED_CLAIMS.get(impl, DASH)])
    header = ["bridge", "wrapper depth (probes / extraction)", "fixed call cost: noop median [95% CI]",
              *(["noop in C-API floors, paired [95% CI]"] if floors else []),
              *[f"overhead on `{f}` [95% CI]" for f in seeds], "seed report's claim"]
    return ["## (d) Industry table", "",
            "Fixed call cost: the `noop` probe from the calls suite (includes the harness loop, see `loop` below); "
            "in C-API floors: the same call / the C-API floor's `noop` in the same worker, sample for sample, "
            "both in the timing loop (`noop:floor`: it largely cancels the machine's speed state of the moment; "
            "capi's own row pairs the floor with itself: 1× within its interval when the pairing is fair). "
            "Overhead: median over pairs of (bridge − the core's own loop in the bridge's process) on the same "
            "file, % of that loop (ns in parentheses), from (a). Claims: the seed report this project reproduces; it gave no source.", "",
            table(header, rows), ""]


def section_calls(run: Run) -> list[str]:
    impls = run.bridges
    rows = [[f"`{c}`"] + [run.cell("calls", i, c, lambda r: fmt_ns_ci(r, "median")) for i in impls]
            for c in run.cases("calls") if c != FLOOR_CASE]  # that one has its own table below
    n = {r["n"] for r in run.suite("calls")["records"] if "n" in r}
    return ["## Bare-call costs (probes)", "", _method(run, "calls") + f" n per figure: {', '.join(map(str, sorted(n)))}.",
            "", table(["case"] + impls, rows), ""] + section_floor(run)


def section_floor(run: Run) -> list[str]:
    """The bare call of every implementation against the C-API floor's, paired in its worker."""
    if FLOOR_CASE not in run.cases("calls"):  # runs before the case existed
        return []
    impls = [i for i in run.bridges if i != "direct_rust"]  # no interpreter, no floor to pair with
    cols = [("noop median [95% CI]", lambda r: fmt_ns_ci(r, "median")),
            ("C-API floor's noop, same worker", lambda r: fmt_ns_ci(r, f"{FLOOR}_median")),
            ("above the floor, paired", lambda r: fmt_ns_ci(r, "above_floor", sign=True)),
            ("in C-API floors, paired", lambda r: fmt_factor(r, "above_floor")),
            ("n pairs", lambda r: str(r["n"]))]
    split = floor_states(run)
    if split is not None:
        cols.insert(4, ("in floors per state: faster / slower (processes)", lambda r: _by_state(r, split)))
    rows = [[ROLE.get(i, i)] + [run.cell("calls", i, FLOOR_CASE, f) for _, f in cols] for i in impls]
    return ["### The bare call in C-API floors", "",
            "`noop:floor`: each sample of the implementation's `noop` alternates (ABBA) with a sample of the "
            "C-API floor's `noop` (a hand-written METH_NOARGS function, the least a Python→native call can cost) "
            "in the same worker; figures are medians over pairs. Both calls run in the timing loop (`loop` above), "
            "so the factor is (loop + noop) / (loop + floor) and the difference in ns cancels the loop exactly. A "
            "bare call takes tens of ns, and on a shared machine the ns move with its state (frequency, a "
            "neighbour's cache traffic) by up to 2× between processes minutes apart; both calls of a pair move "
            "alike as far as the state slows them alike, so the factor repeats where the ns do not (see "
            "*Repeatability*). capi's row pairs the floor with itself: 1× within its interval when the pairing is fair."
            + _states_prose(split), "",
            table(["implementation"] + [h for h, _ in cols], rows), ""]


def floor_states(run: Run) -> states.States | None:
    """The run's two speed states from its ``noop:floor`` records (:func:`bridgemark.states.floor_states`)."""
    return states.floor_states([r for r in (run.suite("calls") or {"records": []})["records"]
                                if r["case"] == FLOOR_CASE and "capi_samples_ns_per_iter" in r])


def _by_state(record: dict, split: states.States) -> str:
    """``1.13× (5) / 1.15× (3)``: a ``noop:floor`` record's factor in each state, with its processes."""
    if "capi_samples_ns_per_iter" not in record:
        return DASH
    per = states.factor_by_state(record, split)
    return " / ".join(f"{per[s][0]:.3g}× ({per[s][1]})" if s in per else DASH for s in states.STATES)


def _states_prose(split: states.States | None) -> str:
    """The sentence on the run's speed states (``""`` when its processes form one)."""
    if split is None:
        return ""
    return (f" The worker processes fall into two speed states of the machine by the floor's own median: "
            f"{split.n_faster} faster (mean {fmt_ns(split.faster_ns)}) and {split.n_slower} slower (mean "
            f"{fmt_ns(split.slower_ns)}), split at {fmt_ns(split.threshold_ns)} (Otsu's two-class split over "
            "every implementation's processes). A state does not slow unlike calls alike, so a factor differs "
            "between states and the pooled one moves with the share of processes in each; *Repeatability* "
            "compares the factor within a state.")


def section_process(run: Run) -> list[str]:
    body = run.suite("process")
    if not body:
        return []
    if not body["records"]:
        return ["## Whole processes (hyperfine)", "", f"Not measured: {'; '.join(body['failures'].values())}.", ""]
    rows = [[r["implementation"], f"`{r['case']}`", fmt_ns_ci(r, "median"), str(r["n"])] for r in body["records"]]
    return ["## Whole processes (hyperfine)", "", _method(run, "process"),
            f"Raw hyperfine JSON: `results/{run.doc['run_id']}/hyperfine.json`.", "",
            table(["implementation", "command", "wall time, median [95% CI]", "n runs"], rows), ""]


def section_controls(run: Run) -> list[str]:
    """The harness's own controls: a known leak must be caught, a known delay measured."""
    checks = []
    memory, calls = run.suite("memory"), run.suite("calls")
    if memory:
        bad = [f"{r['implementation']} `{r['case']}`" for r in memory["records"] if r.get("control_ok") is False]
        checks.append(("leak control: leak(64) flagged, clean extraction not flagged, every implementation",
                       "failed: " + ", ".join(bad) if bad else "passed"))
    if calls:
        spins = [r for r in calls["records"] if r["case"].startswith("spin:") and "control_ok" in r]
        bad = [f"{r['implementation']} ({fmt_ns(r['median_ns'])})" for r in spins if not r["control_ok"]]
        if spins:
            checks.append((f"timing control: `{spins[0]['case']}` measures its ns ± 5%, every implementation",
                           "failed: " + ", ".join(bad) if bad else "passed"))
    if not checks:
        return []
    valid = all(v == "passed" for _, v in checks)
    return ["## Controls", "", table(["control", "result"], [[c, v] for c, v in checks]), "",
            "**This run is valid: every control passed.**" if valid else
            "**This run is INVALID: a control failed; its figures must not be published.**", ""]


def section_threads(run: Run) -> list[str]:
    body = run.suite("threads")
    if not body:
        return []
    cases = run.cases("threads")
    cols = [
        ("1 thread, calls/s", lambda r: fmt_num(r["calls_per_s_1_thread"])),
        ("2 threads, calls/s", lambda r: fmt_num(r["calls_per_s_2_threads"])),
        ("scaling [95% CI]", lambda r: fmt_ratio(r, "scaling")),
    ]
    impls = list(dict.fromkeys(r["implementation"] for r in body["records"]))
    rows = []
    for impl in impls:
        for c in cases:
            cells = [run.cell("threads", impl, c, f) for _, f in cols]
            gil = run.cell("threads", impl, c, lambda r: DASH if "releases_gil" not in r else
                           ("yes" if r["releases_gil"] else "no"))
            rows.append([impl, f"`{c}`", *cells, gil])
    return ["## Threads: is the GIL released?", "", _method(run, "threads"), "",
            table(["implementation", "case"] + [h for h, _ in cols] + ["releases the GIL (from spin)"], rows), ""]


def _pct_interval(r: dict) -> tuple[float, float] | None:
    low, high = r.get("overhead_ci95_low_pct"), r.get("overhead_ci95_high_pct")
    return None if low is None or high is None else (low, high)


def section_claims(run: Run) -> list[str]:
    """The seed report's claims, each confirmed, refuted or not applicable from this run."""
    ext, mem = run.suite("extraction"), run.suite("memory")
    if not ext:
        return []
    recs = {(r["implementation"], r["case"]): r for r in ext["records"]}
    seeds = [f for f in SEED_FILES if f in run.cases("extraction")]
    rows = []

    def overlap(impl: str, lo: float, hi: float, claim: str) -> None:
        for f in seeds:
            r = recs.get((impl, f), {})
            iv = _pct_interval(r)
            if iv is None:
                rows.append([claim, f"`{f}`", "not measured", "not applicable"])
                continue
            verdict = "consistent" if iv[0] <= hi and iv[1] >= lo else "refuted"
            rows.append([claim, f"`{f}`", f"{r['overhead_pct']:+.3g}% [{iv[0]:+.3g}, {iv[1]:+.3g}]", verdict])

    overlap("pyo3", 6, 6, "PyO3 overhead ~6%")
    for f in seeds:
        r = recs.get(("pyo3", f), {})
        if "overhead_ns" in r and r.get("overhead_ci95_low_ns") is not None:
            lo, hi = r["overhead_ci95_low_ns"], r["overhead_ci95_high_ns"]
            rows.append(["\"1 ms\" difference (PyO3 vs direct)", f"`{f}`",
                         f"{fmt_ns(r['overhead_ns'], True)} [{fmt_ns(lo, True)}, {fmt_ns(hi, True)}]",
                         "consistent" if lo <= 1e6 <= hi else "refuted"])
    overlap("pyo3", 5, 15, "PyO3 5–15%")
    overlap("pybind11", 10, 20, "pybind11 10–20%")
    overlap("ctypes", 20, 50, "ctypes 20–50%")
    for f in seeds:
        r = recs.get(("pure_python", f), {})
        if "overhead_pct" in r:
            rows.append(["pure Python \"0% baseline\"", f"`{f}`", f"{r['overhead_pct']:+.3g}% vs direct Rust",
                         "refuted" if (_pct_interval(r) or (0, 0))[0] > 0 else "consistent"])
    if mem:
        for r in mem["records"]:
            if r["implementation"] == "pyo3" and r["case"].startswith("extract_file:") and "slope_bytes_per_iter" in r:
                slope = fmt_ci(r, "slope", "bytes_per_iter", " B/iter")
                rows.append(["1.22 KB/iter leak \"acceptable\"", f"`{r['case']}`", slope,
                             "refuted: no leak detected" if not r["leak"] else "leak detected (see (b))"])
                high = r.get("slope_ci95_high_bytes_per_iter")
                rows.append(["~22 h to leak 1 GB", f"`{r['case']}`", slope,
                             "not applicable: no leak to extrapolate" if not r["leak"] else
                             f"at the CI's upper bound, 1 GB takes {1e9 / max(high, 1e-9):,.0f} calls"])
    return ["## The seed report's claims, point by point", "",
            "Each claim checked against this run: an overhead claim is *consistent* when this run's 95% interval "
            "overlaps the claimed value or range, *refuted* otherwise. The seed's 1.22 KB/iter was an RSS difference "
            "over 50 iterations, not a slope; the memory figures here are slopes with intervals (b).", "",
            table(["claim", "measured on", "this run", "verdict"], rows), ""]


def section_all_files(run: Run) -> list[str]:
    impls = [i for i in run.implementations if i != "direct_rust"]
    rows = [[f"`{c}`", run.cell("extraction", "direct_rust", c, lambda r: fmt_ns_ci(r, "median"))]
            + [run.cell("extraction", i, c, lambda r: fmt_ci(r, "overhead", "pct", "%", sign=True)) for i in impls]
            for c in run.cases("extraction")]
    return ["## Every corpus file: overhead % vs direct Rust [95% CI]", "",
            "Same measurements as (a): paired against the core's own loop in each worker's process; `direct_rust` "
            "is that loop in a process of its own. `error: …`: the file fails to extract (expected for the corpus's "
            "broken files); it is not timed.", "", table(["file", "direct_rust median [95% CI]"] + impls, rows), ""]


#: Issue 3's speed goals: peer time / bridgemark time at least this (source: the project's issue #3).
PEER_GOALS: dict[tuple[str, str], tuple[float, str]] = {
    ("kreuzberg", "docx files"): (10.0, "≥ 10× over the corpus's DOCX files"),
    ("pypdfium2", "pdf files"): (1 / 1.1, "bridgemark ≤ 1.1× pypdfium2, i.e. ratio ≥ 0.91"),
}


def goal_verdict(rec: dict, name: str, *, at_least: float | None = None, at_most: float | None = None) -> str:
    """"met" when the whole 95% interval of ``rec[name]`` meets the goal, "not met" when none of
    it does, else "inconclusive" (also when there is no interval, e.g. one file)."""
    low, high = rec.get(f"{name}_ci95_low"), rec.get(f"{name}_ci95_high")
    if low is None or high is None:
        return "inconclusive (no interval)"
    if at_least is not None:
        return "met" if low >= at_least else "not met" if high < at_least else "inconclusive"
    return "met" if high <= at_most else "not met" if low > at_most else "inconclusive"


#: Issue 3's goal for the core against inflating alone (source: the project's issue #3).
INFLATE_GOAL = ("unstructured/handbook-872p.docx", 3.0)


def section_peers(run: Run) -> list[str]:
    body = run.suite("extraction")
    ratios = [r for r in body["records"] if r.get("kind") == "peer_ratio"] if body else []
    if not ratios:
        return []
    rows = []
    for r in ratios:
        goal, text = PEER_GOALS.get((r["implementation"], r["case"]), (None, DASH))
        verdict = DASH if goal is None else goal_verdict(r, "geomean_ratio", at_least=goal)
        rows.append([r["implementation"], r["case"], fmt_ratio(r, "geomean_ratio"), fmt_ratio(r, "median_ratio"),
                     str(r["n_files"]), text, verdict])
    return ["## Peers: time per file against bridgemark", "",
            f"*Method:* {'; '.join(dict.fromkeys(r['method'] for r in ratios))}; > 1: bridgemark (through "
            f"`{ratios[0]['reference']}`) is faster. Pairing both in the peer's process cancels the speed state of "
            "the machine, which moves every absolute time of (a) by up to 1.5× between processes here. "
            "The headline is the geometric mean of the per-file ratios, the summary of normalised figures "
            "(Fleming & Wallace, CACM 1986); their median, beside it, follows the few files in the middle. "
            "Verdict, on the geometric mean: *met* when the whole interval meets the goal, *not met* when none of "
            "it does.", "",
            table(["peer", "files", "geometric mean ratio [95% CI]", "median ratio [95% CI]", "n files", "goal",
                   "verdict"], rows), ""]


def section_inflate(run: Run) -> list[str]:
    body = run.suite("inflate")
    if not body or not body["records"]:
        return []
    rows = [[f"`{r['case']}`", "error: " + r["error"] if "error" in r else fmt_ns(r["extract_median_ns"]),
             DASH if "error" in r else fmt_ns(r["inflate_median_ns"]),
             DASH if "error" in r else fmt_ratio(r, "ratio"),
             DASH if "error" in r else str(r["n"]),
             goal_verdict(r, "ratio", at_most=INFLATE_GOAL[1]) if r["case"] == INFLATE_GOAL[0] and "error" not in r
             else DASH] for r in body["records"]]
    return ["## The core against inflating alone", "", _method(run, "inflate"),
            "Goal (issue #3): ≤ 3× on `unstructured/handbook-872p.docx`.", "",
            table(["file", "extract (median)", "inflate only (median)", "ratio [95% CI]", "n", "goal ≤ 3×"], rows), ""]


def section_fidelity(run: Run) -> list[str]:
    body = run.suite("fidelity")
    if not body or not body["records"]:
        return []
    impls = list(dict.fromkeys(r["implementation"] for r in body["records"]))
    kinds = list(dict.fromkeys(r["case"] for r in body["records"]))
    recs = {(r["implementation"], r["case"]): r for r in body["records"]}

    def cell(impl: str, kind: str) -> str:
        r = recs.get((impl, kind))
        if r is None:
            return DASH
        return f"{r['passed']}/{r['passed'] + r['failed']}" + (f" ({r['declined']} declined)" if r["declined"] else "")

    failures = [f"- `{impl}` `{f['case']}`: {f['detail']}" for (impl, _), r in recs.items() for f in r["failures"]]
    return ["## Fidelity on the shared corpus", "", _method(run, "fidelity"), "",
            table(["expectation kind"] + [f"{i} passed/held" for i in impls], [[k] + [cell(i, k) for i in impls] for k in kinds]),
            "", "Failed expectations:" if failures else "No held expectation failed.", *failures, ""]


def section_header(run: Run) -> list[str]:
    d, env = run.doc, run.doc["environment"]
    git = env["git"]
    commit = f"{(git['commit'] or 'unknown')[:12]}{' (dirty)' if git['dirty'] else ''}"
    env_rows = [["CPU", f"{env['cpu_model']} ({env['cpu_physical_cores']} physical / {env['cpu_logical_cores']} logical cores)"],
                ["memory", fmt_bytes(env["memory_total_bytes"])], ["OS", env["os"]],
                ["Python", f"{env['python']} ({env['python_implementation']})"], ["rustc", env["rustc"] or DASH],
                ["crates (Cargo.lock)", ", ".join(f"{k} {v}" for k, v in env["crates"].items() if v)],
                ["packages", ", ".join(f"{k} {v}" for k, v in env["packages"].items() if v)],
                ["commit", commit], ["date", env["date"]],
                ["load average 1/5/15 min, start → end",
                 f"{'/'.join(map(str, env['load_average_1_5_15_min_start']))} → "
                 f"{'/'.join(map(str, env['load_average_1_5_15_min_end']))}"]]
    load_1_min = max(env["load_average_1_5_15_min_start"][0], env["load_average_1_5_15_min_end"][0])
    busy = ([f"> **Busy machine:** 1-minute load average {load_1_min} > {BUSY_LOAD_AVERAGE}: other work "
             "competed for the CPUs, so intervals are wide and medians may be biased; rerun on an idle machine.", ""]
            if load_1_min > BUSY_LOAD_AVERAGE else [])
    off_cpu = sum(off for _, _, off in sample_counts(run).values())
    busy += ([f"> **Busy machine:** {off_cpu:,} samples were still off CPU after their retakes (*Statistics*): "
              "other work took this process's CPU during them; rerun on an idle machine.", ""] if off_cpu else [])
    failed = {i: [f"failed in {s}: `{body['failures'][i][:160]}`" for s, body in d["suites"].items()
                  if i in body.get("failures", {})] for i in run.implementations}
    impl_rows = [[i, DASH if i == "direct_rust" else "{} / {}".format(*info["wrapper_depth"]),
                  "; ".join([info["status"] + (f": `{info['error'][:160]}`" if info.get("error") else "")] + failed[i])]
                 for i, info in run.implementations.items()]
    stats = d["statistics"]
    return [
        "# bridgemark report", "",
        f"Run `{d['run_id']}` ({'quick smoke run' if d['quick'] else 'full run'}, {d['wall_time_s']} s of measuring), "
        f"rendered by `python -m bridgemark report` from `results/{d['run_id']}/compare.json` alone "
        f"(schema {d['schema_version']}). Every figure was measured by this code in that run.", "",
        *busy,
        "## Environment", "", table(["", ""], env_rows), "",
        "## Implementations", "", "Wrapper depth: Python frames between caller and native code (probes / extraction).", "",
        table(["implementation", "wrapper depth", "status"], impl_rows), "",
        "## Statistics", "",
        f"- Medians: {stats['bootstrap']}; {stats['confidence']:.0%} intervals in brackets, same unit as the figure.",
        f"- Slopes: {stats['slope']}.",
        *sampling_line(run),
        "- Overhead %: see *Where the cost goes* for why it depends on the work per call.", "",
    ]


def sample_counts(run: Run) -> dict[str, tuple[int, int, int]]:
    """Suite → (samples kept, taken again, kept though still off CPU) under the on-CPU rule
    (:data:`bridgemark.worker.SAMPLING`; the suite's ``sampling``, :func:`bridgemark.suites.run`),
    for the suites that give them (none before the rule)."""
    return {name: tuple(body["sampling"][k] for k in suites.SAMPLE_COUNTS)
            for name, body in run.doc["suites"].items() if "sampling" in body}


def sampling_line(run: Run) -> list[str]:
    """The bullet on the on-CPU rule: its threshold and, per timed suite, :func:`sample_counts`;
    ``[]`` for a run before the rule."""
    counts = sample_counts(run)
    if not counts:
        return []
    rule = run.suite(next(iter(counts)))["params"]
    said = "; ".join(f"{name} {kept:,} / {again:,} / {off:,}" for name, (kept, again, off) in counts.items())
    return [f"- Samples: one counts only if this worker process was on a CPU for at least "
            f"{rule['min_on_cpu']:.0%} of its wall time (process CPU time / wall time), else it is taken again, "
            f"at most {rule['max_retakes']} times, the last attempt then kept (a time slice lost to another "
            f"process or to the hypervisor is ms long, as long as a sample). Kept / taken again / kept though off "
            f"CPU, direct_rust's and the paired baselines' samples included: {said}."]


#: Two runs of one machine repeat when every headline figure's ratio is within this (issue #4).
REPEAT_TOLERANCE = 0.10


def section_repeatability(run: Run, previous: dict[str, Any] | None) -> list[str]:
    """Ratio newest / previous run for every headline figure: noop per bridge and the seed
    files' extraction medians per implementation (absolute times), and the paired factors:
    noop per bridge in C-API floors (``1 + above_floor_pct / 100``, the floor itself left out;
    within each speed state both runs gave enough of its processes, :func:`_same_state_factors`),
    the seed files' extraction per bridge / the core's own loop in the same process
    (``1 + overhead_pct / 100``), the peers' ratios to bridgemark and the core's time against
    inflating alone (:data:`INFLATE_GOAL`'s file), counted apart: an absolute time carries the machine's state
    of the day, a paired factor cancels it."""
    if previous is None:
        return ["## Repeatability", "", "No earlier run of this machine in `results/` to compare with.", ""]
    prev = Run(previous)
    rows, counts, machine, overlaps = [], {"absolute": [0, 0], "paired": [0, 0]}, [], [0, 0]

    def add(kind: str, figure: str, impl: str, before: float, now: float, fmt: Callable[[float], str],
            intervals: tuple[tuple[float, float] | None, tuple[float, float] | None] = (None, None)) -> None:
        ratio = now / before
        ok = abs(ratio - 1) <= REPEAT_TOLERANCE
        counts[kind][0] += ok
        counts[kind][1] += 1
        overlap = DASH
        if None not in intervals:
            (lo_before, hi_before), (lo_now, hi_now) = intervals
            overlap = "yes" if lo_before <= hi_now and lo_now <= hi_before else "no"
            if kind == "paired" and not ok:
                overlaps[0] += overlap == "yes"
                overlaps[1] += 1
        rows.append([figure, impl, fmt(before), fmt(now), f"{ratio:.3f}", "yes" if ok else "no", overlap])
        if kind == "absolute" and impl == "direct_rust":
            machine.append(ratio)

    def bounds(rec: dict, field: str, unit: str = "") -> tuple[float, float] | None:
        """``{field}_ci95_low/high{unit}``: a figure's 95% interval (``None`` without one)."""
        lo, hi = (rec.get(f"{field}_ci95_{side}{unit}") for side in ("low", "high"))
        return None if lo is None or hi is None else (lo, hi)

    def factor(rec: dict, field: str) -> tuple[float, float] | None:
        """A paired factor's interval, ``1 + {field}_ci95_low/high_pct / 100``."""
        pct = bounds(rec, field, "_pct")
        return None if pct is None else (1 + pct[0] / 100, 1 + pct[1] / 100)

    for suite, case in [("calls", "noop")] + [("extraction", f) for f in SEED_FILES]:
        for impl in run.bridges:
            now, before = run._records.get((suite, impl, case)), prev._records.get((suite, impl, case))
            if now and before and "median_ns" in now and "median_ns" in before:
                add("absolute", f"{suite} `{case}`", impl, before["median_ns"], now["median_ns"], fmt_ns,
                    (bounds(before, "median", "_ns"), bounds(now, "median", "_ns")))
    splits = floor_states(run), floor_states(prev)
    for impl in run.bridges:
        now, before = run._records.get(("calls", impl, FLOOR_CASE)), prev._records.get(("calls", impl, FLOOR_CASE))
        if impl == FLOOR or not all(r and "above_floor_pct" in r for r in (now, before)):
            continue
        same_state = _same_state_factors(now, before, *splits)
        for state, factor_before, factor_now in same_state:
            add("paired", f"calls `noop` / C-API floor's `noop`, {state} state", impl, factor_before, factor_now,
                lambda v: f"{v:.3f}×")
        if not same_state:
            add("paired", "calls `noop` / C-API floor's `noop`", impl, 1 + before["above_floor_pct"] / 100,
                1 + now["above_floor_pct"] / 100, lambda v: f"{v:.3f}×",
                (factor(before, "above_floor"), factor(now, "above_floor")))
    for case in SEED_FILES:
        for impl in run.bridges:
            now, before = run._records.get(("extraction", impl, case)), prev._records.get(("extraction", impl, case))
            if all(r and r.get("overhead_method") == "paired" for r in (now, before)):
                add("paired", f"extraction `{case}` / in-process Rust", impl, 1 + before["overhead_pct"] / 100,
                    1 + now["overhead_pct"] / 100, lambda v: f"{v:.3f}×",
                    (factor(before, "overhead"), factor(now, "overhead")))
    ratios = [r for r in (run.suite("extraction") or {"records": []})["records"] if r.get("kind") == "peer_ratio"]
    for now in ratios:
        before = prev._records.get(("extraction", now["implementation"], now["case"]))
        if before and "geomean_ratio" in before:
            add("paired", f"peer / {now['reference']}, {now['case']} (geometric mean of per-file ratios)",
                now["implementation"], before["geomean_ratio"], now["geomean_ratio"], lambda v: f"{v:.3f}×",
                (bounds(before, "geomean_ratio"), bounds(now, "geomean_ratio")))
    now, before = (r._records.get(("inflate", "direct_rust", INFLATE_GOAL[0])) for r in (run, prev))
    if now and before and "ratio" in now and "ratio" in before:
        add("paired", f"extract / inflate only, `{INFLATE_GOAL[0]}`", "direct_rust", before["ratio"], now["ratio"],
            lambda v: f"{v:.3f}×", (bounds(before, "ratio"), bounds(now, "ratio")))
    summary = "; ".join(f"{ok} of {n} {kind} figures repeat" for kind, (ok, n) in counts.items() if n)
    if overlaps[1]:
        summary += (f"; of the {overlaps[1]} paired figure{'s' * (overlaps[1] != 1)} outside ±{REPEAT_TOLERANCE:.0%} "
                    f"with an interval in both runs, {overlaps[0]} {'has' if overlaps[0] == 1 else 'have'} 95% "
                    "intervals that overlap: there the two runs agree within the figure's own uncertainty, which "
                    "is wider than the goal")
    if machine:  # no bridge, no interpreter: the machine's own speed between the two runs
        summary += (f"; the machine itself (direct_rust's absolute figures, no bridge) moved by "
                    f"{min(machine):.3f} … {max(machine):.3f}")
    return ["## Repeatability", "", _repeat_verdict(*counts["paired"]), "",
            f"This run against `{previous['run_id']}` (same host): figure now / figure then, goal within "
            f"±{REPEAT_TOLERANCE:.0%}; {summary}. A worker process runs in one of several speed states of this VM "
            "for seconds and in one code layout (ASLR), both drawn once, so a median over few processes moves "
            f"with the share of them in each{_headline_processes(run, prev)}.{_states_clause(*splits)}"
            f"{_on_cpu_clause(run)} "
            "Absolute times carry the machine's "
            "state of the day; a paired factor (a bridge's time / the C-API "
            "floor's bare call or the core's own loop in the same worker, sample for sample; a peer's or the "
            "inflater's time likewise) cancels it as far as a state slows both sides of a pair alike: a state "
            "that slows unlike work unequally (the extractor more than the inflater, ctypes' libffi path more than "
            "the floor's direct call) still moves a factor with the share of samples taken in it.", "",
            table(["figure", "implementation", "previous", "this run", "ratio", f"within ±{REPEAT_TOLERANCE:.0%}",
                   "95% intervals overlap"], rows), ""]


def _states_clause(split_now: states.States | None, split_before: states.States | None) -> str:
    """The sentence saying how the bare call in floors is compared: within a speed state, with each
    run's share of processes in the faster one; ``""`` unless both runs split into two states."""
    if split_now is None or split_before is None:
        return ""
    share = [f"{s.n_faster} of {s.n_faster + s.n_slower}" for s in (split_now, split_before)]
    return (f" The bare call in C-API floors differs between the machine's two speed states (*The bare call in "
            f"C-API floors*), and the processes in the faster one were {share[0]} in this run, {share[1]} in the "
            f"previous: it is compared within each state where both runs have at least {states.MIN_PROCESSES} of "
            "its processes, pooled where no state has.")


def _on_cpu_clause(run: Run) -> str:
    """The sentence saying the speed states are not lost CPU time, when every kept sample of
    ``run`` met the on-CPU rule (:func:`sample_counts`); ``""`` otherwise or before the rule."""
    counts = sample_counts(run)
    if not counts or any(off for _, _, off in counts.values()):
        return ""
    share = run.suite(next(iter(counts)))["params"]["min_on_cpu"]
    return (f" Every kept sample of this run had its process on a CPU for at least {share:.0%} of its wall time: "
            "these states are not other processes of this VM, nor the hypervisor, taking the CPU away; the work "
            "itself runs slower in them, by an amount this VM cannot see as lost CPU time.")


def _same_state_factors(now: dict, before: dict, split_now: states.States | None,
                        split_before: states.States | None) -> list[tuple[str, float, float]]:
    """``[(state, factor before, factor now)]``: a bridge's bare call in floors within each speed
    state that both runs split off and gave at least :data:`bridgemark.states.MIN_PROCESSES` of
    its processes; ``[]`` when none (the pooled factor is compared instead)."""
    if split_now is None or split_before is None or not all("capi_samples_ns_per_iter" in r for r in (now, before)):
        return []
    per_now, per_before = states.factor_by_state(now, split_now), states.factor_by_state(before, split_before)
    return [(s, per_before[s][0], per_now[s][0]) for s in states.STATES
            if min(per_now.get(s, (0, 0))[1], per_before.get(s, (0, 0))[1]) >= states.MIN_PROCESSES]


def _repeat_verdict(ok: int, n: int) -> str:
    """The goal's verdict line: it is judged on the paired figures (``ok`` of ``n`` within
    :data:`REPEAT_TOLERANCE`); the absolute ones are context (why: in the line itself)."""
    if not n:
        return "**Goal: not judged** — no paired figure is in both runs."
    verdict = "met" if ok == n else "not met"
    return (f"**Goal (every paired figure within ±{REPEAT_TOLERANCE:.0%} of the previous run's): {verdict}, {ok} of "
            f"{n}.** The paired figures carry what this suite publishes, a bridge's cost against the same work "
            "without it, measured in the same worker; the absolute times beside them are context: on a shared VM "
            "they carry the machine's state of the day as well (how far it moved: below), which no number of "
            "processes within one run cancels.")


def worker_processes(run: Run) -> str:
    """``calls 8 (other cases 2); extraction 8 (other cases 2), pure_python's 32, a peer's files spread
    over 4 per pass``: worker processes of the calls and extraction suites' headline cases
    (``params.headline_processes``, or ``processes`` when there are no more; pure_python's own count
    when the run gave one) and of their other cases, in that run; ``—`` without them."""
    said = []
    for name in ("calls", "extraction"):
        p = (run.suite(name) or {}).get("params", {})
        if "processes" in p:
            n = max(p["processes"], p.get("headline_processes", 0))
            said.append(f"{name} {n}" + (f" (other cases {p['processes']})" if n > p["processes"] else "")
                        + (f", pure_python's {p['pure_python_headline_processes']}"
                           if "pure_python_headline_processes" in p else "")
                        + (f", a peer's files spread over {p['peer_spread']} per pass" if "peer_spread" in p else ""))
    return "; ".join(said) or DASH


def _headline_processes(run: Run, prev: Run) -> str:
    """The clause on how many worker processes the headline cases took (:func:`worker_processes`),
    with the previous run's counts when they differ; ``""`` when neither run gave them more than
    the rest."""
    now, before = worker_processes(run), worker_processes(prev)
    if "other cases" not in now + before:
        return ""
    return (f": so the headline cases (the bare call; the seed files, peers excepted) take more processes — "
            f"{now}" + ("" if before == now else f"; in the previous run: {before}"))


def render(document: dict[str, Any], previous: dict[str, Any] | None = None,
           longrun: dict[str, dict[str, Any]] | None = None) -> str:
    """REPORT.md's text for one compare.json ``document`` (sections for suites that ran);
    ``previous``: an earlier run of the same machine, for the repeatability section;
    ``longrun``: tool → its newest long-run record (:func:`bridgemark.longrun.load`), shown
    in the reliability section ("not run" for a missing tool)."""
    from bridgemark import costreport, report_reliability  # they build on this module's helpers

    run = Run(document)
    parts = section_header(run)
    present = set(document["suites"])
    for suite, section in (("extraction", section_extraction), ("memory", section_memory),
                           ("stress", section_stress)):
        if suite in present:
            parts += section(run)
    parts += section_controls(run)
    if present & {"calls", "extraction"}:
        parts += section_industry(run)
    parts += section_claims(run) + section_threads(run) + section_process(run)
    parts += section_peers(run) + section_inflate(run) + section_fidelity(run)
    parts += report_reliability.section(run, longrun or {})
    if "calls" in present:
        parts += section_calls(run) + costreport.section_cost_model(run)
    parts += costreport.section_startup(run)
    if "extraction" in present:
        parts += section_all_files(run)
    if present & {"calls", "extraction"}:
        parts += section_repeatability(run, previous)
    return "\n".join(parts).rstrip() + "\n"
