"""Suite ``interleave``: what the core itself costs more inside a bridge's loop than in a tight loop.

The direct-Rust baseline runs the core in a tight Rust loop: every call finds the caches,
the branch predictors and the allocator exactly as the previous call of the same work
left them. A bridge calls the core once per Python call, with its own work in between:
converting the result, the interpreter's loop, freeing the previous result, converting the
next arguments. This suite measures what that costs the core, per bridge, with the core
timing itself: in the bridge's worker, per file, samples alternate (ABBA) between

- **in the bridge's loop**: ``loops`` calls of the bridge's own ``extract_file(path)``, exactly
  as the extraction suite's loop makes them, with the bridge's core clock on
  (``core_clock_ns``, :mod:`bridgemark.registry`): the sum of the durations of the core's
  ``extract_file`` inside those calls, timed in Rust around the extraction alone, and
- **tight loop**: ``bm_time_extract_file(path, loops)`` (through ctypes), the core looping in
  Rust, the clock off.

Figure per (bridge, file): median over pairs of (in the bridge's loop − tight loop) per call,
95% two-stage bootstrap interval. It is part of the bridge's measured overhead and no probe
sees it (probes do no core work); the cost model adds it to that bridge's predictions. Known
bias: a call in the bridge's loop also pays one read of the monotonic clock inside the
interval it measures (about 32 ns: `core/src/clock.rs`), the tight loop none. Earlier runs timed the core one call
at a time through ctypes right after each of the bridge's calls: a ctypes call's own work
(libffi, argument conversion) ran in front of the core, which the bridge's loop does not have.
In a trial (2026-11-30, a run of this suite alone against the reference run 03-49-49Z's) the
median over DOCX files fell from 7.0 to 0.7 µs on capi, 9.1 to 2.2 on pyo3, 10.0 to 3.4 on
pybind11 and 13.4 to 4.0 on cffi_api, and less on the libffi bridges (ctypes 5.3 to 4.0,
cffi_abi 7.1 to 5.6), whose own calls have that work in front of the core too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from bridgemark import suites, worker
from bridgemark.registry import BRIDGES

#: Every bridge; the core's timer is reached through ctypes (``bm_time_extract_file``) in each.
IMPLEMENTATIONS: tuple[str, ...] = BRIDGES
#: Two processes per bridge with 3 pairs of ≥ 2 ms samples each: the pairs cancel a process's speed
#: state, not its code layout (ASLR), drawn once per process (the conversion suite's term moved
#: 3.8 … 13.1 µs between processes in trials), so two processes of 3 pairs rather than one of 6
#: (run 2026-11-30T04-09-09Z: 46 s, intervals 10–17 µs wide on small DOCX) for the same time and
#: the same size of compare.json. A pair of short samples sits in one speed state. Only files whose
#: one core call takes less than ``max_call_ns``: the effect is µs (≈ 3–15 µs on small DOCX in trials
#: before run 2026-11-29T22-44), below the noise of samples of a few calls of several ms (those
#: trials gave −24 … +4 ms), and those files' calls (up to 0.23 s) would cost 6 bridges × ~6 s
#: of `make compare`'s minutes.
PARAMS: dict[str, dict[str, int | float]] = {
    "full": {"processes": 2, "warmups": 0, "samples": 3, "min_sample_ns": 2_000_000, "max_call_ns": 2_000_000, **worker.SAMPLING},
    "quick": {"processes": 1, "warmups": 0, "samples": 4, "min_sample_ns": 1_000_000, "max_call_ns": 2_000_000, **worker.SAMPLING},
}
METHOD = (
    "per bridge and file, in the bridge's worker: the core's own extraction timed in Rust by the bridge's core "
    "clock (core_clock_ns) over `loops` calls of the bridge's extract_file on the file vs one Rust loop of `loops` "
    "calls (bm_time_extract_file through ctypes, the clock off), samples alternating (ABBA); figure = median "
    "over pairs of the difference per call, 95% two-stage bootstrap CI (processes, then pairs)."
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
    """Child side, per file: ``{"case", "loops", "samples_ns_per_iter"`` (in the bridge's loop),
    ``"rust_samples_ns_per_iter"`` (tight loop), warm-ups alike, the sample counts of
    :meth:`bridgemark.worker.Sampler.fields`}``, ``{"case", "error"}``, or
    ``{"case", "skipped"}`` when one core call (the first) takes ``params["max_call_ns"]`` or more."""
    timed, extract, clock = core_timer(), bridge.extract_file, bridge.core_clock_ns

    def in_bridge_loop(path: str, loops: int) -> float:
        clock(True)
        for _ in range(loops):
            extract(path)
        return clock(False) / loops

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
        in_loop: list[float] = []
        tight: list[float] = []
        sampler = worker.Sampler(params)
        for i in range(params["warmups"] + params["samples"]):
            for first in (i % 2 == 0, i % 2 != 0):
                if first:
                    in_loop.append(sampler.take(lambda: in_bridge_loop(path, loops)))
                else:
                    tight.append(sampler.take(lambda: timed(path, loops)) / loops)
        w = params["warmups"]
        out.append({"case": path, "loops": loops, "warmup_ns_per_iter": in_loop[:w], "samples_ns_per_iter": in_loop[w:],
                    "rust_loops": loops, "rust_warmup_ns_per_iter": tight[:w], "rust_samples_ns_per_iter": tight[w:],
                    **sampler.fields()})
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side, per (bridge, file): ``median_ns`` (in the bridge's loop) and ``rust_median_ns`` (tight loop)
    with their intervals, and ``interleave_ns`` (+ ci95): the paired difference."""
    out = []
    for rec in suites.pooled_timing(raw).values():
        suites.rename_estimate(rec, "overhead", "interleave").pop("overhead_method", None)
        out.append(rec)
    return out
