"""REPORT.md sections on where a bridge's cost goes, rendered from compare.json alone.

- :func:`section_cost_model` — why "overhead %" depends on the work per call; the fitted
  cost model per bridge (fixed + per byte + per object, 95% intervals); per-byte cost of
  ``echo`` per alphabet (ASCII and non-ASCII, PEP 393 kinds); the model's predicted overhead
  on the real documents beside the measured one.
- :func:`section_page_faults` — why a 1 MB ``echo`` costs milliseconds on every bridge and
  tens of µs in direct Rust: page faults per call, measured in the same samples; and why the
  ``echo`` sizes are decimal (``memcpy`` inside and outside ``rep movsb``'s slow window).
- :func:`section_startup` — import time and first call vs steady state per implementation.

Formatting only: every figure comes from ``document["cost_model"]`` or the suites' records
(:mod:`bridgemark.costmodel`, :mod:`bridgemark.suites.startup`).
"""

from __future__ import annotations

import statistics

from bridgemark.corpus import SEED_FILES
from bridgemark.registry import BRIDGES
from bridgemark.report import DASH, Run, _method, fmt_bytes, fmt_ci, fmt_ns, fmt_num, fmt_ns_ci, table

#: The explanation of why an overhead % is not a property of a bridge (one place in the report).
OVERHEAD_PCT = (
    "**Why \"overhead %\" depends on the work per call.** A bridge adds a cost of its own to every call: a "
    "fixed part (crossing into native code and back), a part per byte of text it converts (UTF-8 in and out) "
    "and a part per Python object it builds for the result. Overhead % = that cost / the time the core "
    "works. A small document takes the core tens of µs, so the fixed part alone is a large %; a big "
    "document takes it milliseconds, so the same fixed part is a small % — but the per-byte and "
    "per-object parts grow with the text returned, so the % settles at the ratio of per-byte conversion "
    "to per-byte extraction rather than at zero. Two more parts come from the interleaving of both sides, "
    "not from either side's code alone: between two calls the bridge converts and frees a result and the "
    "interpreter runs, so the core finds its caches and branch predictors colder than in a tight Rust loop and "
    "itself takes longer (measured per bridge below, *The core after a bridge's call*); and right after the "
    "core, the bridge's conversion finds its own code colder than a probe converting back to back (*The "
    "bridge's conversion after the core*). Compare bridges on the same file, never a % across files; the model "
    "below gives the cost in ns from the probes and that measurement and is checked against every real document."
)
def _headline(files: list[str]) -> list[str]:
    """Files whose predicted and measured overheads are listed one by one (the rest are summarised)."""
    return [f for f in SEED_FILES if f in files] + [f for f in files if f.startswith("generated/")]


def _coef(rec: dict, name: str, scale: float = 1.0, unit: str = "ns") -> str:
    """``12.3 ns [10.1, 14.5]``: coefficient ``{name}_ns`` of a fit record, times ``scale``."""
    v = rec.get(f"{name}_ns")
    if v is None:
        return DASH
    bounds = [rec.get(f"{name}_ci95_{side}_ns") for side in ("low", "high")]
    ci = ", ".join(DASH if b is None else fmt_num(b * scale) for b in bounds)
    return f"{fmt_num(v * scale)} {unit} [{ci}]"


def _pred_meas(p: dict) -> str:
    pred = fmt_ns_ci({"x_ns": p["predicted_ns"], "x_ci95_low_ns": p["predicted_ci95_low_ns"],
                      "x_ci95_high_ns": p["predicted_ci95_high_ns"]}, "x", sign=True)
    meas = fmt_ns_ci({"x_ns": p["measured_ns"], "x_ci95_low_ns": p["measured_ci95_low_ns"],
                      "x_ci95_high_ns": p["measured_ci95_high_ns"]}, "x", sign=True)
    mark = {True: "", False: " ✗", None: ""}[p["agree"]]
    return f"{pred} / {meas}{mark}"


#: Document formats the predictions are split by (file name suffix), in column order.
FORMATS: tuple[str, ...] = ("docx", "pdf")


def _by_format(predictions: list[dict]) -> str:
    """``+1.2 µs / −3.4 µs``: median measured − predicted over one bridge's documents of each of
    :data:`FORMATS` (``—`` for a format it has none of): the core's work, and with it the terms
    measured on the documents, differs most between formats."""
    parts = []
    for suffix in FORMATS:
        diffs = [p["measured_ns"] - p["predicted_ns"] for p in predictions if p["case"].lower().endswith("." + suffix)]
        parts.append(fmt_ns(statistics.median(diffs), True) if diffs else DASH)
    return " / ".join(parts)


