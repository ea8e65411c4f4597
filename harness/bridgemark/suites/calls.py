"""Suite ``calls``: the bridge's own cost, from the probes (ns per call).

Cases (same syntax for the Rust bench binary):

- ``loop`` — the empty timed loop, no call: the harness's own cost per iteration, included
  in every other figure of this suite (reported, never subtracted);
- ``noop`` — the bare call (fixed cost); ``add`` — ``add(1, 2)``, scalar marshalling;
- ``noop:floor`` — the bare call again, each sample paired (ABBA) with a sample of the C-API
  floor's bare call (``bridgemark_capi.noop``, the least a Python→native call costs) in the same
  worker: the call in units of the floor's, both in the timing loop (so the factor is that of
  ``loop`` + call over ``loop`` + floor; the difference in ns cancels the loop exactly). The
  machine's speed state moves both sides of a pair alike as far as it slows them alike, so the
  factor largely cancels it, where a figure in ns repeats only while that state holds. On
  ``capi`` itself it pairs the floor with itself: a check of the pairing (factor 1 expected).
  Python implementations (bridges, ``pure_python``); ``skipped`` on direct Rust;
- ``echo:N`` — ``echo("x" * N)``, N bytes of ASCII in and out; ``echo:N:ALPHABET`` — about N
  bytes of UTF-8 made of one non-ASCII character (``latin1`` é, ``cjk`` 中, ``emoji`` 😀:
  :data:`bridgemark.costmodel.ALPHABETS`), one per PEP 393 storage kind;
- ``make_result:C:T`` — a result of C characters and T 3×3 tables converted, no extraction;
- ``spin:N`` — ``spin(N)``: N ns of busy work, the timing control (must measure N ± 5%);
- ``memcpy:N:D`` — direct Rust only (``skipped`` elsewhere): glibc ``memcpy`` of N bytes to a
  destination D bytes past a 4 KiB multiple of the source, the effect :data:`ECHO_BYTES` avoids.

The probe is the bridge's native callable, bound to a local before the loop; the payload
is built once, before the loop, so the same ``str`` object is passed in every iteration
(CPython caches a ``str``'s UTF-8 form on first use: bridges that read it through
``PyUnicode_AsUTF8AndSize`` encode a non-ASCII payload once per process, those that call
``str.encode`` encode it on every call). Records of bridges carry the overhead against
direct Rust on the same case (``noop:floor``: the difference to the floor instead) — paired:
each probe sample alternates (ABBA) with the same probe looped in Rust inside the worker (``bm_time_probe``, loops calibrated alike), since
``make_result``'s own Rust work (up to ~0.3 ms) moves with the machine's speed state as much
as a whole bridge costs — and the call's ``marshalled_bytes``/``marshalled_objects``
(:mod:`bridgemark.costmodel`, which fits the cost model to them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from bridgemark import costmodel, suites, worker
from bridgemark.registry import FLOOR, load

#: Budgets (see :mod:`bridgemark.suites.extraction` for the meaning of each key); 2 processes
#: (from 4) pay for the 10 and 30 kB echo cases and the paired Rust samples within `make
#: compare`'s 15 minutes (pairing cancels the per-process speed state more processes averaged).
#: No warm-up sample in full runs: the calibration (≥ 2 × min_sample_ns of calls of the same case,
#: discarded) warms up, as in the extraction suite (~14 s of the 15 minutes).
#: ``headline_processes``: the bare call (:data:`HEADLINE_CASES`, the industry table's figures) takes
#: 8 processes in all, ~25 s more (101 s against 76): a bridge's bare call moves by up to 1.8× between
#: processes (cffi_abi 135 … 249 ns per process in run 2026-11-30T00-45-11Z); with 2 processes the
#: median repeated within 10% in 3 of 7 Python implementations (run 2026-11-29T23-45-25Z against
#: the one before), with 8 in 8 of 8 implementations and the factors in floors in 6 of 6 (two
#: back-to-back runs of the suite, 2026-11-30).
PARAMS: dict[str, dict[str, int | float]] = {
    "full": {"processes": 2, "headline_processes": 8, "warmups": 0, "samples": 3, "min_sample_ns": 10_000_000, **worker.SAMPLING},
    "quick": {"processes": 2, "warmups": 1, "samples": 3, "min_sample_ns": 2_000_000, **worker.SAMPLING},
}
#: ASCII ``echo`` payload sizes (bytes; 0 B … 1 MB) and the non-ASCII ones (per alphabet).
#:
#: Decimal, not powers of two, on purpose: every ``echo`` copies its payload once (Rust's
#: ``to_owned``: glibc ``memcpy``), and glibc 2.36 on AMD family 19h copies 2,112 B … 512 KiB with
#: ``rep movsb``, which runs 15–20× slower when destination − source ≡ 1…31 (mod 4,096) (64 KiB:
#: ≈ 40 µs instead of ≈ 2.5 µs). An output buffer allocated right behind its input sits
#: ``ceil16(n) + 16`` bytes after it (glibc's chunk header; CPython's ``str`` header gives the same
#: distance), so a payload of a multiple of 4 KiB lands exactly there — in direct Rust always, in a
#: bridge whenever its heap history puts Rust's buffer behind the ``str`` (a coin flip per
#: process: run 2026-11-29T13-17 measured capi at 48 µs, the next run at 12 µs). A string's length
#: is arbitrary in practice (≈ 1% of lengths fall in that window), so the probes measure lengths
#: that do not, identically on every implementation; see :data:`bridgemark.costreport.REP_MOVSB`.
ECHO_BYTES: tuple[int, ...] = (0, 1_000, 10_000, 30_000, 100_000, 1_000_000)
ECHO_NON_ASCII_BYTES: tuple[int, ...] = (1_000, 10_000, 30_000, 100_000, 1_000_000)
#: ``memcpy`` of 64 KiB inside the slow window of ``rep movsb`` (distance 16, where an output
#: allocated behind its input lands) and outside it (2,048): the cost :data:`ECHO_BYTES` keeps out.
MEMCPY_CASES: tuple[str, ...] = ("memcpy:65536:16", "memcpy:65536:2048")
#: The case paired with the floor's bare call (see the module docstring).
FLOOR_CASE = "noop:floor"
#: The cases the report publishes as headline figures: the bare call, in ns and in C-API floors.
HEADLINE_CASES: tuple[str, ...] = ("noop", FLOOR_CASE)
#: Every case, in report order.
CASES: tuple[str, ...] = (
    "loop", *HEADLINE_CASES, "add",
    *(f"echo:{n}" for n in ECHO_BYTES),
    *(f"echo:{n}:{a}" for a in costmodel.ALPHABETS if a != "ascii" for n in ECHO_NON_ASCII_BYTES),
    "make_result:0:0", "make_result:1000:1", "make_result:0:100", "make_result:100000:10",
    f"spin:{1_000_000}", *MEMCPY_CASES,
)
#: The spin control: ``spin(n)`` must take n ns within this fraction, on every implementation.
SPIN_TOLERANCE = 0.05
METHOD = (
    "probe called directly (its native callable bound to a local) in a calibrated loop "
    "(`for _ in itertools.repeat(None, loops): f(*args)`, ≥ min_sample_ns per sample), warm-up "
    "discarded, `samples` per process × `processes` interleaved worker processes (`noop` and `noop:floor`, headline "
    "figures: `headline_processes`); figure = median ns "
    "per call with a 95% bootstrap CI. `loop` is the empty loop (harness cost, included in every figure). "
    "Overhead: median over pairs of (probe − the same probe looped in Rust in the worker, bm_time_probe, "
    "loops calibrated alike, sampled alternately, ABBA), 95% two-stage bootstrap CI. `noop:floor`: the "
    "bare call paired the same way with the C-API floor's bare call (bridgemark_capi.noop) in the worker; "
    "figure = median over pairs of (noop / floor) and of (noop − floor)."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases (independent of the corpus): case → label."""
    return {c: c for c in CASES}


