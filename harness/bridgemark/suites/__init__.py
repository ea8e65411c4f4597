"""The measurement suites and the runner that drives their worker processes.

Each suite is a module with the same parts:

- ``PARAMS: dict[str, dict]`` — the budget, explicit constants: ``PARAMS["full"]`` and
  ``PARAMS["quick"]``: the runner's keys (:data:`RUNNER_PARAMS`: ``processes`` per case and
  implementation, and optionally ``headline_processes`` and ``peer_spread``, see below) plus
  the child's parameters.
- ``METHOD: str`` — how a figure is obtained, written beside the suite's records.
- ``measure(bridge, params, cases) -> list[dict]`` — runs in the worker (child) process
  and returns raw records (the Rust bench binary implements the same for ``direct_rust``).
  A suite that times the bridge's import sets ``IMPORTS_BRIDGE = True`` and receives the
  implementation's name instead of the loaded bridge.
- ``summarize(raw) -> list[dict]`` — runs in the parent; ``raw`` maps an implementation
  to one list of raw records per process; returns the records stored in compare.json.
- optionally ``headline(implementation, label) -> bool`` with ``headline_processes`` in
  ``PARAMS``: the cases whose own medians the report publishes as headline figures (the
  industry table; the repeatability section's bare call and seed files) get that many
  processes in all, the others ``processes`` (``headline_processes(implementation, params) -> int``
  may give one implementation more); and ``spread(implementation, params) -> int``:
  processes per pass over the cases (:func:`rounds`).

Statistics (numpy/scipy) are imported inside ``summarize`` only: worker processes import
the suite modules and must not carry numpy/scipy in their RSS or start-up time.

:func:`run` interleaves processes (round ``r`` of every implementation before round
``r+1``) and rotates the order by one each round among the implementations of that round, so
slow drift of the machine and the position after a heavy neighbour spread over all
implementations alike.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Callable

from bridgemark import worker
from bridgemark.registry import FLOOR

#: Suite names in run and report order.
NAMES: tuple[str, ...] = ("extraction", "fidelity", "inflate", "interleave", "conversion", "calls", "startup", "threads", "memory", "stress", "reliability")
#: Budget keys the runner reads (:func:`rounds`) and does not pass to the workers.
RUNNER_PARAMS: tuple[str, ...] = ("processes", "headline_processes", "pure_python_headline_processes", "peer_spread")
#: Status of an implementation that measured; others are "not built" or "failed".
OK = "ok"


def module(name: str) -> ModuleType:
    """The suite module called ``name`` (one of :data:`NAMES`). Raises ``KeyError`` otherwise."""
    if name not in NAMES:
        raise KeyError(f"unknown suite {name!r}; known: {', '.join(NAMES)}")
    return importlib.import_module(f"bridgemark.suites.{name}")


def run(
    name: str,
    implementations: list[str],
    cases: list[str],
    quick: bool,
    status: dict[str, dict[str, Any]],
    *,
    labels: dict[str, str] | None = None,
    spawn: Callable[[str, str, dict, list[str]], dict] = worker.run,
    on_worker_done: Callable[[str], None] = lambda implementation: None,
) -> dict[str, Any]:
    """Measures suite ``name`` on every implementation not yet marked broken in ``status``.

    Args:
        name: a suite of :data:`NAMES`.
        implementations: implementation names (bridges, ``pure_python``, ``direct_rust``).
        cases: what the suite measures (file paths, probe cases, …), divided among the workers
            by :func:`rounds`.
        quick: use ``PARAMS["quick"]`` instead of ``PARAMS["full"]``.
        status: implementation → ``{"status": "ok" | "not built", "error"?: str}``; updated in
            place (an ImportError is "not built" for the whole run); those not ``ok`` are skipped.
        labels: raw case → name stored in the records (e.g. an absolute path → ``kreuzberg/fake.docx``).
        spawn: runs one worker and returns its JSON object (tests pass a fake).
        on_worker_done: called with the implementation after each worker (progress bars).
    Returns:
        ``{"method": str, "params": dict, "failures": {implementation: error}, "sampling"?: {...},
        "records": [...]}`` for compare.json; ``sampling``: the :data:`SAMPLE_COUNTS` summed over
        every worker's records, when they carry them (a suite of timed samples). A worker that crashes or prints no JSON is a failure of this suite
        only: the implementation is skipped for the rest of the suite and its records dropped.
    """
    suite = module(name)
    params = suite.PARAMS["quick" if quick else "full"]
    child_params = {k: v for k, v in params.items() if k not in RUNNER_PARAMS}
    raw: dict[str, list[list[dict]]] = {}
    failures: dict[str, str] = {}
    turns: dict[tuple[str, ...], int] = {}  # rounds so far of each set of implementations
    for todo in rounds(suite, params, implementations, cases, labels or {}):
        members = tuple(i for i in implementations if i in todo)
        shift = turns.get(members, 0) % max(len(members), 1)
        turns[members] = turns.get(members, 0) + 1
        for impl in members[shift:] + members[:shift]:
            if status.setdefault(impl, {"status": OK})["status"] != OK or impl in failures:
                on_worker_done(impl)
                continue
            try:
                out = spawn(impl, name, child_params, todo[impl])
            except worker.WorkerError as exc:
                failures[impl] = str(exc)
                raw.pop(impl, None)
            else:
                if out["status"] != OK:
                    status[impl] = {"status": out["status"], "error": out.get("error", "")}
                else:
                    records = [r | {"case": _label(r["case"], labels or {})} for r in out["records"]]
                    raw.setdefault(impl, []).append(records)
            on_worker_done(impl)
    sampled = [r for processes in raw.values() for records in processes for r in records if SAMPLE_COUNTS[0] in r]
    sampling = {"sampling": {k: sum(r[k] for r in sampled) for k in SAMPLE_COUNTS}} if sampled else {}
    return {"method": suite.METHOD, "params": params, "failures": failures, **sampling, "records": suite.summarize(raw)}


def rounds(suite: ModuleType, params: dict, implementations: list[str], cases: list[str],
           labels: dict[str, str]) -> list[dict[str, list[str]]]:
    """The worker processes :func:`run` starts, round by round: per round, implementation → its
    cases. ``params["processes"]`` passes measure every case; when the suite has a ``headline``
    rule and ``params["headline_processes"]`` is larger, rounds measuring only the headline cases,
    on the implementations that have any, follow each pass (spread evenly over the passes, so that
    they sample the machine across the suite's time) up to that many processes in all; a suite's
    ``headline_processes(implementation, params)`` may give an implementation more.

    A suite may also spread an implementation's cases over ``spread(implementation, params)``
    processes per pass (each takes every k-th case), so that a figure taken over many cases (a
    peer's median ratio over files) mixes that many more states for a few process starts.

    Why: on a shared VM a process runs in one speed state for seconds and its code layout (ASLR)
    is drawn once, so a figure's median moves with the share of its processes in each (pyperf
    takes 20 per figure for this reason); the figures the report publishes as headline take
    more processes where the budget cannot give every case as many."""
    spread = getattr(suite, "spread", lambda implementation, params: 1)
    chunks = {impl: [c for j in range(k) if (c := cases[j::k])] if (k := spread(impl, params)) > 1 else [cases]
              for impl in implementations}
    one_pass = [{impl: c[j] for impl, c in chunks.items() if j < len(c)}
                for j in range(max(map(len, chunks.values()), default=1))]
    passes, headline = params["processes"], getattr(suite, "headline", None)
    subset = {} if headline is None else {
        impl: chosen for impl in implementations if (chosen := [c for c in cases if headline(impl, _label(c, labels))])}
    wanted = getattr(suite, "headline_processes", lambda implementation, params: params.get("headline_processes", 0))
    extra = {impl: max(0, wanted(impl, params) - passes) for impl in subset}
    n_extra = max(extra.values(), default=0)
    # Extra round k takes an implementation on its own share of the rounds, spread evenly
    # (Bresenham): with 6 extra processes of 30 rounds, every 5th round.
    extra_rounds = [{impl: subset[impl] for impl in subset if (k + 1) * extra[impl] // n_extra > k * extra[impl] // n_extra}
                    for k in range(n_extra)]
    out: list[dict[str, list[str]]] = []
    for p in range(passes):
        out += one_pass
        start = p * (n_extra // passes) + min(p, n_extra % passes)
        out += extra_rounds[start:start + n_extra // passes + (p < n_extra % passes)]
    return out


def _label(case: str, labels: dict[str, str]) -> str:
    """The stored name of a raw case: its label, also behind a ``kind:`` prefix
    (``extract:/abs/path`` → ``extract:unstructured/x.docx``)."""
    if case in labels:
        return labels[case]
    prefix, sep, rest = case.partition(":")
    return f"{prefix}:{labels[rest]}" if sep and rest in labels else case


def implementations(name: str, requested: list[str]) -> list[str]:
    """The requested implementations that suite ``name`` measures: a suite may declare
    ``IMPLEMENTATIONS`` (e.g. fidelity: one bridge and the peers); peers are measured
    only by suites that name them (they have no probes)."""
    from bridgemark.registry import PEERS

    wanted = getattr(module(name), "IMPLEMENTATIONS", None)
    if wanted is not None:
        return [i for i in requested if i in wanted]
    return [i for i in requested if i not in PEERS or name == "extraction"]


def worker_count(name: str, implementations: list[str], cases: list[str], quick: bool,
                 labels: dict[str, str] | None = None) -> int:
    """How many worker processes :func:`run` starts at most (for progress bars)."""
    suite = module(name)
    params = suite.PARAMS["quick" if quick else "full"]
    return sum(len(todo) for todo in rounds(suite, params, implementations, cases, labels or {}))


#: Raw timing fields describing the call's payload, kept by :func:`pooled_timing` (see
#: :func:`bridgemark.costmodel.call_size`).
SIZE_FIELDS: tuple[str, ...] = ("marshalled_bytes", "marshalled_objects")
#: The bytes split by string storage kind (kept too when present; runs before it lack it).
KIND_FIELD = "marshalled_bytes_by_kind"


#: The on-CPU rule's counts a timing record carries (:meth:`bridgemark.worker.Sampler.fields`):
#: summed per suite by :func:`run`; a pooled record (:func:`pooled_timing`) keeps those of
#: :data:`SAMPLE_EVENTS` that are not zero, summed over its processes (every count on every
#: record took 135 KB of a 2 MB compare.json). Runs before the rule lack them.
SAMPLE_COUNTS: tuple[str, ...] = ("samples_kept", "samples_retaken", "samples_off_cpu")
SAMPLE_EVENTS: tuple[str, ...] = SAMPLE_COUNTS[1:]


def pooled_timing(raw: dict[str, list[list[dict]]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Pools the timing records of every process per (implementation, case) and summarises them.

    Args:
        raw: implementation → per process, records from :func:`bridgemark.worker.timing_record`.
    Returns:
        ``(implementation, case)`` → record with ``median_ns`` (of all samples) and its ci95
        bounds, ``n``, ``n_processes``, ``loops`` and ``samples_ns_per_iter`` (both per process:
        a list, and a list of lists), the :data:`SIZE_FIELDS` (and :data:`KIND_FIELD`) when a process measured them,
        ``minor_faults_per_call`` (mean over processes of the page faults per call during the
        samples), the :data:`SAMPLE_EVENTS` summed over processes when not zero, or with ``error``
        when the case failed in any process.
    """
    from bridgemark import stats

    grouped: dict[tuple[str, str], list[dict]] = {}
    for impl, processes in raw.items():
        for records in processes:
            for r in records:
                grouped.setdefault((impl, r["case"]), []).append(r)
    out = {}
    for (impl, case), rs in grouped.items():
        head = {"implementation": impl, "case": case}
        if any("skipped" in r for r in rs):
            out[impl, case] = head | {"skipped": next(r["skipped"] for r in rs if "skipped" in r)}
            continue
        errors = [r["error"] for r in rs if "error" in r]
        if errors:
            out[impl, case] = head | {"error": errors[0]}
            continue
        samples = [r["samples_ns_per_iter"] for r in rs]
        est = stats.median_ci(samples)
        sizes = next(({k: r[k] for k in SIZE_FIELDS} for r in rs if all(k in r for k in SIZE_FIELDS)), {})
        sizes |= next(({KIND_FIELD: r[KIND_FIELD]} for r in rs if KIND_FIELD in r), {})
        faults = [r["minor_faults_per_iter"] for r in rs if "minor_faults_per_iter" in r]
        if faults:
            sizes["minor_faults_per_call"] = sum(faults) / len(faults)
        sizes |= {k: n for k in SAMPLE_EVENTS if (n := sum(r.get(k, 0) for r in rs))}
        out[impl, case] = head | sizes | {
            "unit": "ns per call",
            **est.fields("median", "ns"),
            "n": est.n,
            "n_processes": len(rs),
            "loops": [r["loops"] for r in rs],
            "samples_ns_per_iter": samples,
        } | _paired_baseline(rs)
    return out


#: Names of the paired samples a timing record may carry (:func:`bridgemark.worker.timing_record`'s
#: ``baseline``): the core's own loop in the worker, the reference bridge in a peer's worker, and
#: the C-API floor's bare call (calls suite, ``noop:floor``). Those with a paired difference map to
#: the fields it is stored under: ``{field}_ns`` / ``{field}_pct`` (+ ci95).
PAIRED: tuple[str, ...] = ("rust", "pyo3", FLOOR)
PAIRED_DIFFERENCE: dict[str, str] = {"rust": "overhead", FLOOR: "above_floor"}


def _paired_baseline(rs: list[dict]) -> dict[str, Any]:
    """The paired samples of one (implementation, case) when every process took them:
    ``{name}_samples_ns_per_iter`` (per process) and ``{name}_median_ns`` (+ ci95) for each name
    of :data:`PAIRED`; for those of :data:`PAIRED_DIFFERENCE` also the paired difference in ns and
    in % of the baseline (+ ci95, :func:`bridgemark.stats.paired_difference_ci`): for ``rust`` the
    overhead ``overhead_ns`` / ``overhead_pct`` with ``overhead_method: "paired"``, for the floor
    (``capi``) ``above_floor_ns`` / ``above_floor_pct``."""
    from bridgemark import stats

    out: dict[str, Any] = {}
    for name in PAIRED:
        if not rs or not all(f"{name}_samples_ns_per_iter" in r for r in rs):
            continue
        x, y = [r["samples_ns_per_iter"] for r in rs], [r[f"{name}_samples_ns_per_iter"] for r in rs]
        out |= {f"{name}_samples_ns_per_iter": y, **stats.median_ci(y).fields(f"{name}_median", "ns")}
        if name in PAIRED_DIFFERENCE:
            field = PAIRED_DIFFERENCE[name]
            diff, pct = stats.paired_difference_ci(x, y)
            out |= diff.fields(field, "ns") | pct.fields(field, "pct")
            if name == "rust":
                out["overhead_method"] = "paired"
    return out


def rename_estimate(rec: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """``rec`` with an estimate's fields ``{old}_ns`` and ``{old}_ci95_low/high_ns`` moved to
    ``{new}…``, and ``{old}…_pct`` dropped: a suite storing its paired difference (``overhead_ns``)
    under the name of what it measures (``interleave_ns``), in ns only (a % of a tight loop or of
    a near-zero Rust difference means nothing there); in place, returned."""
    for part in ("", "_ci95_low", "_ci95_high"):
        if f"{old}{part}_ns" in rec:
            rec[f"{new}{part}_ns"] = rec.pop(f"{old}{part}_ns")
        rec.pop(f"{old}{part}_pct", None)
    return rec


def with_overhead(pooled: dict[tuple[str, str], dict[str, Any]], exclude: tuple[str, ...] = ()) -> list[dict]:
    """The records of ``pooled`` (from :func:`pooled_timing`), those of every implementation but
    ``direct_rust`` and ``exclude`` extended with ``overhead_ns``/``overhead_pct`` (+ ci95):
    median(record) − median(direct_rust) on the same case, in ns and in % of direct_rust
    (:func:`bridgemark.stats.median_difference_ci`), when both have samples. A record that
    already has a paired overhead (``overhead_method: "paired"``) keeps it."""
    from bridgemark import stats

    out = []
    for (impl, case), rec in pooled.items():
        base = pooled.get((worker.DIRECT_RUST, case))
        if (impl not in (worker.DIRECT_RUST, *exclude) and "samples_ns_per_iter" in rec
                and rec.get("overhead_method") != "paired"
                and base is not None and "samples_ns_per_iter" in base):
            diff, pct = stats.median_difference_ci(rec["samples_ns_per_iter"], base["samples_ns_per_iter"])
            rec = rec | diff.fields("overhead", "ns") | pct.fields("overhead", "pct")
        out.append(rec)
    return out
