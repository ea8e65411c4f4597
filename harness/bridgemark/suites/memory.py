"""Suite ``memory``: RSS growth per iteration (bytes/iter), with the leak probe as control.

Cases (same syntax for the Rust bench binary): ``extract_file:PATH`` — the clean path on a
seed file; ``leak:N`` — the ``leak`` probe leaking N bytes per call, the positive control.

Child: warm-up (loops doubling until ``warmup_ms`` or ``max_iterations // 4`` calls), then
``points`` chunks of equal size (sized so the run lasts about ``duration_ms``, at most
``max_iterations`` calls), RSS read after each chunk. Parent: least-squares slope of RSS on
the iteration number with its 95% t-interval; verdict "leak" when the lower bound exceeds
:data:`LEAK_MARGIN_BYTES_PER_ITER`. The control passes when the leak probe is flagged and
the clean path is not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridgemark import worker
from bridgemark.corpus import SEED_FILES

PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 1, "warmup_ms": 500, "duration_ms": 2_000, "points": 200, "max_iterations": 200_000},
    "quick": {"processes": 1, "warmup_ms": 200, "duration_ms": 800, "points": 100, "max_iterations": 50_000},
}
#: Bytes the positive control leaks per call.
LEAK_CONTROL_BYTES = 64
#: A slope whose 95% lower bound exceeds this is a leak (allocator/page steps stay below it).
LEAK_MARGIN_BYTES_PER_ITER = 16.0
#: The seed file the clean path extracts (relative to the shared corpus).
SEED_FILE = SEED_FILES[0]
METHOD = (
    f"RSS (psutil; /proc/self/status VmRSS in Rust) read after each of `points` equal chunks of calls, "
    f"after a warm-up; slope = least squares of RSS on iteration with its 95% t-interval; verdict: leak when the CI's lower bound > "
    f"{LEAK_MARGIN_BYTES_PER_ITER:g} B/iter. Control: leak({LEAK_CONTROL_BYTES}) must be flagged, "
    f"extract_file must not."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases: the clean path on :data:`SEED_FILE` (when in ``files``) and the leak control."""
    out = {f"extract_file:{files[SEED_FILE]}": f"extract_file:{SEED_FILE}"} if SEED_FILE in files else {}
    return out | {f"leak:{LEAK_CONTROL_BYTES}": f"leak:{LEAK_CONTROL_BYTES}"}


def rss_series(case: str, f: Any, args: tuple, params: dict) -> dict[str, Any]:
    """Child side: warm-up, then RSS after each chunk. Raw record fields: ``warmup_iterations``,
    ``iterations`` (cumulative calls after warm-up, starting at 0) and ``rss_bytes`` (same length)."""
    warm_cap, loops, done, elapsed_ns = params["max_iterations"] // 4, 1, 0, 0
    try:
        while elapsed_ns < params["warmup_ms"] * 1_000_000 and done < warm_cap:
            elapsed_ns += worker.time_loop(f, args, loops)
            done, loops = done + loops, min(loops * 2, warm_cap)
    except Exception as exc:
        return {"case": case, "error": f"{type(exc).__name__}: {exc}"}
    points = params["points"]
    by_time = params["duration_ms"] * 1_000_000 * done // max(elapsed_ns, 1) // points
    chunk = max(1, min(by_time, params["max_iterations"] // points))
    iterations, rss = [0], [worker.rss_bytes()]
    for i in range(1, points + 1):
        worker.time_loop(f, args, chunk)
        iterations.append(i * chunk)
        rss.append(worker.rss_bytes())
    return {"case": case, "warmup_iterations": done, "iterations": iterations, "rss_bytes": rss}


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: one RSS series per case."""
    out = []
    for case in cases:
        kind, _, arg = case.partition(":")
        if kind == "extract_file":
            out.append(rss_series(case, bridge.extract_file, (arg,), params))
        elif kind == "leak":
            out.append(rss_series(case, bridge.leak, (int(arg),), params))
        else:
            raise ValueError(f"unknown memory case {case!r}")
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: slope (bytes/iter) with CI, verdict and control outcome per (implementation, case)."""
    from bridgemark import stats

    out = []
    for impl, processes in raw.items():
        for r in (r for records in processes for r in records):
            head = {"implementation": impl, "case": r["case"]}
            if "error" in r:
                out.append(head | {"error": r["error"]})
                continue
            slope = stats.slope_ci(r["iterations"], r["rss_bytes"])
            leak = stats.is_leak(slope, LEAK_MARGIN_BYTES_PER_ITER)
            expected = r["case"].startswith("leak:")
            out.append(head | {
                "method": "least-squares slope, 95% CI: " + stats.SLOPE_METHOD,
                "unit": "bytes per iteration",
                **slope.fields("slope", "bytes_per_iter"),
                "n": slope.n,
                "iterations": r["iterations"][-1],
                "warmup_iterations": r["warmup_iterations"],
                "rss_start_bytes": r["rss_bytes"][0],
                "rss_end_bytes": r["rss_bytes"][-1],
                "leak": leak,
                "control": "positive" if expected else "negative",
                "control_ok": leak == expected,
                "margin_bytes_per_iter": LEAK_MARGIN_BYTES_PER_ITER,
                "series_iterations": r["iterations"],
                "series_rss_bytes": r["rss_bytes"],
            })
    return out