def headline(implementation: str, label: str) -> bool:
    """Whether the case takes ``headline_processes`` (:func:`bridgemark.suites.rounds`)."""
    return label in HEADLINE_CASES


def probe_call(bridge: Any, case: str) -> tuple[Callable | None, tuple]:
    """The callable and arguments of ``case`` on ``bridge``. Raises ``ValueError`` for an unknown case."""
    kind, *arg = case.split(":")
    if kind == "loop" and not arg:
        return None, ()
    if kind == "noop" and arg in ([], ["floor"]):
        return bridge.noop, ()
    if kind == "add" and not arg:
        return bridge.add, (1, 2)
    if kind == "echo" and len(arg) in (1, 2) and arg[1:] != ["ascii"] and set(arg[1:]) <= set(costmodel.ALPHABETS):
        return bridge.echo, (costmodel.payload(int(arg[0]), *arg[1:]),)
    if kind == "make_result" and len(arg) == 2:
        return bridge.make_result, (int(arg[0]), int(arg[1]))
    if kind == "spin" and len(arg) == 1:
        return bridge.spin, (int(arg[0]),)
    raise ValueError(f"unknown calls case {case!r}")


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: one timing record per probe case, with the call's sizes
    (:func:`bridgemark.costmodel.call_size`) except for ``loop``, and the paired in-process Rust
    samples of the same probe (``rust_samples_ns_per_iter``), or for ``noop:floor`` the paired
    samples of the C-API floor's ``noop`` (``capi_samples_ns_per_iter``); ``memcpy:N:D`` (no
    probe: a direct-Rust case) as ``{"case", "skipped"}``."""
    from bridgemark_ctypes import time_probe

    def record(case: str) -> dict:
        if case.startswith("memcpy:"):
            return {"case": case, "skipped": "direct Rust only"}
        f, args = probe_call(bridge, case)
        # Loops calibrated apart: a probe may cost Rust more than the bridge (pure_python's echo
        # returns its argument; Rust's copies 1 MB), so the bridge's loop count could run for minutes.
        baseline = None if f is None else ("rust", lambda loops: time_probe(case, loops), True)
        if case == FLOOR_CASE:
            try:
                floor = load(FLOOR).noop
            except ImportError as exc:
                return {"case": case, "error": f"{type(exc).__name__}: {exc}"}
            baseline = (FLOOR, lambda loops: worker.time_loop(floor, (), loops), True)
        return worker.timing_record(case, f, args, params, costmodel.call_size, baseline=baseline)

    return [record(case) for case in cases]


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: pooled median ns per call per (implementation, case), with the overhead
    against direct Rust (:func:`bridgemark.suites.with_overhead`); ``spin:N`` records gain
    ``control_ok``: the median is within :data:`SPIN_TOLERANCE` of N."""
    out = []
    for rec in suites.with_overhead(suites.pooled_timing(raw)):
        case = rec["case"]
        if case.startswith("spin:") and "median_ns" in rec:
            target = int(case.split(":")[1])
            rec = rec | {"control_ok": abs(rec["median_ns"] - target) <= SPIN_TOLERANCE * target}
        out.append(rec)
    return out
