"""Suite ``conversion``: what a bridge's result conversion costs more right after the core than back to back.

The calls suite's ``make_result`` probe times the bridge converting results back to back:
every conversion finds the bridge's code, the interpreter's and the allocator's state as the
previous conversion left them. In an extraction the conversion runs right after the core,
which has just run its own code over its own data (pdfium's far more than the DOCX path's),
so the conversion starts colder — the mirror of the interleave suite's term (the core after a
bridge's call). No probe sees it, so the cost model adds it to each bridge's predictions.

Per bridge and file (the files the interleave suite measures), in the bridge's worker, each
iteration takes four single timings, each right after one untimed call:

- **bridge, after the core**: ``bm_time_extract_file(path, 1)`` (the core through ctypes, no
  result crosses), then the bridge's ``make_result(C, T)`` timed with ``time.perf_counter_ns``;
- **bridge, warm**: ``make_result(C, T)``, then ``make_result(C, T)`` timed the same way;
- **Rust, after the core** and **Rust, warm**: the same with ``bm_time_probe("make_result:C:T", 1)``
  (the probe timed in Rust) in place of the bridge's ``make_result``.

``make_result`` builds its result in Rust before the bridge converts it; in an extraction that
building is the core's work, so Rust's own (after the core − warm) is subtracted: it leaves
the bridge's part. ``C``: the document's content in UTF-8 bytes; ``T``: the 3 × 3 tables that
bring the probe's Python objects nearest the document result's (:func:`probe_case`). A sample
holds ``loops`` iterations and keeps the mean over them of the bridge's (after the core − warm)
− Rust's: a mean per call, as the extraction suite's samples whose overhead the term helps
predict (a cold call's rare slow tail counts there too); the median over samples then sets a
sample hit by an interrupt aside. The clock's own cost is in both timings of a difference and
cancels.
"""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable

from bridgemark import suites, worker
from bridgemark.costmodel import result_size
from bridgemark.registry import BRIDGES
from bridgemark.suites import interleave

#: Every bridge; the core and the Rust-timed probe are reached through ctypes in each.
IMPLEMENTATIONS: tuple[str, ...] = BRIDGES
#: The four timings of an iteration follow each other within µs, so the process's speed state
#: cancels in each difference; its code layout (ASLR) does not: cffi_abi on kreuzberg/fake.docx
#: measured +3.8, +5.2 and +13.1 µs in three processes (trials, 2026-11-30), so 2 processes per
#: bridge. 10 samples of ≥ 1 ms: a sample of a small DOCX holds a few iterations, of a 1–2 ms PDF
#: one (each runs the core twice); 20 samples of ≥ 2 ms took 121 s of run 2026-11-30T02-05-04Z,
#: this budget about half. Files as the interleave suite (``max_call_ns``), here for the budget.
PARAMS: dict[str, dict[str, int | float]] = {
    "full": {"processes": 2, "warmups": 1, "samples": 10, "min_sample_ns": 1_000_000, "max_call_ns": 2_000_000, **worker.SAMPLING},
    "quick": {"processes": 1, "warmups": 1, "samples": 4, "min_sample_ns": 1_000_000, "max_call_ns": 2_000_000, **worker.SAMPLING},
}
METHOD = (
    "per bridge and file, in the bridge's worker: each iteration times the bridge's make_result(C, T) "
    "(perf_counter_ns) right after one core extraction of the file (bm_time_extract_file through ctypes) and "
    "right after another make_result(C, T), and the Rust probe make_result:C:T (timed in Rust, bm_time_probe) "
    "likewise; C = the document's content in UTF-8 bytes, T = the 3 × 3 tables that bring the probe's objects "
    "nearest the document's; a sample = the mean over `loops` iterations of the bridge's (after the core − "
    "warm) − Rust's (the bridge's conversion alone), per call as the extraction suite's samples; figure = "
    "median over samples, 95% two-stage bootstrap CI (processes, then samples)."
)


def cases(files: dict) -> dict[str, str]:
    """Every file (absolute path → label), as the interleave suite."""
    return interleave.cases(files)


