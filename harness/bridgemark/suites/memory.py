"""Suite ``memory``: RSS growth per iteration (bytes/iter), with the leak probe as control.

Cases (same syntax for the Rust bench binary): ``extract_file:PATH`` — the clean path on a
seed file; ``leak:N`` — the ``leak`` probe leaking N bytes per call, the positive control.

Child: warm-up (loops doubling until ``warmup_ms`` or ``max_iterations // 4`` calls), then
``points`` chunks of equal size (sized so the run lasts about ``duration_ms``, at most
``max_iterations`` calls), RSS read after each chunk. Parent: least-squares slope of RSS on
the iteration number with its 95% t-interval; verdict "leak" when the lower bound exceeds
:data:`LEAK_MARGIN_BYTES_PER_ITER`. The control passes when the leak probe is flagged and
the clean path is not.

Python heap: after the RSS series, the same calls again with ``tracemalloc`` on (its own
warm-up and ``traced_points`` chunks): slope of the traced current size on the iteration
number. RSS sees every allocator (Rust, C, Python); tracemalloc sees only Python's allocators,
so a leak in RSS without Python-heap growth is native (the leak control is one: it must not
show in the Python heap), and Python-heap growth names Python objects kept alive.
``direct_rust`` has no Python heap. The traced size is exact, so what fools a short series is
not noise but a one-off allocation after the warm-up (a cache filling, a container resizing:
about 1 kB over the first 20 calls of ``pure_python``): the series runs at least
:data:`HEAP_MIN_ITERATIONS` calls (longer than ``traced_duration_ms`` if need be, up to
``traced_max_ms``), and :func:`heap_verdict` says "not resolved" rather than guess when it
is shorter or its interval wider than the margin. The series' own bookkeeping allocates
nothing that stays alive (values go into a preallocated array), or it would read as growth.
"""

from __future__ import annotations

import array
from pathlib import Path
from typing import Any, Callable

from bridgemark import worker
from bridgemark.corpus import SEED_FILES

PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 1, "warmup_ms": 500, "duration_ms": 2_000, "points": 200, "max_iterations": 200_000,
             "traced_warmup_ms": 100, "traced_duration_ms": 500, "traced_points": 50, "traced_max_ms": 10_000},
    "quick": {"processes": 1, "warmup_ms": 200, "duration_ms": 800, "points": 100, "max_iterations": 50_000,
              "traced_warmup_ms": 50, "traced_duration_ms": 200, "traced_points": 25, "traced_max_ms": 10_000},
}
#: Bytes the positive control leaks per call.
LEAK_CONTROL_BYTES = 64
#: A slope whose 95% lower bound exceeds this is a leak (allocator/page steps stay below it).
LEAK_MARGIN_BYTES_PER_ITER = 16.0
#: Fewest calls a Python-heap series needs for a verdict: a one-off allocation of up to
#: ``HEAP_MIN_ITERATIONS × LEAK_MARGIN_BYTES_PER_ITER`` bytes (16 kB) after the warm-up then reads
#: as a slope below the margin, never as a leak.
HEAP_MIN_ITERATIONS = 1_000
#: The seed file the clean path extracts (relative to the shared corpus).
SEED_FILE = SEED_FILES[0]
METHOD = (
    f"RSS (psutil; /proc/self/status VmRSS in Rust) read after each of `points` equal chunks of calls, "
    f"after a warm-up; slope = least squares of RSS on iteration with its 95% t-interval; verdict: leak when the CI's lower bound > "
    f"{LEAK_MARGIN_BYTES_PER_ITER:g} B/iter. Control: leak({LEAK_CONTROL_BYTES}) must be flagged, "
    f"extract_file must not. Python heap: the same calls again under tracemalloc (traced current size "
    f"after each of `traced_points` chunks, after its own warm-up, at least {HEAP_MIN_ITERATIONS:,} calls "
    f"within traced_max_ms), slope by the same method; verdict: leak when the CI's lower bound > "
    f"{LEAK_MARGIN_BYTES_PER_ITER:g} B/iter, not resolved when the series has fewer than "
    f"{HEAP_MIN_ITERATIONS:,} calls or the CI's half-width exceeds {LEAK_MARGIN_BYTES_PER_ITER:g} B/iter; "
    f"a native leak (the control) leaves the Python heap flat."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases: the clean path on :data:`SEED_FILE` (when in ``files``) and the leak control."""
    out = {f"extract_file:{files[SEED_FILE]}": f"extract_file:{SEED_FILE}"} if SEED_FILE in files else {}
    return out | {f"leak:{LEAK_CONTROL_BYTES}": f"leak:{LEAK_CONTROL_BYTES}"}


def chunk_size(rate_per_ns: float, duration_ms: int, points: int, max_iterations: int, min_iterations: int = 0,
               max_ms: int | None = None) -> int:
    """Calls per chunk of a series of ``points`` chunks, at least 1.

    Sized so the series lasts about ``duration_ms`` at ``rate_per_ns`` (calls per ns, from the
    warm-up), raised to reach ``min_iterations`` calls in all as long as that fits in ``max_ms``
    (``None``: no limit), and never above ``max_iterations`` calls in all.

    Example: ``chunk_size(1e-6, 100, 10, 10**6)`` → 10 calls per chunk (1,000 calls per second for
    0.1 s, in 10 chunks); with ``min_iterations=1_000, max_ms=10_000`` → 100.
    """
    def calls_in(ms: float) -> int:
        return int(ms * 1_000_000 * rate_per_ns)

    wanted = max(calls_in(duration_ms), min(min_iterations, calls_in(max_ms) if max_ms is not None else min_iterations))
    return max(1, min(wanted, max_iterations) // points)


def series(case: str, f: Any, args: tuple, read: Callable[[], int], warmup_ms: int, duration_ms: int,
           points: int, max_iterations: int, min_iterations: int = 0, max_ms: int | None = None) -> dict[str, Any]:
    """Child side: warm-up, then ``read()`` after each of ``points`` equal chunks of calls.

    Warm-up: loops doubling until ``warmup_ms`` or ``max_iterations // 4`` calls; the chunk is
    sized from the warm-up's rate by :func:`chunk_size`. The values go into an array allocated
    before the first read, so the series keeps no new Python object alive (a traced heap would
    count them). Returns ``{"case", "warmup_iterations", "iterations"`` (cumulative calls after
    warm-up, starting at 0)``, "values"`` (``read()`` in bytes, same length)``}`` or
    ``{"case", "error"}`` when ``f`` raises.
    """
    warm_cap, loops, done, elapsed_ns = max_iterations // 4, 1, 0, 0
    try:
        while elapsed_ns < warmup_ms * 1_000_000 and done < warm_cap:
            elapsed_ns += worker.time_loop(f, args, loops)
            done, loops = done + loops, min(loops * 2, warm_cap)
    except Exception as exc:
        return {"case": case, "error": f"{type(exc).__name__}: {exc}"}
    chunk = chunk_size(done / max(elapsed_ns, 1), duration_ms, points, max_iterations, min_iterations, max_ms)
    values = array.array("q", bytes(8 * (points + 1)))
    values[0] = read()
    for i in range(1, points + 1):
        worker.time_loop(f, args, chunk)
        values[i] = read()
    return {"case": case, "warmup_iterations": done, "iterations": [i * chunk for i in range(points + 1)],
            "values": values.tolist()}


def rss_series(case: str, f: Any, args: tuple, params: dict) -> dict[str, Any]:
    """Child side: the RSS series (:func:`series` with :func:`bridgemark.worker.rss_bytes`), then the
    Python-heap series under tracemalloc (:func:`traced_series`). Raw record fields:
    ``warmup_iterations``, ``iterations``, ``rss_bytes``, and ``traced_iterations``,
    ``traced_bytes`` (tracemalloc's traced current size)."""
    rss = series(case, f, args, worker.rss_bytes, params["warmup_ms"], params["duration_ms"], params["points"],
                 params["max_iterations"])
    if "error" in rss:
        return rss
    out = {"case": case, "warmup_iterations": rss["warmup_iterations"], "iterations": rss["iterations"],
           "rss_bytes": rss["values"]}
    if params.get("traced_points"):
        traced = traced_series(case, f, args, params)
        out |= {"traced_iterations": traced["iterations"], "traced_bytes": traced["values"]}
    return out


def traced_series(case: str, f: Any, args: tuple, params: dict) -> dict[str, Any]:
    """Child side: :func:`series` of ``tracemalloc.get_traced_memory()[0]`` (bytes of Python-heap
    blocks allocated since tracing started and still alive), tracing on for this series only
    (``traced_warmup_ms``, ``traced_duration_ms``, ``traced_points``, at least
    :data:`HEAP_MIN_ITERATIONS` calls within ``traced_max_ms``): tracemalloc slows every Python
    allocation, so the RSS series runs without it."""
    import tracemalloc

    tracemalloc.start()
    try:
        return series(case, f, args, lambda: tracemalloc.get_traced_memory()[0], params["traced_warmup_ms"],
                      params["traced_duration_ms"], params["traced_points"], params["max_iterations"],
                      HEAP_MIN_ITERATIONS, params["traced_max_ms"])
    finally:
        tracemalloc.stop()


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
            } | heap_fields(r))
    return out


