"""``python -m bridgemark soak``: a long RSS-slope run per bridge (issue #5's soak).

Each bridge runs the memory suite's clean path (``extract_file`` on the first seed
document, or the largest generated file without the shared corpus) in its own worker
process for ``minutes``, RSS read at :data:`POINTS` evenly spaced moments after a
warm-up; the verdict is on the slope's 95% upper bound: below
:data:`GOAL_BYTES_PER_ITER` bytes per iteration passes.

``jobs`` bridges run at once (default 2: 6 bridges × 10 min take 30 min on 2 cores, not 60).
The figure is bytes per *iteration*: a worker that shares the CPU does fewer iterations
in its minutes, which widens the interval, but its slope does not depend on CPU speed.
The outcome per bridge is recorded in ``results/reliability/soak.json``
(:mod:`bridgemark.longrun`).
"""

from __future__ import annotations

import datetime as dt
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bridgemark import corpus, longrun, stats, worker
from bridgemark.environment import REPO_ROOT

#: The slope's 95% upper bound must stay below this (issue #5).
GOAL_BYTES_PER_ITER = 16.0
POINTS = 600
WARMUP_MS = 10_000
#: Bridges soaked at once by default (one per core of the project's 2-core machines).
DEFAULT_JOBS = 2


def _file() -> Path:
    shared = corpus.shared_corpus_dir()
    if shared is not None:
        return shared / corpus.SEED_FILES[0]
    return REPO_ROOT / "build" / "corpus" / corpus.generated_name(corpus.SIZES[-1])


def outcome(out: dict[str, Any], minutes: float) -> dict[str, Any]:
    """One bridge's soak outcome from its memory worker's JSON ``out``: ``slope_bytes_per_iter``
    with ``slope_ci95_low/high_bytes_per_iter``, ``iterations``, ``points``, ``minutes``,
    ``rss_start_bytes``/``rss_end_bytes`` and ``passed`` (upper bound < goal); or ``error``."""
    record = out.get("records", [{}])[0]
    if out.get("status") != "ok" or "error" in record:
        return {"minutes": minutes, "passed": False, "error": out.get("error") or record.get("error")}
    slope = stats.slope_ci(record["iterations"], record["rss_bytes"])
    return {
        **slope.fields("slope", "bytes_per_iter"),
        "iterations": record["iterations"][-1],
        "warmup_iterations": record["warmup_iterations"],
        "points": slope.n,
        "minutes": minutes,
        "rss_start_bytes": record["rss_bytes"][0],
        "rss_end_bytes": record["rss_bytes"][-1],
        "passed": slope.high is not None and slope.high < GOAL_BYTES_PER_ITER,
    }


def _soak_one(name: str, params: dict, case: str, minutes: float) -> dict[str, Any]:
    try:
        return outcome(worker.run(name, "memory", params, [case]), minutes)
    except worker.WorkerError as exc:
        return {"minutes": minutes, "passed": False, "error": str(exc)[:500]}


def _line(name: str, o: dict[str, Any]) -> str:
    if "error" in o:
        return f"{name}: not measured ({o['error']})"
    low, high = (o[f"slope_ci95_{side}_bytes_per_iter"] for side in ("low", "high"))
    interval = "no interval" if low is None or high is None else f"[{low:.3g}, {high:.3g}]"
    return (f"{name}: {o['iterations']:,} calls in {o['minutes']:g} min, RSS slope {o['slope_bytes_per_iter']:.3g} "
            f"{interval} B/iter (95% CI) — "
            f"{'pass' if o['passed'] else 'FAIL'} (goal: upper bound < {GOAL_BYTES_PER_ITER:g})")


def main(bridges: list[str], minutes: float, jobs: int = DEFAULT_JOBS, out_dir: Path = longrun.DEFAULT_DIR,
         merge: bool = False) -> None:
    """Soaks ``bridges``, ``jobs`` at a time; prints one line per bridge; writes
    ``<out_dir>/soak.json`` (``merge``: keeping the outcomes of the other bridges from the
    record already there, see :func:`bridgemark.longrun.merge`); exits 1 when one fails the
    goal or is not measured."""
    started = dt.datetime.now(dt.UTC)
    params = {"warmup_ms": WARMUP_MS, "duration_ms": int(minutes * 60_000), "points": POINTS,
              "max_iterations": 10**9}
    file = _file()
    case = f"extract_file:{file}"
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {name: pool.submit(_soak_one, name, params, case, minutes) for name in bridges}
        outcomes = {}
        for name, future in futures.items():
            outcomes[name] = future.result()
            print(_line(name, outcomes[name]), flush=True)
    passed = all(o["passed"] for o in outcomes.values())
    label = str(file.relative_to(corpus.shared_corpus_dir())) if corpus.shared_corpus_dir() and \
        file.is_relative_to(corpus.shared_corpus_dir()) else f"generated/{file.name}"
    parameters = params | {"minutes": minutes, "jobs": jobs, "file": label,
                           "goal_slope_ci95_high_bytes_per_iter": GOAL_BYTES_PER_ITER}
    document = longrun.record("soak", parameters, outcomes, passed, started)
    if merge:
        document = longrun.merge(longrun.load(out_dir).get("soak"), document)
    print(longrun.write(document, out_dir))
    sys.exit(0 if document["passed"] else 1)
