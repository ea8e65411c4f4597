"""Suite ``interleave``: what the core itself costs more inside a bridge's call than in a tight loop.

The direct-Rust baseline runs the core in a tight Rust loop: every call finds the caches,
the branch predictors and the allocator exactly as the previous call of the same work
left them. A bridge calls the core once per Python call, with its own work in between:
converting the result, the interpreter's loop, freeing the previous result. This suite
measures what that costs the core, per bridge, with the core timing itself: in the
bridge's worker, per file, samples alternate (ABBA) between

- **after the bridge's call**: ``loops`` times, the bridge's own ``extract_file(path)`` (its
  result converted and dropped, as in the extraction suite's loop), then
  ``bm_time_extract_file(path, 1)`` through ctypes; the sum of the durations the core reports
  for those single calls (timed in Rust around the extraction only: neither call's bridge
  work is in it), and
- **tight loop**: ``bm_time_extract_file(path, loops)``, the core looping in Rust.

Figure per (bridge, file): median over pairs of (after the bridge's call − tight loop) per
call, 95% two-stage bootstrap interval. It is part of the bridge's measured overhead and no
probe sees it (probes do no core work); the cost model adds it to that bridge's predictions.
The core timed here runs where the bridge's next call would run it: after the bridge's
result was converted and freed, behind one ctypes call of five arguments (``os.fsencode`` of
the path, libffi's argument conversion) instead of the bridge's own argument conversion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from bridgemark import suites, worker
from bridgemark.registry import BRIDGES

#: Every bridge; the core's timer is reached through ctypes (``bm_time_extract_file``) in each.
IMPLEMENTATIONS: tuple[str, ...] = BRIDGES
#: One process per bridge (the pairs cancel the process's speed state) with 6 pairs of ≥ 2 ms
#: samples: a percentile interval of a median needs about 6 values to reach 95% (of 3 it is their
#: range, ≈ 75%), and a pair of short samples sits in one speed state. Only files whose one core
#: call takes less than ``max_call_ns``: the effect is µs (≈ 3–15 µs on small DOCX in trials
#: before run 2026-11-29T22-44), below the noise of samples of a few calls of several ms (those
#: trials gave −24 … +4 ms), and those files' calls (up to 0.23 s) would cost 6 bridges × ~6 s
#: of `make compare`'s 15 minutes.
PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 1, "warmups": 0, "samples": 6, "min_sample_ns": 2_000_000, "max_call_ns": 2_000_000},
    "quick": {"processes": 1, "warmups": 0, "samples": 4, "min_sample_ns": 1_000_000, "max_call_ns": 2_000_000},
}
METHOD = (
    "per bridge and file, in the bridge's worker: the core's own extraction timed in Rust (bm_time_extract_file "
    "through ctypes), `loops` single calls each right after one call of the bridge's extract_file on the same "
    "file (sum of the single calls' durations) vs one Rust loop of `loops` calls, samples alternating (ABBA); "
    "figure = median over pairs of the difference per call, 95% two-stage bootstrap CI (processes, then pairs)."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Every file (absolute path → label), as the extraction suite."""
    return {str(path): label for label, path in files.items()}


def core_timer() -> Callable[[str, int], int]:
    """``bm_time_extract_file`` through ctypes: ``(path, loops)`` → ns of the core's own loop of
    ``loops`` extractions, timed in Rust; raises the bridges' error classes."""
    from bridgemark_ctypes import time_extract_file

    return time_extract_file


#: Why the interleave suite leaves out files of long core calls (:func:`skip_reason`).
SKIP_WHY = "the effect is below the noise"


def skip_reason(timed: Callable[[str, int], int], path: str, max_call_ns: int, why: str = SKIP_WHY) -> str | None:
    """Why ``path`` is not measured, or ``None``: one core call (``timed(path, 1)``, ns) takes
    ``max_call_ns`` or more (the message ends with ``why``)."""
    first_ns = timed(path, 1)
    if first_ns < max_call_ns:
        return None
    return f"one core call takes {first_ns / 1e6:.1f} ms (≥ {max_call_ns / 1e6:g} ms: {why})"


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side, per file: ``{"case", "loops", "samples_ns_per_iter"`` (after the bridge's call),
    ``"rust_samples_ns_per_iter"`` (tight loop), warm-ups alike}``, ``{"case", "error"}``, or
    ``{"case", "skipped"}`` when one core call (the first) takes ``params["max_call_ns"]`` or more."""
    timed, extract = core_timer(), bridge.extract_file

    def after_call(path: str, loops: int) -> float:
        core_ns = 0
        for _ in range(loops):
            extract(path)
            core_ns += timed(path, 1)
        return core_ns / loops

    out = []
    for path in cases:
        try:
            extract(path)
            skipped = skip_reason(timed, path, params["max_call_ns"])
            if skipped:
                out.append({"case": path, "skipped": skipped})
                continue
            loops = worker.calibrate_baseline(lambda n, path=path: timed(path, n), params["min_sample_ns"])
        except Exception as exc:  # a file that does not extract is reported, not timed
            out.append({"case": path, "error": f"{type(exc).__name__}: {exc}"})
            continue
        single: list[float] = []
        tight: list[float] = []
        for i in range(params["warmups"] + params["samples"]):
            for first in (i % 2 == 0, i % 2 != 0):
                if first:
                    single.append(after_call(path, loops))
                else:
                    tight.append(timed(path, loops) / loops)
        w = params["warmups"]
        out.append({"case": path, "loops": loops, "warmup_ns_per_iter": single[:w], "samples_ns_per_iter": single[w:],
                    "rust_loops": loops, "rust_warmup_ns_per_iter": tight[:w], "rust_samples_ns_per_iter": tight[w:]})
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side, per (bridge, file): ``median_ns`` (after the bridge's call) and ``rust_median_ns`` (tight loop)
    with their intervals, and ``interleave_ns`` (+ ci95): the paired difference."""
    out = []
    for rec in suites.pooled_timing(raw).values():
        suites.rename_estimate(rec, "overhead", "interleave").pop("overhead_method", None)
        out.append(rec)
    return out