def prediction_agreement(predictions: list[dict]) -> dict:
    """How far one bridge's measured overheads sit from the model's predictions, over its documents.

    Args:
        predictions: ``cost_model["predictions"]`` records of one bridge (``predicted_ns`` with
            ``predicted_ci95_low_ns``, ``measured_ns``; ns per call), at least one.
    Returns:
        ``{"median_difference_ns"``: median of measured − predicted (ns, always defined),
        ``"median_ratio"``: median of measured / predicted, or ``None`` with ``"ratio_reason"`` when
        some prediction is not above zero (its interval's lower bound, or the value when it has no
        interval, ≤ 0): a ratio to a prediction that may be zero or negative has no meaning (a
        measured −5 µs over a predicted +0.1 µs reads as −50).``}``
    """
    difference = statistics.median(p["measured_ns"] - p["predicted_ns"] for p in predictions)
    not_positive = sum(1 for p in predictions
                       if (p["predicted_ns"] if p.get("predicted_ci95_low_ns") is None else p["predicted_ci95_low_ns"]) <= 0)
    if not_positive:
        return {"median_difference_ns": difference, "median_ratio": None,
                "ratio_reason": f"{not_positive} of {len(predictions)} predictions not above 0"}
    return {"median_difference_ns": difference,
            "median_ratio": statistics.median(p["measured_ns"] / p["predicted_ns"] for p in predictions),
            "ratio_reason": None}


def section_cost_model(run: Run) -> list[str]:
    """The explanation of overhead %, the fits, per-alphabet per-byte costs and predicted vs measured."""
    out = ["## Where the cost goes: fixed + per byte + per object", "", OVERHEAD_PCT, ""]
    model = run.doc.get("cost_model")
    if not model or not model.get("fits"):
        return out + ["No cost model in this run (it needs the calls suite's sizes, recorded since the run "
                      "format gained `marshalled_bytes`).", ""]
    fits = model["fits"]
    rows = [[b, _coef(f, "fixed"), _coef(f, "per_byte", 1024, "ns"), _coef(f, "per_object"), str(f["n_points"])]
            for b, f in fits.items()]
    out += [f"*Method:* overhead = median(bridge) − median(direct_rust) of each probe (calls suite, below), "
            f"regressed on the probe's sizes: {model['method']}. Bytes: UTF-8 bytes of text crossing the "
            "bridge, in + out; objects: Python objects built for the returned value.", "",
            table(["bridge", "fixed per call [95% CI]", "per KiB of text [95% CI]", "per object [95% CI]",
                   "n points"], rows), ""]
    faulting = {b: f["faulting_points"] for b, f in fits.items() if f.get("faulting_points")}
    if faulting:
        out += ["Left out of the fits (page-faulting: more than 1 minor fault per call above direct Rust on the "
                "same probe; see the page-fault table): " + "; ".join(
                    f"{b}: " + ", ".join(f"`{c}` ({n:,.0f})" for c, n in cases.items()) for b, cases in faulting.items())
                + ".", ""]
    alphabets = model.get("alphabets", {})
    per = model.get("echo_per_byte", {})
    if per:
        names = [a for a in alphabets if any(a in v for v in per.values())]
        rows = [[b] + [_coef(per[b].get(a, {}), "per_byte", 1024, "ns") for a in names] for b in per]
        legend = "; ".join(f"`{a}`: {alphabets[a]['kind']}" for a in names)
        out += ["### UTF-8 marshalling per alphabet (`echo`)", "",
                "Per-KiB cost of `echo(s)` (fixed + per byte fitted to `echo:0` and that alphabet's sizes, 0 B … "
                f"1 MB, same method). A Python `str` is stored by its largest code point (PEP 393): {legend}. "
                "Coming back, the bridge decodes UTF-8 into that storage; going in, the same `str` object is "
                "passed every iteration, and CPython caches its UTF-8 form on first use, so bridges reading it "
                "with `PyUnicode_AsUTF8AndSize` (capi, pyo3, pybind11) encode once per process while ctypes and "
                "cffi call `str.encode` every time.", "",
                table(["bridge"] + [f"`{a}` per KiB [95% CI]" for a in names], rows), ""]
    preds = model.get("predictions", [])
    if not preds:
        return out + section_page_faults(run)
    by_bridge: dict[str, list[dict]] = {}
    for p in preds:
        by_bridge.setdefault(p["implementation"], []).append(p)
    summary = []
    for b, ps in by_bridge.items():
        judged = [p for p in ps if p["agree"] is not None]
        agreement = prediction_agreement(ps)
        ratio = agreement["median_ratio"]
        summary.append([b, str(len(ps)), f"{sum(p['agree'] for p in judged)} of {len(judged)}",
                        fmt_ns(agreement["median_difference_ns"], True), _by_format(ps),
                        f"{DASH} ({agreement['ratio_reason']})" if ratio is None else f"{ratio:.3g}"])
    files = list(dict.fromkeys(p["case"] for p in preds))
    head = _headline(files)
    cell = {(p["implementation"], p["case"]): p for p in preds}
    rows = []
    for f in head:
        some = next(p for p in preds if p["case"] == f)
        rows.append([f"`{f}`", fmt_bytes(some["marshalled_bytes"]), f"{some['marshalled_objects']:,}"]
                    + [_pred_meas(cell[b, f]) if (b, f) in cell else DASH for b in by_bridge])
    return out + [
        "### Predicted vs measured overhead on the documents", "",
        f"*Method:* {model['predict_method']}. Sizes of each document's result: bytes and objects as above, "
        "counted on the result the bridge returned in the extraction suite.", "",
        table(["bridge", "documents", "intervals overlap", "median measured − predicted",
               "same, " + " / ".join(f.upper() for f in FORMATS), "median measured / predicted"], summary), "",
        "Per document (predicted / measured, ✗: the intervals do not overlap):", "",
        table(["file", "text", "objects"] + list(by_bridge), rows), ""] + _faulting_documents(run, files) \
        + section_interleave(run) + section_conversion(run) + section_page_faults(run)


