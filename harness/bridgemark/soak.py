"""``python -m bridgemark soak``: a long RSS-slope run per bridge (issue #5's soak).

Each bridge runs the memory suite's clean path (``extract_file`` on the first seed
document, or the largest generated file without the shared corpus) in its own worker
process for ``minutes``, RSS read at :data:`POINTS` evenly spaced moments after a
warm-up; the verdict is on the slope's 95% upper bound: below
:data:`GOAL_BYTES_PER_ITER` bytes per iteration passes.
"""

from __future__ import annotations

import sys

from bridgemark import corpus, stats, worker
from bridgemark.environment import REPO_ROOT

#: The slope's 95% upper bound must stay below this (issue #5).
GOAL_BYTES_PER_ITER = 16.0
POINTS = 600
WARMUP_MS = 10_000


def _file() -> str:
    shared = corpus.shared_corpus_dir()
    if shared is not None:
        return str(shared / corpus.SEED_FILES[0])
    return str(REPO_ROOT / "build" / "corpus" / corpus.generated_name(corpus.SIZES[-1]))


def main(bridges: list[str], minutes: float) -> None:
    """Runs the soak for ``bridges``; prints one line per bridge; exits 1 when one fails the goal."""
    params = {"warmup_ms": WARMUP_MS, "duration_ms": int(minutes * 60_000), "points": POINTS,
              "max_iterations": 10**9}
    case = f"extract_file:{_file()}"
    failed = 0
    for name in bridges:
        out = worker.run(name, "memory", params, [case])
        record = out.get("records", [{}])[0]
        if out.get("status") != "ok" or "error" in record:
            print(f"{name}: not measured ({out.get('error') or record.get('error')})")
            failed += 1
            continue
        slope = stats.slope_ci(record["iterations"], record["rss_bytes"])
        ok = slope.high is not None and slope.high < GOAL_BYTES_PER_ITER
        failed += not ok
        print(f"{name}: {record['iterations'][-1]:,} calls in {minutes:g} min, RSS slope {slope.value:.3g} "
              f"[{slope.low:.3g}, {slope.high:.3g}] B/iter (95% CI) — {'pass' if ok else 'FAIL'} "
              f"(goal: upper bound < {GOAL_BYTES_PER_ITER:g})")
    sys.exit(1 if failed else 0)