def heap_verdict(slope: Any, iterations: int) -> str:
    """The Python-heap verdict of a slope (:class:`bridgemark.stats.Estimate`, bytes/iter) fitted
    over ``iterations`` calls: ``"not resolved"`` when ``iterations`` < :data:`HEAP_MIN_ITERATIONS`
    or the 95% interval is missing or its half-width exceeds :data:`LEAK_MARGIN_BYTES_PER_ITER`
    (the series cannot tell a leak from none); else ``"leak"`` when the lower bound exceeds the
    margin (the RSS rule, :func:`bridgemark.stats.is_leak`), ``"no leak"`` otherwise."""
    from bridgemark import stats

    if iterations < HEAP_MIN_ITERATIONS or slope.low is None or (slope.high - slope.low) / 2 > LEAK_MARGIN_BYTES_PER_ITER:
        return "not resolved"
    return "leak" if stats.is_leak(slope, LEAK_MARGIN_BYTES_PER_ITER) else "no leak"


def heap_fields(raw: dict) -> dict[str, Any]:
    """The Python-heap (tracemalloc) fields of a record from its raw ``traced_*`` series:
    ``heap_slope_bytes_per_iter`` + ci95, ``heap_n``, ``heap_iterations``, ``heap_min_iterations``
    (:data:`HEAP_MIN_ITERATIONS`), ``heap_verdict`` (:func:`heap_verdict`) and the series ``series_heap_iterations``/``series_heap_bytes``;
    ``{}`` when the series was not taken (``direct_rust``: no Python heap)."""
    from bridgemark import stats

    if "traced_bytes" not in raw:
        return {}
    slope = stats.slope_ci(raw["traced_iterations"], raw["traced_bytes"])
    return {**slope.fields("heap_slope", "bytes_per_iter"), "heap_n": slope.n,
            "heap_iterations": raw["traced_iterations"][-1], "heap_min_iterations": HEAP_MIN_ITERATIONS,
            "heap_verdict": heap_verdict(slope, raw["traced_iterations"][-1]),
            "series_heap_iterations": raw["traced_iterations"], "series_heap_bytes": raw["traced_bytes"]}