def section_interleave(run: Run) -> list[str]:
    """The interleave suite: per bridge (a column each, "not built" and the like included), the
    core inside the bridge's own loop (its core clock) vs the core in a tight Rust loop, on the
    headline files, with the median over the files every shown bridge measured and how many
    files' intervals lie above zero; ``[]`` without the suite. Runs of the earlier designs are
    labelled as such: the core timed through ctypes right after each of the bridge's calls, and
    before that one ctypes loop calling the core alone (added to every bridge's prediction)."""
    body = run.suite("interleave")
    if not body or not body["records"]:
        return []
    per_bridge, clocked = "max_call_ns" in body["params"], "core_clock_ns" in body["method"]
    cause = ("The bridge's own work between two calls (argument and result conversion, freeing the previous "
             "result, the interpreter) leaves the caches and branch predictors colder than a tight Rust loop does: "
             "the core itself takes longer. ")
    included = ("It is part of the bridge's measured overhead, no probe sees it (the probes do no core work), and "
                "the predictions above include it, per bridge." + _skipped(body, "the effect, µs, is below a sample's "
                                                                                  "noise there"))
    if clocked:
        prose = (cause + "Measured by the core's own clock (`core_clock_ns`, timed in Rust around each extraction) "
                 "inside the bridge's own loop of `extract_file` calls, the extraction suite's loop, against the "
                 "core's tight loop in the same worker. " + included)
    elif per_bridge:
        prose = (cause + "Run made before the core clock: the core timed one call at a time through ctypes right "
                 "after each of the bridge's calls: a ctypes call's own work (libffi, argument conversion) ran in front of "
                 "it, which the bridge's own loop does not have. " + included)
    else:
        prose = ("Run made before the per-bridge measurement: the core called one call at a time from a ctypes "
                 "loop, no bridge call in between (a lower bound), and added to every bridge's prediction above.")
    title = ("The core inside a bridge's loop" if clocked else "The core after a bridge's call" if per_bridge
             else "The core called one call at a time")
    return _term_section(run, "interleave", title, prose, [b for b in BRIDGES if per_bridge or b == "ctypes"])


def section_conversion(run: Run) -> list[str]:
    """The conversion suite, as :func:`section_interleave`: per bridge, what its result conversion
    costs more right after the core than back to back; ``[]`` without the suite."""
    body = run.suite("conversion")
    if not body or not body["records"]:
        return []
    prose = ("The mirror of the term above: in an extraction the bridge converts the result right after the core "
             "ran its own code over its own data, so the conversion finds its code and data colder (cold − warm) "
             "than the `make_result` probe, which converts back to back. Rust's own building of the probe's result "
             "is subtracted (in an extraction that is the core's work). The timed call also enters the bridge "
             "right after the core, where an extraction enters it before: the figure includes that entry's cold − "
             "warm too (a bare call's: ≈ 0.1–1 µs after a small DOCX in trials, 2026-11-30). The predictions "
             "above include it, per bridge." + _skipped(body, "each iteration runs the core twice: over the budget"))
    return _term_section(run, "conversion", "The bridge's conversion after the core", prose, list(BRIDGES))


