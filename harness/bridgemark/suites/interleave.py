"""Suite ``interleave``: what the core itself costs more when Python calls it one call at a time.

The direct-Rust baseline runs the core in a tight Rust loop: every call finds the caches,
the branch predictors and the allocator exactly as the previous call of the same work
left them. A bridge calls the core once per Python call, with the interpreter's work (and
the bridge's conversion) in between. This suite measures that difference on the core
alone, with no result crossing: in one worker, per file, samples alternate (ABBA) between

- **one call at a time**: a Python loop calling ``bm_time_extract_file(path, 1)`` through
  ctypes ``loops`` times and summing the durations the core reports (timed in Rust around
  the extraction only, so the ctypes call itself is not in it), and
- **tight loop**: ``bm_time_extract_file(path, loops)``, the core looping in Rust.

Figure per file: median over pairs of (one call at a time − tight loop) per call, 95%
two-stage bootstrap interval. It is part of every bridge's measured overhead and no probe
sees it (probes do no core work); the cost model adds it to its predictions. The Python
loop between two calls is the least a bridge does between them, so this is a lower bound
of what a bridge's own work in between costs the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridgemark import suites, worker

#: One worker implementation: the C ABI through ctypes (it reaches ``bm_time_extract_file``);
#: the figure is the core's, not this bridge's.
IMPLEMENTATIONS: tuple[str, ...] = ("ctypes",)
PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 2, "warmups": 0, "samples": 2, "min_sample_ns": 10_000_000},
    "quick": {"processes": 2, "warmups": 0, "samples": 3, "min_sample_ns": 2_000_000},
}
METHOD = (
    "per file, in one ctypes worker: the core's own extraction timed in Rust (bm_time_extract_file), `loops` "
    "calls one at a time from a Python loop (sum of the per-call durations the core reports) vs one Rust loop "
    "of `loops` calls, samples alternating (ABBA); figure = median over pairs of the difference per call, "
    "95% two-stage bootstrap CI (processes, then pairs)."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Every file (absolute path → label), as the extraction suite."""
    return {str(path): label for label, path in files.items()}


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side, per file: ``{"case", "loops", "samples_ns_per_iter"` (one call at a time),
    ``"rust_samples_ns_per_iter"`` (tight loop), warm-ups alike}`` or ``{"case", "error"}``."""
    timed = bridge.time_extract_file

    def one_at_a_time(path: str, loops: int) -> float:
        return sum(timed(path, 1) for _ in range(loops)) / loops

    out = []
    for path in cases:
        try:
            loops = worker.calibrate_baseline(lambda n, path=path: timed(path, n), params["min_sample_ns"])
        except Exception as exc:  # a file that does not extract is reported, not timed
            out.append({"case": path, "error": f"{type(exc).__name__}: {exc}"})
            continue
        single: list[float] = []
        tight: list[float] = []
        for i in range(params["warmups"] + params["samples"]):
            for first in (i % 2 == 0, i % 2 != 0):
                if first:
                    single.append(one_at_a_time(path, loops))
                else:
                    tight.append(timed(path, loops) / loops)
        w = params["warmups"]
        out.append({"case": path, "loops": loops, "warmup_ns_per_iter": single[:w], "samples_ns_per_iter": single[w:],
                    "rust_loops": loops, "rust_warmup_ns_per_iter": tight[:w], "rust_samples_ns_per_iter": tight[w:]})
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side, per file: ``median_ns`` (one call at a time) and ``rust_median_ns`` (tight loop)
    with their intervals, and ``interleave_ns``/``interleave_pct`` (+ ci95): the paired difference."""
    out = []
    for rec in suites.pooled_timing(raw).values():
        for unit in ("ns", "pct"):
            for name in ("", "_ci95_low", "_ci95_high"):
                if f"overhead{name}_{unit}" in rec:
                    rec[f"interleave{name}_{unit}"] = rec.pop(f"overhead{name}_{unit}")
        rec.pop("overhead_method", None)
        out.append(rec)
    return out
