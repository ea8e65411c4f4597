"""Suite ``inflate``: the core's cost above inflating, direct Rust only.

For each large DOCX, the bench binary times the whole extraction of the file's bytes in
memory and, separately, only the inflation of the ZIP parts that extraction reads (same
inflater, size limit and CRC check: ``bridgemark_core::docx::inflate_parts``). The
figure is their ratio: how many times the time needed just to inflate the XML the core
spends in all (issue #3's goal: ≤ 3× on ``unstructured/handbook-872p.docx``). The two are
sampled alternately and their ratio taken per pair: this VM runs a process at one of
several speeds for hundreds of ms, which a ratio of two separately taken medians mixes in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridgemark import suites, worker

IMPLEMENTATIONS: tuple[str, ...] = (worker.DIRECT_RUST,)
#: Files measured: the shared corpus's largest DOCX and the largest generated one.
FILES: tuple[str, ...] = ("unstructured/handbook-872p.docx", "generated/paragraphs-1000.docx")
#: 8 processes in a full run: the handbook's ratio is issue #3's goal figure and a headline of
#: *Repeatability*, and the ratio differs between the machine's speed states (the extractor is
#: slowed more than the inflater), so a median over 3 processes moved with how many drew each:
#: 2.69× [2.66, 2.73] in run 2026-11-30T01-26-18Z, 2.32× [2.18, 2.62] in 02-26-10Z, whose calls
#: suite had twice the share of processes in the faster state (:mod:`bridgemark.states`). 3
#: processes took 7.4 s of that run.
PARAMS: dict[str, dict[str, int | float]] = {
    "full": {"processes": 8, "warmups": 1, "samples": 5, "min_sample_ns": 50_000_000, **worker.SAMPLING},
    "quick": {"processes": 2, "warmups": 0, "samples": 3, "min_sample_ns": 10_000_000, **worker.SAMPLING},
}
METHOD = (
    "direct Rust (bridgemark-bench inflate): extract_bytes on the file's bytes in memory vs inflating only "
    "the parts it reads (docx::inflate_parts), calibrated loops as in (a), samples of the two taken "
    "alternately (ABBA) in the same process; figure = median over pairs of extract / inflate, 95% "
    "two-stage bootstrap CI (processes, then pairs)."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Absolute path → label, for the :data:`FILES` present."""
    return {str(files[label]): label for label in FILES if label in files}


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Only the Rust bench binary measures this suite."""
    raise NotImplementedError("the inflate suite is measured by bridgemark-bench only")


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Per file: ``ratio`` = median over pairs of extract / inflate (the bench samples them
    alternately) with its 95% CI, both medians kept."""
    from bridgemark import stats

    pooled = suites.pooled_timing(raw)
    out = []
    for (impl, case), rec in pooled.items():
        if not case.startswith("extract:"):
            continue
        label = case.removeprefix("extract:")
        base = pooled.get((impl, f"inflate:{label}"))
        head = {"implementation": impl, "case": label}
        if "error" in rec or base is None or "error" in base:
            out.append(head | {"error": rec.get("error") or (base or {}).get("error", "not measured")})
            continue
        _, pct = stats.paired_difference_ci(rec["samples_ns_per_iter"], base["samples_ns_per_iter"])
        to_ratio = lambda v: None if v is None else 1 + v / 100  # noqa: E731
        out.append(head | {
            "method": METHOD, "extract_median_ns": rec["median_ns"], "inflate_median_ns": base["median_ns"],
            "ratio": to_ratio(pct.value), "ratio_ci95_low": to_ratio(pct.low), "ratio_ci95_high": to_ratio(pct.high),
            "n": rec["n"], "n_processes": rec["n_processes"],
        })
    return out