def _skipped(body: dict, why: str) -> str:
    """The sentence naming how many files a document term's suite ``body`` skipped and ``why``, or ``""``."""
    skipped = {r["case"] for r in body["records"] if "skipped" in r}
    if not skipped:
        return ""
    return (f" Not measured on {_files(len(skipped))} whose one core call takes ≥ "
            f"{body['params']['max_call_ns'] / 1e6:g} ms ({why}).")


def _term_section(run: Run, suite: str, title: str, prose: str, shown: list[str]) -> list[str]:
    """One measured term of the cost model (``{suite}_ns`` per bridge and file): the headline files'
    figures (a column per bridge of ``shown`` that the run has), the median over the files every
    bridge measured and how many of those files' intervals lie above zero."""
    body = run.suite(suite)
    bridges = [b for b in shown if b in run.implementations]
    recs = {(r["implementation"], r["case"]): r for r in body["records"] if f"{suite}_ns" in r}
    files = list(dict.fromkeys(f for _, f in recs))
    rows = [[f"`{f}`"] + [run.cell(suite, b, f, lambda r: fmt_ns_ci(r, suite, sign=True)) for b in bridges]
            for f in _headline(files)]
    measured = [b for b in bridges if any(i == b for i, _ in recs)]
    common = [f for f in files if all((b, f) in recs for b in measured)]
    if common:
        rows.append([f"median over the {_files(len(common))} every bridge measured"]
                    + [fmt_ns(statistics.median(recs[b, f][f"{suite}_ns"] for f in common), True)
                       if b in measured else DASH for b in bridges])
        rows.append(["interval above zero, same files"]
                    + [f"{sum((recs[b, f].get(f'{suite}_ci95_low_ns') or 0) > 0 for f in common)} of {len(common)}"
                       if b in measured else DASH for b in bridges])
    return [f"### {title}", "", _method(run, suite), prose, "",
            table(["file, difference per call [95% CI]"] + bridges, rows), ""]


def _files(n: int) -> str:
    return f"{n} file" + ("" if n == 1 else "s")


def _faulting_documents(run: Run, files: list[str]) -> list[str]:
    """A line naming the documents whose extraction page-faults more in a bridge than in direct
    Rust (mean faults per call, extraction suite), which the model cannot predict; ``[]`` if none."""
    body = run.suite("extraction")
    if not body:
        return []
    faults = {(r["implementation"], r["case"]): r["minor_faults_per_call"]
              for r in body["records"] if "minor_faults_per_call" in r}
    parts = []
    for f in files:
        direct = faults.get(("direct_rust", f), 0.0)
        extra = {impl: n for (impl, case), n in faults.items()
                 if case == f and impl in BRIDGES and n - direct >= 1}
        if extra:
            parts.append(f"`{f}`: " + ", ".join(f"{i} {n:,.0f}" for i, n in extra.items())
                         + f" (direct_rust {direct:,.0f})")
    if not parts:
        return []
    return ["Where the model falls short: documents whose extraction page-faults more through a bridge than in "
            "direct Rust (mean minor faults per call over the extraction samples) — " + "; ".join(parts) + ". A "
            "result of hundreds of KiB crosses glibc's mmap and trim thresholds in the bridge's process (see the "
            "page-fault table below); the model is fitted on probes that do not fault there, so that part of the "
            "measured overhead is not predicted.", ""]


def section_startup(run: Run) -> list[str]:
    """Import time and first call vs steady state (the startup suite)."""
    body = run.suite("startup")
    if not body or not body["records"]:
        return []
    files = [c for c in run.cases("startup") if c != "import"]
    impls = list(dict.fromkeys(r["implementation"] for r in body["records"]))
    header = ["implementation", "import [95% CI]"]
    for f in files:
        header += [f"`{f}` first call [95% CI]", "steady state [95% CI]", "first − steady [95% CI]"]
    rows = []
    for impl in impls:
        row = [impl, run.cell("startup", impl, "import", lambda r: fmt_ns_ci(r, "import_median") + f" (n={r['n']})")]
        for f in files:
            row += [run.cell("startup", impl, f, lambda r: fmt_ns_ci(r, "first_call_median")),
                    run.cell("startup", impl, f, lambda r: fmt_ns_ci(r, "steady_median")),
                    run.cell("startup", impl, f, lambda r: fmt_ns_ci(r, "first_excess", sign=True))]
        rows.append(row)
    return ["## First call vs steady state, import time", "", _method(run, "startup"),
            "Whole processes (interpreter start + import + one call) are in the hyperfine table; this one splits "
            "them from inside each process.", "", table(header, rows), ""]


