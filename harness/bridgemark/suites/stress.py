"""Suite ``stress``: a continuous run per implementation over the corpus files.

Child: every file is extracted once (files that fail are excluded and listed), then
``extract_file`` runs round-robin over the remaining files for ``duration_ms``; the
iterations completed and the RSS are recorded after each window of ``window_ms``, and
every exception is counted. Parent: total iterations and rate; rate per window (median,
95% bootstrap CI over windows); RSS start/end/growth and the RSS slope in bytes/iter.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

from bridgemark import worker

#: Full run: 6 s per implementation (was 30 s, then 22, 12 and 8 s: every second × 9
#: implementations pays for other suites — the calls suite's non-ASCII and 10/30 kB echo cases,
#: the startup suite, the memory suite's tracemalloc series, the memcpy cases, the extraction
#: suite's paired samples and the interleave suite per bridge — so that a fresh clone's `make
#: compare` stays within its 15 minutes; with 12 s it took 916 s, with 8 s and the per-bridge
#: interleave 939 s). 12 windows of 0.5 s give the RSS slope 10 degrees of freedom; `make soak`
#: is the long run.
PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 1, "duration_ms": 6_000, "window_ms": 500},
    "quick": {"processes": 1, "duration_ms": 3_000, "window_ms": 250},
}
METHOD = (
    "extract_file round-robin over every corpus file that extracts (files that fail on the first call "
    "are excluded and listed) for `duration_ms`; errors counted; per `window_ms` window: calls and RSS. "
    "Rate = calls / s, median over windows with a 95% bootstrap CI; RSS slope = least squares of RSS "
    "on calls with its 95% t-interval."
)
CASE = "corpus"


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases: every corpus file (absolute path → label)."""
    return {str(path): label for label, path in files.items()}


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: one raw record ``{"case": "corpus", "files", "excluded", "errors", "first_error",
    "window_ns": [...], "window_iterations": [...], "rss_start_bytes", "window_rss_bytes": [...]}``."""
    f = bridge.extract_file
    excluded, files = {}, []
    for path in cases:
        try:
            f(path)
            files.append(path)
        except Exception as exc:
            excluded[path] = f"{type(exc).__name__}: {exc}"
    record: dict[str, Any] = {"case": CASE, "files": len(files), "excluded": excluded}
    if not files:
        return [record | {"error": "no file extracts"}]
    clock, window_ns = time.perf_counter_ns, params["window_ms"] * 1_000_000
    errors, first_error, count = 0, None, 0
    windows_ns, windows_n, windows_rss = [], [], []
    rss_start = worker.rss_bytes()
    start = window_start = clock()
    deadline = start + params["duration_ms"] * 1_000_000
    for path in itertools.cycle(files):
        try:
            f(path)
        except Exception as exc:
            errors += 1
            first_error = first_error or f"{path}: {type(exc).__name__}: {exc}"
        count += 1
        now = clock()
        if now - window_start >= window_ns or now >= deadline:
            windows_ns.append(now - window_start)
            windows_n.append(count)
            windows_rss.append(worker.rss_bytes())
            count, window_start = 0, clock()
            if now >= deadline:
                break
    return [record | {"errors": errors, "first_error": first_error, "window_ns": windows_ns,
                      "window_iterations": windows_n, "rss_start_bytes": rss_start, "window_rss_bytes": windows_rss}]


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: one record per implementation (iterations, rate with CI, RSS growth and slope)."""
    from bridgemark import stats

    out = []
    for impl, processes in raw.items():
        for r in (r for records in processes for r in records):
            head = {"implementation": impl, "case": r["case"], "files": r["files"], "excluded": r["excluded"]}
            if "error" in r:
                out.append(head | {"error": r["error"]})
                continue
            rates = [n * 1e9 / ns for n, ns in zip(r["window_iterations"], r["window_ns"], strict=True)]
            rate = stats.median_ci([rates])
            cumulative = list(itertools.accumulate(r["window_iterations"], initial=0))
            rss = [r["rss_start_bytes"], *r["window_rss_bytes"]]
            slope = stats.slope_ci(cumulative, rss) if len(rss) > 2 else None
            out.append(head | {
                "method": "rate: median over windows, 95% CI: " + stats.BOOTSTRAP_METHOD,
                "duration_s": sum(r["window_ns"]) / 1e9,
                "iterations": cumulative[-1],
                "errors": r["errors"],
                "first_error": r["first_error"],
                **rate.fields("rate", "per_s"),
                "n": rate.n,
                "rss_start_bytes": rss[0],
                "rss_end_bytes": rss[-1],
                "rss_growth_bytes": rss[-1] - rss[0],
                **(slope.fields("slope", "bytes_per_iter") if slope else {}),
            })
    return out
