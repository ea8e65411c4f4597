"""Suite ``startup``: what a fresh process pays before a bridge reaches its steady state.

Every worker process is fresh, so each one observes, per implementation:

- ``import`` — ``bridgemark.load(name)`` timed with ``time.perf_counter_ns``: the bridge's own
  module and native library (the worker has already imported ``bridgemark`` and ``psutil``,
  so the interpreter's start and the shared Python package are not in it);
- per case file, in order (the seed DOCX first, then the seed PDF): the **first**
  ``extract_file`` call of the process on that file (for the DOCX: the first extraction after
  import; for the PDF: it also binds pdfium, once per process), then the **steady state**
  on the same file: a calibrated timing record (:func:`bridgemark.worker.timing_record`).

Parent: import and first call = median over processes (one value each) with a 95% bootstrap
interval; steady state = pooled median; ``first_excess`` = first − steady with its interval.
The process suite (hyperfine) times whole processes — interpreter start + import + one call —
and cannot split them; this suite does, from inside the process. ``direct_rust`` is not
measured here (its whole process is in the process suite).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bridgemark import worker
from bridgemark.corpus import SEED_FILES, SEED_PDF
from bridgemark.registry import IMPLEMENTATIONS as PYTHON_IMPLEMENTATIONS

#: The worker gives :func:`measure` the implementation's name: it times the import itself.
IMPORTS_BRIDGE = True
#: Measured implementations: the bridges and the pure-Python baseline.
IMPLEMENTATIONS: tuple[str, ...] = PYTHON_IMPLEMENTATIONS
#: Budgets: ``processes`` fresh processes per implementation (each gives one import and one
#: first call per file); steady state as in the extraction suite, shorter samples.
PARAMS: dict[str, dict[str, int | float]] = {
    "full": {"processes": 8, "warmups": 0, "samples": 3, "min_sample_ns": 2_000_000, **worker.SAMPLING},
    "quick": {"processes": 3, "warmups": 0, "samples": 3, "min_sample_ns": 1_000_000, **worker.SAMPLING},
}
#: The files, in the order every process extracts them.
FILES: tuple[str, ...] = (SEED_FILES[0], SEED_PDF)
IMPORT_CASE = "import"
METHOD = (
    "per fresh worker process: import = `bridgemark.load(name)` (perf_counter_ns, after the worker's own "
    "imports), then per file in order the first extract_file call of the process, then the steady state "
    "(calibrated loop as in (a)); figure = median over `processes` processes (one value each) with a 95% "
    "bootstrap CI; first excess = first call − steady-state median, 95% bootstrap CI."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases: :data:`FILES` present in ``files`` (absolute path → label)."""
    return {str(files[label]): label for label in FILES if label in files}


def measure(implementation: str, params: dict, cases: list[str]) -> list[dict]:
    """Child side: ``{"case": "import", "import_ns"}``, then per file ``{"case", "first_call_ns",
    + timing record fields}`` (or ``{"case", "error"}``). Raises ``ImportError`` when not built."""
    from bridgemark import load

    t0 = time.perf_counter_ns()
    bridge = load(implementation)
    out: list[dict] = [{"case": IMPORT_CASE, "import_ns": time.perf_counter_ns() - t0}]
    for path in cases:
        t0 = time.perf_counter_ns()
        try:
            bridge.extract_file(path)
        except Exception as exc:  # e.g. pure_python on a PDF: reported, not timed
            out.append({"case": path, "error": f"{type(exc).__name__}: {exc}"})
            continue
        first = time.perf_counter_ns() - t0
        out.append(worker.timing_record(path, bridge.extract_file, (path,), params) | {"first_call_ns": first})
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: per implementation, an ``import`` record (``import_median_ns`` + ci95, ``n``,
    ``import_ns``: one per process) and per file a record with ``first_call_median_ns``,
    ``steady_median_ns``, ``first_excess_ns`` (each + ci95), ``n`` (processes), ``first_call_ns``
    (one per process) and ``samples_ns_per_iter``."""
    from bridgemark import stats

    out = []
    for impl, processes in raw.items():
        by_case: dict[str, list[dict]] = {}
        for records in processes:
            for r in records:
                by_case.setdefault(r["case"], []).append(r)
        for case, rs in by_case.items():
            head = {"implementation": impl, "case": case, "method": METHOD}
            if case == IMPORT_CASE:
                est = stats.median_ci([[r["import_ns"]] for r in rs])
                out.append(head | est.fields("import_median", "ns") | {"n": est.n, "import_ns": [r["import_ns"] for r in rs]})
                continue
            if any("error" in r for r in rs):
                out.append(head | {"error": next(r["error"] for r in rs if "error" in r)})
                continue
            first = [[r["first_call_ns"]] for r in rs]
            steady = [r["samples_ns_per_iter"] for r in rs]
            excess, _ = stats.median_difference_ci(first, steady)
            out.append(head | stats.median_ci(first).fields("first_call_median", "ns")
                       | stats.median_ci(steady).fields("steady_median", "ns")
                       | excess.fields("first_excess", "ns")
                       | {"n": len(rs), "first_call_ns": [r["first_call_ns"] for r in rs], "samples_ns_per_iter": steady})
    return out