def probe_case(bridge: Any, result: Any) -> tuple[str, int, int]:
    """``("make_result:C:T", C, T)``: the ``make_result`` probe nearest a document's ``result``
    as ``bridge`` returns it. ``C`` = UTF-8 bytes of ``result.content`` (the probe's content is
    ASCII: as many characters); ``T`` ≥ 0 = the number of 3 × 3 tables whose objects
    (:func:`bridgemark.costmodel.result_size`) bring the probe's count nearest ``result``'s."""
    n_chars = len(result.content.encode("utf-8", "surrogatepass"))
    objects = result_size(result)[1]
    base = result_size(bridge.make_result(n_chars, 0))[1]
    per_table = result_size(bridge.make_result(n_chars, 1))[1] - base
    n_tables = max(0, round((objects - base) / per_table)) if per_table > 0 else 0
    return f"make_result:{n_chars}:{n_tables}", n_chars, n_tables


def _probe_timer() -> Callable[[str, int], int]:
    """``bm_time_probe`` through ctypes: ``(case, loops)`` → ns of the probe looped in Rust."""
    from bridgemark_ctypes import time_probe

    return time_probe


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side, per file: ``{"case", "probe", "loops", "samples_ns_per_iter"`` (per sample, the
    mean over its iterations of the bridge's (after the core − warm) − Rust's), ``"rust_ns_per_iter"``
    (per sample, the mean of Rust's (after the core − warm) alone), ``"warmup_ns_per_iter"``
    (the former's warm-ups), the sample counts of :meth:`bridgemark.worker.Sampler.fields` ``}``,
    ``{"case", "error"}``, or ``{"case", "skipped"}`` (one core call
    takes ``params["max_call_ns"]`` or more: each iteration runs it twice)."""
    core, probe, clock, make = interleave.core_timer(), _probe_timer(), time.perf_counter_ns, bridge.make_result

    def iteration(path: str, case: str, n_chars: int, n_tables: int) -> tuple[int, int]:
        """``(bridge's after the core − warm, Rust's after the core − warm)`` in ns."""
        core(path, 1)
        t0 = clock()
        make(n_chars, n_tables)
        cold = clock() - t0
        make(n_chars, n_tables)
        t0 = clock()
        make(n_chars, n_tables)
        warm = clock() - t0
        core(path, 1)
        rust_cold = probe(case, 1)
        probe(case, 1)
        return cold - warm, rust_cold - probe(case, 1)

    def block(loops: int, *args: Any) -> int:
        """ns that ``loops`` iterations take (for the calibration)."""
        started = clock()
        for _ in range(loops):
            iteration(*args)
        return clock() - started

    out = []
    for path in cases:
        try:
            skipped = interleave.skip_reason(core, path, params["max_call_ns"], "over this suite's budget")
            if skipped:
                out.append({"case": path, "skipped": skipped})
                continue
            case, n_chars, n_tables = probe_case(bridge, bridge.extract_file(path))
            args = (path, case, n_chars, n_tables)
            loops = worker.calibrate_baseline(lambda n: block(n, *args), params["min_sample_ns"])
        except Exception as exc:  # a file that does not extract is reported, not timed
            out.append({"case": path, "error": f"{type(exc).__name__}: {exc}"})
            continue
        differences: list[float] = []
        rust: list[float] = []
        sampler = worker.Sampler(params)
        for _ in range(params["warmups"] + params["samples"]):
            pairs = sampler.take(lambda: [iteration(*args) for _ in range(loops)])
            differences.append(statistics.fmean(b - r for b, r in pairs))
            rust.append(statistics.fmean(r for _, r in pairs))
        w = params["warmups"]
        out.append({"case": path, "probe": case, "loops": loops, "warmup_ns_per_iter": differences[:w],
                    "samples_ns_per_iter": differences[w:], "rust_ns_per_iter": rust[w:], **sampler.fields()})
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side, per (bridge, file): ``probe``, ``conversion_ns`` (+ ci95, ``n``): the bridge's
    conversion alone, its (after the core − warm) minus Rust's; and ``rust_ns`` (+ ci95): Rust's
    own (after the core − warm), the part subtracted. Error and skipped records as the workers gave them."""
    from bridgemark import stats

    probes = {(impl, r["case"]): r["probe"] for impl, processes in raw.items() for records in processes
              for r in records if "probe" in r}
    out = []
    for (impl, case), rec in suites.pooled_timing(raw).items():
        if "median_ns" in rec:
            suites.rename_estimate(rec, "median", "conversion")
            rec |= {"probe": probes[impl, case]} | stats.median_ci(
                [r["rust_ns_per_iter"] for records in raw[impl] for r in records if r["case"] == case]
            ).fields("rust", "ns")
        out.append(rec)
    return out
