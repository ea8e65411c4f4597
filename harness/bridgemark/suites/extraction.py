"""Suite ``extraction``: time per ``extract_file`` call, per file and implementation.

Cases are file paths; every implementation (bridges, ``pure_python``, ``direct_rust``)
extracts the same files. Overhead of a bridge is the difference of its median against
the ``direct_rust`` median on the same file, in ns and in % of direct Rust
(:func:`bridgemark.stats.median_difference_ci`). A file that fails to extract is
recorded with its error and not timed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridgemark import suites, worker

#: Budgets. ``min_sample_ns``: one sample lasts at least this long (calibrated loops).
#: ``warmups`` are extra discarded samples; the calibration runs before them (≥ 2 × min_sample_ns
#: of calls, discarded) already warm up, which is why none are added: ~75 files × 8
#: implementations × 5 processes must fit about 3 minutes of the 10-minute budget. Processes
#: rather than samples: on shared VMs the median moves by tens of % between processes.
PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 5, "warmups": 0, "samples": 2, "min_sample_ns": 10_000_000},
    "quick": {"processes": 2, "warmups": 0, "samples": 3, "min_sample_ns": 2_000_000},
}
METHOD = (
    "extract_file(path) in a calibrated loop (loops doubled until one sample lasts ≥ min_sample_ns; the "
    "calibration runs and `warmups` samples are discarded as warm-up), `samples` per process, `processes` fresh worker processes per "
    "implementation, interleaved; figure = median ns per call with a 95% bootstrap CI; overhead = "
    "median(bridge) − median(direct_rust) on the same file, in ns and % of direct_rust, 95% bootstrap CI."
)
BASELINE = worker.DIRECT_RUST


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases for ``files`` (label → path): absolute path → label."""
    return {str(path): label for label, path in files.items()}


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: one timing record per file (see :func:`bridgemark.worker.timing_record`)."""
    f = bridge.extract_file
    return [worker.timing_record(path, f, (path,), params) for path in cases]


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: pooled medians per (implementation, file), plus overhead vs direct Rust.

    Records gain ``overhead_ns``/``overhead_pct`` with their ci95 bounds when the file's
    ``direct_rust`` record exists and has samples; ``direct_rust``'s own records do not.
    """
    from bridgemark import stats

    pooled = suites.pooled_timing(raw)
    out = []
    for (impl, case), rec in pooled.items():
        base = pooled.get((BASELINE, case))
        if impl != BASELINE and "error" not in rec and base is not None and "error" not in base:
            diff, pct = stats.median_difference_ci(rec["samples_ns_per_iter"], base["samples_ns_per_iter"])
            rec = rec | diff.fields("overhead", "ns") | pct.fields("overhead", "pct")
        out.append(rec)
    return out