def wall_times(run: Run) -> list[str]:
    """One line: measuring time per suite (the run's budget), when the run recorded it."""
    times = [(name, body["wall_time_s"]) for name, body in run.doc["suites"].items() if "wall_time_s" in body]
    if not times:
        return []
    return ["Measuring time per suite: " + ", ".join(f"{n} {t:,.0f} s" for n, t in times) + ".", ""]


#: What the page-fault table shows (the finding of issue #4's 1 MB echo question).
PAGE_FAULTS = (
    "**Large payloads: the allocator, not the bridge's code.** A 1 MB `echo` holds two 1 MB buffers at "
    "once in a bridge — Rust's copy and the Python `str` decoded from it (ctypes and cffi four: the encoded "
    "argument, Rust's copy, the bytes read back, the `str`) — and frees them all before the next call. "
    "glibc's malloc serves blocks above its mmap threshold (128 KiB, raised after the first free to the "
    "size freed) with `mmap` and gives freed memory at the top of the heap back to the kernel above the "
    "trim threshold (twice the mmap threshold): with two or more such buffers per call, every call returns "
    "them and the next one takes fresh pages, each of which faults on first touch (the kernel maps and "
    "zeroes 4 KiB; expensive in a VM). direct Rust holds one buffer, stays below the trim threshold and "
    "reuses the same pages: no faults. The faults per call below are counted (`getrusage` `ru_minflt`) over "
    "the very samples of the median beside them; ~256 faults per MiB of buffers is the signature. This is "
    "real cost for a Python process calling a bridge with megabyte strings under glibc's default malloc "
    "policy (raising `M_MMAP_THRESHOLD` and `M_TRIM_THRESHOLD`, e.g. through the `MALLOC_MMAP_THRESHOLD_` "
    "and `MALLOC_TRIM_THRESHOLD_` environment variables, removes it), not an artifact of the timing loop."
)


#: Why the ``echo`` sizes are decimal (the ``memcpy:N:D`` cases measure it every run).
REP_MOVSB = (
    "**Payload sizes off the 4 KiB grid.** Every `echo` copies its payload once in Rust (glibc `memcpy`). On "
    "this CPU family (AMD 19h) glibc 2.36 copies 2,112 B … 512 KiB with `rep movsb`, which is many times slower "
    "when the destination lies 1–31 bytes past a 4 KiB multiple of the source. A buffer allocated right behind "
    "an n-byte payload sits n + 16 bytes after it (glibc's chunk header; a CPython `str`'s header gives the "
    "same distance), so a payload of a multiple of 4 KiB lands in that window — always in direct Rust, and in "
    "a bridge whenever its heap history puts Rust's buffer behind the `str` (a coin flip per process). The "
    "`echo` sizes are therefore decimal (1,000 … 1,000,000 bytes), as arbitrary string lengths are; the cost "
    "of the window itself, measured in direct Rust:"
)


def _memcpy_line(run: Run) -> list[str]:
    """The ``memcpy:N:D`` figures of direct Rust (inside vs outside the slow window), if measured."""
    body = run.suite("calls")
    recs = [r for r in body["records"] if r["case"].startswith("memcpy:") and "median_ns" in r] if body else []
    if not recs:
        return []
    parts = []
    for r in recs:
        _, n, distance = r["case"].split(":")
        parts.append(f"{fmt_bytes(int(n))} to {int(distance):,} B past a 4 KiB multiple: {fmt_ns_ci(r, 'median')} "
                     f"(n={r['n']})")
    return [REP_MOVSB + " " + "; ".join(parts) + ".", ""]


def section_page_faults(run: Run) -> list[str]:
    """``echo`` cost and minor page faults per call, per payload size and implementation."""
    body = run.suite("calls")
    if not body or not any("minor_faults_per_call" in r for r in body["records"]):
        return []
    cases = [c for c in run.cases("calls") if c.startswith("echo:")]
    impls = list(dict.fromkeys(r["implementation"] for r in body["records"] if r["implementation"] != "pure_python"))
    rows = [[f"`{c}`"] + [run.cell("calls", i, c, lambda r: fmt_ns_ci(r, "median") + (
        f" ({r['minor_faults_per_call']:,.0f} faults)" if "minor_faults_per_call" in r else "")) for i in impls]
        for c in cases]
    return (["### `echo` cost and page faults per call", "", PAGE_FAULTS, "", table(["case"] + impls, rows), ""]
            + _memcpy_line(run))
