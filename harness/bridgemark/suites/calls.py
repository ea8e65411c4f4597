"""Suite ``calls``: the bridge's own cost, from the probes (ns per call).

Cases (same syntax for the Rust bench binary):

- ``loop`` — the empty timed loop, no call: the harness's own cost per iteration, included
  in every other figure of this suite (reported, never subtracted);
- ``noop`` — the bare call (fixed cost); ``add`` — ``add(1, 2)``, scalar marshalling;
- ``echo:N`` — ``echo("x" * N)``, N bytes of ASCII in and out;
- ``make_result:C:T`` — a result of C characters and T 3×3 tables converted, no extraction;
- ``spin:N`` — ``spin(N)``: N ns of busy work, the timing control (must measure N ± 5%).

The probe is the bridge's native callable, bound to a local before the loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from bridgemark import suites, worker

#: Budgets (see :mod:`bridgemark.suites.extraction` for the meaning of each key).
PARAMS: dict[str, dict[str, int]] = {
    "full": {"processes": 4, "warmups": 1, "samples": 3, "min_sample_ns": 10_000_000},
    "quick": {"processes": 2, "warmups": 1, "samples": 3, "min_sample_ns": 2_000_000},
}
#: Every case, in report order.
CASES: tuple[str, ...] = (
    "loop", "noop", "add",
    "echo:0", "echo:1024", "echo:65536", "echo:1048576",
    "make_result:0:0", "make_result:1000:1", "make_result:100000:10",
    f"spin:{1_000_000}",
)
#: The spin control: ``spin(n)`` must take n ns within this fraction, on every implementation.
SPIN_TOLERANCE = 0.05
METHOD = (
    "probe called directly (its native callable bound to a local) in a calibrated loop "
    "(`for _ in itertools.repeat(None, loops): f(*args)`, ≥ min_sample_ns per sample), warm-up "
    "discarded, `samples` per process × `processes` interleaved worker processes; figure = median ns "
    "per call with a 95% bootstrap CI. `loop` is the empty loop (harness cost, included in every figure)."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases (independent of the corpus): case → label."""
    return {c: c for c in CASES}


def probe_call(bridge: Any, case: str) -> tuple[Callable | None, tuple]:
    """The callable and arguments of ``case`` on ``bridge``. Raises ``ValueError`` for an unknown case."""
    kind, *arg = case.split(":")
    if kind == "loop" and not arg:
        return None, ()
    if kind == "noop" and not arg:
        return bridge.noop, ()
    if kind == "add" and not arg:
        return bridge.add, (1, 2)
    if kind == "echo" and len(arg) == 1:
        return bridge.echo, ("x" * int(arg[0]),)
    if kind == "make_result" and len(arg) == 2:
        return bridge.make_result, (int(arg[0]), int(arg[1]))
    if kind == "spin" and len(arg) == 1:
        return bridge.spin, (int(arg[0]),)
    raise ValueError(f"unknown calls case {case!r}")


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: one timing record per probe case."""
    return [worker.timing_record(case, *probe_call(bridge, case), params) for case in cases]


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: pooled median ns per call per (implementation, case); ``spin:N`` records
    gain ``control_ok``: the median is within :data:`SPIN_TOLERANCE` of N."""
    out = []
    for (impl, case), rec in suites.pooled_timing(raw).items():
        if case.startswith("spin:") and "median_ns" in rec:
            target = int(case.split(":")[1])
            rec = rec | {"control_ok": abs(rec["median_ns"] - target) <= SPIN_TOLERANCE * target}
        out.append(rec)
    return out
