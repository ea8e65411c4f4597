"""Suite ``threads``: does the bridge release the GIL? Throughput at 1 and 2 threads.

Cases: ``spin:NS`` — the ``spin`` probe busy-waiting NS nanoseconds in native code (the
positive control: a bridge that releases the GIL scales towards 2× on 2 cores, one that
holds it stays at 1×; ``pure_python``'s spin is Python code and is the negative
control); ``extract_file:PATH`` — real extraction of a seed document.

Child: for each thread count, ``samples`` windows of ``window_ms``: the threads start
together (a barrier), each calls the function until the window closes; the sample is
total calls per second. Parent: scaling = throughput(2 threads) / throughput(1 thread)
as a ratio of medians with its 95% bootstrap CI; verdict "releases the GIL" when the
CI's lower bound exceeds :data:`RELEASE_SCALING` on the spin control.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable

from bridgemark.corpus import SEED_FILES, generated_name

#: Who is measured: the bridges and the pure-Python baseline (direct Rust has no GIL).
IMPLEMENTATIONS: tuple[str, ...] = ("capi", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes", "pure_python")
PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 1, "samples": 3, "window_ms": 250},
    "quick": {"processes": 1, "samples": 3, "window_ms": 150},
}
THREADS: tuple[int, ...] = (1, 2)
#: Busy-wait per spin call (1 ms): long against any bridge's fixed cost.
SPIN_NS = 1_000_000
#: Scaling (2 threads / 1 thread) whose 95% lower bound must exceed this to say "releases the GIL".
RELEASE_SCALING = 1.3
METHOD = (
    f"throughput (calls/s) of {THREADS} threads calling the function together for `window_ms` windows "
    f"(`samples` per thread count per process); scaling = median throughput at 2 threads / at 1 thread, "
    f"95% bootstrap CI; 'releases the GIL' when the spin control's CI lower bound > {RELEASE_SCALING}."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """The spin control and extraction of a generated and a seed document, when present."""
    out = {f"spin:{SPIN_NS}": f"spin:{SPIN_NS}"}
    for label in (f"generated/{generated_name(100)}", SEED_FILES[1]):
        if label in files:
            out[f"extract_file:{files[label]}"] = f"extract_file:{label}"
    return out


def _throughput(f: Callable, args: tuple, n_threads: int, window_ns: int) -> float:
    """Calls per second of ``n_threads`` threads calling ``f(*args)`` for one window."""
    counts = [0] * n_threads
    barrier = threading.Barrier(n_threads + 1)
    deadline = [0]

    def run(slot: int) -> None:
        barrier.wait()
        n, end, clock = 0, deadline[0], time.perf_counter_ns
        while clock() < end:
            f(*args)
            n += 1
        counts[slot] = n

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    start = time.perf_counter_ns()
    deadline[0] = start + window_ns
    barrier.wait()
    for t in threads:
        t.join()
    return sum(counts) / ((time.perf_counter_ns() - start) / 1e9)


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: per case and thread count, ``samples`` throughputs (calls/s)."""
    out = []
    for case in cases:
        kind, _, arg = case.partition(":")
        f, args = (bridge.spin, (int(arg),)) if kind == "spin" else (bridge.extract_file, (arg,))
        try:
            f(*args)
        except Exception as exc:
            out.append({"case": case, "error": f"{type(exc).__name__}: {exc}"})
            continue
        record: dict[str, Any] = {"case": case}
        for n in THREADS:
            record[f"calls_per_s_{n}_threads"] = [
                _throughput(f, args, n, params["window_ms"] * 1_000_000) for _ in range(params["samples"])
            ]
        out.append(record)
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Per (implementation, case): median throughput at 1 and 2 threads, scaling with CI, verdict."""
    from bridgemark import stats

    out = []
    grouped: dict[tuple[str, str], list[dict]] = {}
    for impl, processes in raw.items():
        for records in processes:
            for r in records:
                grouped.setdefault((impl, r["case"]), []).append(r)
    for (impl, case), rs in grouped.items():
        head = {"implementation": impl, "case": case}
        if any("error" in r for r in rs):
            out.append(head | {"error": next(r["error"] for r in rs if "error" in r)})
            continue
        one = [r["calls_per_s_1_threads"] for r in rs]
        two = [r["calls_per_s_2_threads"] for r in rs]
        _, pct = stats.median_difference_ci(two, one)
        scale = lambda v: None if v is None else 1 + v / 100  # noqa: E731
        rec = head | {
            "calls_per_s_1_thread": stats.median_ci(one).value, "calls_per_s_2_threads": stats.median_ci(two).value,
            "scaling": scale(pct.value), "scaling_ci95_low": scale(pct.low), "scaling_ci95_high": scale(pct.high),
            "n": sum(len(s) for s in one), "n_processes": len(rs),
        }
        if case.startswith("spin:"):
            rec["releases_gil"] = rec["scaling_ci95_low"] is not None and rec["scaling_ci95_low"] > RELEASE_SCALING
        out.append(rec)
    return out
