"""Worker processes: every implementation is measured in a process of its own.

Protocol (one place for both sides, shared with the Rust bench binary):

    python -m bridgemark.worker IMPLEMENTATION SUITE --params JSON CASE...
    target/release/bridgemark-bench SUITE --params JSON CASE...        (direct_rust)

The child prints one JSON object on stdout::

    {"implementation": str, "suite": str, "pid": int, "status": "ok",
     "records": [{"case": str, ...suite-specific raw fields...}, ...]}

or, when the bridge cannot be imported, ``{"status": "not built", "error": "ImportError: ..."}``.
Records hold raw observations only (samples, RSS series, counts); the parent computes
every statistic (:mod:`bridgemark.stats`), so Python and Rust are summarised identically.

Timing primitives (used by the suites inside the child) follow pyperf's method —
loops calibrated by doubling until one sample lasts ``min_sample_ns``, warm-up samples
discarded, several samples per process, several processes per figure — but are not
pyperf's ``Runner``: the Runner owns ``sys.argv`` and spawns its own processes per
benchmark (20 by default, 100 ms per value), which for ~80 files × 8 implementations
would not fit the 10-minute budget, and it cannot host the Rust baseline. The loop is
pyperf's ``bench_time_func`` shape: ``for _ in itertools.repeat(None, loops): f(*args)``
timed with ``time.perf_counter_ns``, with ``f`` the bridge's own callable (no wrapper). Every
sample follows the on-CPU rule (:data:`SAMPLING`, :class:`Sampler`): one taken while another
process had this one's CPU is taken again.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import signal
import subprocess
import sys
import time
from typing import Any, Callable, TypeVar

import psutil

from bridgemark.environment import REPO_ROOT

#: The Rust baseline binary (built by ``cargo build --release -p bridgemark-core``).
BENCH_BINARY = REPO_ROOT / "target" / "release" / "bridgemark-bench"
#: Name of the direct-Rust implementation (measured by :data:`BENCH_BINARY`).
DIRECT_RUST = "direct_rust"
#: A worker still running after this many seconds is killed and reported as hung.
WORKER_TIMEOUT_S = 1800
#: Upper bound of loops per sample (a callable so fast it never reaches min_sample_ns).
MAX_LOOPS = 1 << 30


#: The on-CPU rule of every timed sample (:class:`Sampler`), as the suites that time samples put it
#: in their ``PARAMS`` (the Rust bench applies the same keys): a sample during which this process
#: was on a CPU for less than ``min_on_cpu`` of its wall time (process CPU time / wall time: another
#: process ran on its core, or the hypervisor took the vCPU) is taken again, at most ``max_retakes``
#: times. Why: a time slice lost to another process is a few ms, as long as a whole sample; measured
#: here, two busy processes beside a worker made its 28 µs Rust loop 59 … 92 µs per call at
#: 0.3 … 0.5 of a CPU, while a quiet machine gives 1.00 on every sample. The figure is then the
#: time per call of the work itself, not of the scheduler; the records count the retakes.
SAMPLING: dict[str, float | int] = {"min_on_cpu": 0.95, "max_retakes": 3}

T = TypeVar("T")


class WorkerError(RuntimeError):
    """A worker process failed (non-zero exit or unreadable output); carries its stderr."""


class Sampler:
    """Takes timed samples under the on-CPU rule (:data:`SAMPLING`) and counts them.

    ``params["min_on_cpu"]`` (share of wall time, 0–1; absent: 0, no rule) and
    ``params["max_retakes"]`` (absent: 0). ``cpu_ns``/``wall_ns`` are the clocks (process CPU
    time and monotonic wall time in ns; tests pass fakes). :meth:`fields` gives the record's counts.
    """

    def __init__(self, params: dict, cpu_ns: Callable[[], int] = time.process_time_ns,
                 wall_ns: Callable[[], int] = time.perf_counter_ns) -> None:
        self.min_on_cpu = float(params.get("min_on_cpu", 0.0))
        self.max_retakes = int(params.get("max_retakes", 0))
        self.cpu_ns, self.wall_ns = cpu_ns, wall_ns
        self.kept = self.retaken = self.off_cpu = 0

    def take(self, sample: Callable[[], T]) -> T:
        """``sample()``'s value, from the first attempt during which this process was on CPU for
        at least ``min_on_cpu`` of the wall time; after ``max_retakes`` retakes the last attempt
        is kept and counted as ``off_cpu``."""
        for attempt in range(self.max_retakes + 1):
            cpu, wall = self.cpu_ns(), self.wall_ns()
            value = sample()
            cpu, wall = self.cpu_ns() - cpu, self.wall_ns() - wall
            if cpu >= self.min_on_cpu * wall:
                break
            if attempt == self.max_retakes:
                self.off_cpu += 1
            else:
                self.retaken += 1
        self.kept += 1
        return value

    def fields(self) -> dict[str, int]:
        """``{"samples_kept", "samples_retaken", "samples_off_cpu"}``: samples kept (warm-ups and
        paired baselines included), samples taken again, and kept samples still off CPU."""
        return {"samples_kept": self.kept, "samples_retaken": self.retaken, "samples_off_cpu": self.off_cpu}


# --------------------------------------------------------------------------- timing


def time_loop(f: Callable | None, args: tuple, loops: int) -> int:
    """Runs ``f(*args)`` ``loops`` times; returns the elapsed ns (``time.perf_counter_ns``).

    One specialised loop per arity keeps the timed body to the call itself; ``f=None``
    times the empty loop (the harness's own cost per iteration).
    """
    it = itertools.repeat(None, loops)
    clock = time.perf_counter_ns
    if f is None:
        t0 = clock()
        for _ in it:
            pass
        return clock() - t0
    if not args:
        t0 = clock()
        for _ in it:
            f()
        return clock() - t0
    if len(args) == 1:
        (a,) = args
        t0 = clock()
        for _ in it:
            f(a)
        return clock() - t0
    if len(args) == 2:
        a, b = args
        t0 = clock()
        for _ in it:
            f(a, b)
        return clock() - t0
    raise ValueError(f"time_loop supports 0–2 arguments, got {len(args)}")


def calibrate_loops(f: Callable | None, args: tuple, min_sample_ns: int, start: int = 1) -> int:
    """Smallest power of two of loops, from ``start``, whose sample lasts ≥ ``min_sample_ns`` (pyperf's rule)."""
    loops = start
    while loops < MAX_LOOPS and time_loop(f, args, loops) < min_sample_ns:
        loops *= 2
    return loops


def timing_record(
    case: str,
    f: Callable | None,
    args: tuple,
    params: dict,
    inspect: Callable[[tuple, Any], dict | None] | None = None,
    baseline: tuple[str, Callable[[int], int], bool] | None = None,
) -> dict[str, Any]:
    """Calibrates, runs ``params["warmups"]`` discarded and ``params["samples"]`` kept samples.

    Returns the raw record ``{"case", "loops", "warmup_ns_per_iter": [w], "samples_ns_per_iter": [s],
    "minor_faults_per_iter", "samples_kept", "samples_retaken", "samples_off_cpu"}`` (lists of floats,
    ns per call; page faults per call over those samples; the counts of :meth:`Sampler.fields`: every
    sample, the baseline's too, follows the on-CPU rule of ``params``). An exception from ``f`` gives
    ``{"case", "error": "Type: message"}``.
    ``inspect``: called with ``args`` and the result of the calibration's first call (the loops = 1
    step, so no extra call is made); the dict it returns (e.g. :func:`bridgemark.costmodel.call_size`) is merged
    into the record. With ``inspect``, a first call of ``params["long_call_ns"]`` or more (when given)
    takes ``params["long_call_samples"]`` samples instead of ``params["samples"]`` (see :func:`long_call`).
    ``baseline``: ``(name, loops → elapsed ns, calibrate)``: the same work done ``loops`` times
    another way in this process (``"rust"``: the core's own loop; ``"pyo3"``: the reference
    bridge, for a peer). Its loops are calibrated alike when ``calibrate``, else they are ``f``'s
    (the same number of calls per sample: for a baseline no slower than ``f`` whose sample has no
    per-call overhead to amortise, such as one ctypes call around a Rust loop). Its samples alternate with ``f``'s (ABBA
    order: pair ``i`` runs ``f`` first when ``i`` is even), so that sample ``i`` of both was taken in
    the same state of the machine; the record gains ``{name}_loops``, ``{name}_warmup_ns_per_iter``
    and ``{name}_samples_ns_per_iter`` (paired with ``f``'s by index).
    """
    extra: dict[str, Any] = {}
    name, other, calibrate = baseline if baseline is not None else ("", None, False)
    try:
        if inspect is None or f is None:
            loops = calibrate_loops(f, args, params["min_sample_ns"])
        else:  # the loops = 1 step of the calibration, keeping the result
            t0 = time.perf_counter_ns()
            result = f(*args)
            elapsed = time.perf_counter_ns() - t0
            extra = inspect(args, result) or {}
            del result  # the heap during the samples must not hold it
            loops = 1 if elapsed >= params["min_sample_ns"] else calibrate_loops(
                f, args, params["min_sample_ns"], _first_guess(params["min_sample_ns"], elapsed))
            if long_call(params, elapsed):
                params = params | {"samples": params["long_call_samples"]}
        other_loops = calibrate_baseline(other, params["min_sample_ns"]) if other is not None and calibrate else loops
    except Exception as exc:  # a document that fails to extract is reported, not timed
        return {"case": case, "error": f"{type(exc).__name__}: {exc}"}
    runs = params["warmups"] + params["samples"]
    per_iter: list[float] = []
    other_per_iter: list[float] = []
    faults = 0
    sampler, attempts = Sampler(params), 0

    def sample() -> int:
        nonlocal attempts
        attempts += 1
        return time_loop(f, args, loops)

    for i in range(runs):
        if other is not None and i % 2:
            other_per_iter.append(sampler.take(lambda: other(other_loops)) / other_loops)
        faults_before = minor_faults()
        per_iter.append(sampler.take(sample) / loops)
        faults += minor_faults() - faults_before
        if other is not None and not i % 2:
            other_per_iter.append(sampler.take(lambda: other(other_loops)) / other_loops)
    record = {
        "case": case,
        "loops": loops,
        "warmup_ns_per_iter": per_iter[: params["warmups"]],
        "samples_ns_per_iter": per_iter[params["warmups"] :],
        "minor_faults_per_iter": faults / (loops * max(attempts, 1)),
        **sampler.fields(),
        **extra,
    }
    if other is not None:
        record |= {f"{name}_loops": other_loops, f"{name}_warmup_ns_per_iter": other_per_iter[: params["warmups"]],
                   f"{name}_samples_ns_per_iter": other_per_iter[params["warmups"] :]}
    return record


def long_call(params: dict, first_call_ns: int) -> bool:
    """Whether a call so long (``params["long_call_ns"]`` or more, when the suite sets it) takes
    ``params["long_call_samples"]`` samples: a few files take 50 ms … 2 s per call (a 400-page PDF,
    a peer on it) and, at one call per sample, would cost most of the extraction suite's time for a
    figure whose noise a call that long already averages. The Rust bench applies the same rule."""
    return first_call_ns >= params.get("long_call_ns", float("inf"))


def _first_guess(min_sample_ns: int, first_call_ns: int) -> int:
    """Where the doubling may start: the largest power of two of loops that the first call's
    time says cannot reach ``min_sample_ns`` yet (at least 2). A first call is no faster than
    the steady state (cold caches), so the doubling still ends at the smallest power of two
    that reaches the minimum, a step or two sooner than from 2."""
    return max(2, 1 << max(0, (min_sample_ns // max(first_call_ns, 1)).bit_length() - 1))


def calibrate_baseline(baseline: Callable[[int], int], min_sample_ns: int) -> int:
    """Smallest power of two of loops whose ``baseline(loops)`` lasts ≥ ``min_sample_ns``."""
    loops = 1
    while loops < MAX_LOOPS and baseline(loops) < min_sample_ns:
        loops *= 2
    return loops


def minor_faults() -> int:
    """Minor page faults of this process so far (``resource.getrusage(RUSAGE_SELF).ru_minflt``):
    pages touched for the first time, e.g. after malloc took them fresh from the kernel."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def rss_bytes() -> int:
    """Resident set size of this process in bytes (psutil; Linux: /proc/self/statm)."""
    return psutil.Process().memory_info().rss


# --------------------------------------------------------------------------- child side


def _measure(implementation: str, suite: str, params: dict, cases: list[str]) -> dict[str, Any]:
    from bridgemark import load, suites

    head = {"implementation": implementation, "suite": suite, "pid": os.getpid()}
    module = suites.module(suite)
    try:
        if getattr(module, "IMPORTS_BRIDGE", False):  # it times the import itself: it gets the name
            return head | {"status": "ok", "records": module.measure(implementation, params, cases)}
        bridge = load(implementation)
    except ImportError as exc:
        return head | {"status": "not built", "error": f"{type(exc).__name__}: {exc}"}
    return head | {"status": "ok", "records": module.measure(bridge, params, cases)}


def main(argv: list[str] | None = None) -> None:
    """Child entry point: measures one implementation for one suite, prints the JSON object."""
    parser = argparse.ArgumentParser(prog="python -m bridgemark.worker", description=__doc__.split("\n")[0])
    parser.add_argument("implementation")
    parser.add_argument("suite")
    parser.add_argument("--params", required=True, help="suite parameters as a JSON object")
    parser.add_argument("cases", nargs="*")
    args = parser.parse_intermixed_args(argv)
    result = _measure(args.implementation, args.suite, json.loads(args.params), args.cases)
    json.dump(result, sys.stdout)


# --------------------------------------------------------------------------- parent side


def command(implementation: str, suite: str, params: dict, cases: list[str]) -> list[str]:
    """The argv that measures ``implementation`` (a bridge, ``pure_python`` or ``direct_rust``)."""
    tail = [suite, "--params", json.dumps(params), *cases]
    if implementation == DIRECT_RUST:
        return [str(BENCH_BINARY), *tail]
    return [sys.executable, "-m", "bridgemark.worker", implementation, *tail]


def run(implementation: str, suite: str, params: dict, cases: list[str]) -> dict[str, Any]:
    """Runs one worker process and returns its JSON object (see the module docstring).

    A missing bench binary is reported like a bridge that does not import: ``status: "not built"``.

    Raises:
        WorkerError: the process exited non-zero or printed something that is not JSON.
    """
    argv = command(implementation, suite, params, cases)
    if implementation == DIRECT_RUST and not BENCH_BINARY.exists():
        return {"implementation": implementation, "suite": suite, "status": "not built",
                "error": f"{BENCH_BINARY} missing (cargo build --release -p bridgemark-core)"}
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=WORKER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise WorkerError(f"{implementation}/{suite} hung: no result after {WORKER_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        how = f"killed by {signal.Signals(-proc.returncode).name}" if proc.returncode < 0 else f"exited {proc.returncode}"
        stderr = proc.stderr.strip()[-2000:]
        raise WorkerError(f"{implementation}/{suite} {how}" + (f": {stderr}" if stderr else ""))
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise WorkerError(f"{implementation}/{suite} printed invalid JSON ({exc}): {proc.stdout[:500]!r}") from None


if __name__ == "__main__":
    main()
