"""Suite ``extraction``: time per ``extract_file`` call, per file and implementation.

Cases are file paths; every implementation (bridges, ``pure_python``, ``direct_rust``,
peers) extracts the same files. A bridge's overhead is measured **paired, in its own
process**: every worker of a bridge (and of ``pure_python``) alternates its samples with
samples of the core's own loop timed in Rust inside the same process
(``bm_time_extract_file``, through :func:`bridgemark_ctypes.time_extract_file`), and the
overhead is the median of the per-pair differences (bridge − in-process Rust). Why: on a
shared VM a process runs in one of several speed states for hundreds of ms (measured here:
the same Rust loop at 44 µs or 65 µs per call in back-to-back processes), so a difference
of medians taken in different processes mixes the bridge's cost with the machine's state;
a pair's two samples are 5 ms apart. ``direct_rust`` (the bench binary, a process of its
own, no interpreter) is still measured and shown: the in-process Rust time against it is
what running inside an interpreter's process costs the core itself (caches, allocator
state). A file that fails to extract is recorded with its error and not timed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridgemark import costmodel, suites, worker
from bridgemark.corpus import SEED_FILES

#: Budgets. ``min_sample_ns``: one sample lasts at least this long (calibrated loops).
#: ``warmups`` are extra discarded samples; the calibration runs before them (≥ 2 × min_sample_ns
#: of calls, discarded) already warm up, which is why none are added: ~110 files (DOCX and
#: PDF) × 10 implementations (bridges, pure_python, direct_rust, peers) × 2 processes must
#: fit about 3 minutes of `make compare`'s 15. Processes rather than samples: on shared VMs
#: the median moves by tens of % between processes; and more, shorter pairs rather than fewer,
#: longer ones (3 × 5 ms from 2 × 10 ms: 6 pairs per figure instead of 4, ~40 s less), since the
#: machine's speed state changes within a process and a pair must sit in one state. A file whose
#: first call takes ≥ ``long_call_ns`` takes ``long_call_samples`` (:func:`bridgemark.worker.long_call`):
#: six such files cost ~130 s of ~240 with 3.
#: ``headline_processes``: the seed files (:func:`headline`), whose figures the industry table and
#: the repeatability section publish, take 8 processes in all on every implementation but the peers
#: (with ``peer_spread`` ~10 s more: 221 s against 210 … 218): with 2, their medians repeated within
#: 10% in 7 of 16 cases. ``peer_spread``: a peer's files are spread over 4 processes per pass
#: (:func:`spread`; full runs only: a quick run has a few files).
#: ``pure_python_headline_processes``: pure_python's seed files take 32 processes
#: (:func:`headline_processes`, ~15 s more): its factor against the in-process Rust loop spreads
#: 2–3× more between processes than a bridge's (coefficient of variation over the 8 processes of
#: a seed file 4–29% in the runs 2026-11-30T02-51-11Z … 04-09-09Z, a bridge's 2–10%), and over 8
#: processes it moved 14.2× → 15.7× → 13.5× in three runs; 4× the processes halve that spread.
PARAMS: dict[str, dict[str, int | float]] = {
    "full": {"processes": 2, "headline_processes": 8, "pure_python_headline_processes": 32, "peer_spread": 4, "warmups": 0, "samples": 3, "min_sample_ns": 5_000_000,
             "long_call_ns": 50_000_000, "long_call_samples": 2, **worker.SAMPLING},
    "quick": {"processes": 2, "warmups": 0, "samples": 3, "min_sample_ns": 2_000_000, **worker.SAMPLING},
}
METHOD = (
    "extract_file(path) in a calibrated loop (loops doubled until one sample lasts ≥ min_sample_ns; the "
    "calibration runs and `warmups` samples are discarded as warm-up), `samples` per process, `processes` fresh worker processes per "
    "implementation (the seed files, headline figures: `headline_processes`, pure_python's "
    "`pure_python_headline_processes`, peers excepted; a peer's files "
    "are spread over `peer_spread` processes per pass, each file in `processes`), interleaved; figure = median ns per call with a 95% bootstrap CI. Overhead of a bridge "
    "(and of pure_python), paired in its own process: each sample alternates (ABBA) with a sample of the "
    "core's own extract_file loop timed in Rust in the same process (bm_time_extract_file, the same number of "
    "calls); overhead = median over pairs of (bridge − in-process Rust) ns per call, and of (bridge / "
    "in-process Rust − 1) in %, 95% two-stage bootstrap CI over processes and pairs. direct_rust: the bench "
    "binary in a process of its own (no interpreter)."
)
BASELINE = worker.DIRECT_RUST


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Worker cases for ``files`` (label → path): absolute path → label."""
    return {str(path): label for label, path in files.items()}


def headline(implementation: str, label: str) -> bool:
    """Whether the file takes ``headline_processes`` (:func:`bridgemark.suites.rounds`): the seed
    files (:data:`bridgemark.corpus.SEED_FILES`), on every implementation but the peers (their
    published figure is a median over all files)."""
    from bridgemark.registry import PEERS

    return label in SEED_FILES and implementation not in PEERS


def headline_processes(implementation: str, params: dict) -> int:
    """Processes in all for the seed files (:func:`bridgemark.suites.rounds`):
    ``params["pure_python_headline_processes"]`` for pure_python when given, else
    ``params["headline_processes"]`` (0 when neither: no extra rounds)."""
    if implementation == "pure_python" and "pure_python_headline_processes" in params:
        return params["pure_python_headline_processes"]
    return params.get("headline_processes", 0)


def spread(implementation: str, params: dict) -> int:
    """Processes per pass over the files (:func:`bridgemark.suites.rounds`): ``params["peer_spread"]``
    for a peer, 1 for the rest. A peer's published figure is its median ratio over files; in 2
    processes that ratio moved on most small PDFs together between runs (kreuzberg 3.11× → 2.56×), as
    the state of those 2 processes did: files spread over 4 processes per pass (each file still in 2)
    mix 8 process states for 6 more process starts (~0.5 s each)."""
    from bridgemark.registry import PEERS

    return params.get("peer_spread", 1) if implementation in PEERS else 1


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: one timing record per file (see :func:`bridgemark.worker.timing_record`), with
    the result's ``marshalled_bytes``/``marshalled_objects`` (:func:`bridgemark.costmodel.call_size`,
    taken from the calibration's first call: no extra call) and, for bridges and ``pure_python``,
    the paired in-process Rust samples (``rust_samples_ns_per_iter``);
    a file whose type the implementation does not read (a peer's ``SUFFIXES``) is
    recorded as ``{"case", "skipped": reason}``, not timed. A peer's samples alternate with the
    reference bridge's (:data:`PEER_REFERENCE`, loaded in the peer's worker) instead of Rust's."""
    f = bridge.extract_file
    suffixes = getattr(bridge, "SUFFIXES", None)
    if suffixes is not None:  # a peer: paired with the reference bridge in its own process
        from bridgemark import load

        ref = load(PEER_REFERENCE).extract_file
        return [worker.timing_record(path, f, (path,), params, costmodel.call_size, baseline=(
                    PEER_REFERENCE, lambda loops, path=path: worker.time_loop(ref, (path,), loops), True))
                if path.endswith(suffixes) else {"case": path, "skipped": f"reads {', '.join(suffixes)} only"}
                for path in cases]
    from bridgemark_ctypes import time_extract_file

    return [worker.timing_record(path, f, (path,), params, costmodel.call_size,
                                 baseline=("rust", lambda loops, path=path: time_extract_file(path, loops), False))
            for path in cases]


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Parent side: pooled medians per (implementation, file), plus overhead vs direct Rust.

    Records gain ``overhead_ns``/``overhead_pct`` with their ci95 bounds when the file's
    ``direct_rust`` record exists and has samples (:func:`bridgemark.suites.with_overhead`);
    ``direct_rust``'s and the peers' records do not.
    """
    from bridgemark.registry import PEERS

    pooled = suites.pooled_timing(raw)
    return suites.with_overhead(pooled, exclude=PEERS) + peer_ratios(pooled)


#: The bridge peers are compared with (any bridge would do: they do the same work).
PEER_REFERENCE = "pyo3"


PEER_METHOD = ("per file: median over pairs of {peer} / {ref}, sampled alternately (ABBA) in {peer}'s worker "
               "processes; over files: geometric mean (and median), 95% CI: percentile bootstrap over files")


def ratio_fields(ratios: list[float]) -> dict[str, float | None]:
    """``geomean_ratio`` and ``median_ratio`` of per-file ``ratios``, each with ``_ci95_low/high``
    (bootstrap over files, :mod:`bridgemark.stats`)."""
    from bridgemark import stats

    geo, med = stats.geometric_mean_ci(ratios), stats.median_ci([[r] for r in ratios])
    return {"geomean_ratio": geo.value, "geomean_ratio_ci95_low": geo.low, "geomean_ratio_ci95_high": geo.high,
            "median_ratio": med.value, "median_ratio_ci95_low": med.low, "median_ratio_ci95_high": med.high}


def peer_ratios(pooled: dict[tuple[str, str], dict[str, Any]]) -> list[dict]:
    """Per peer and file type: the geometric mean over files of the per-file ratio peer / pyo3
    (the headline, :func:`bridgemark.stats.geometric_mean_ci`) and their median, each with a 95%
    bootstrap interval over files; > 1 means bridgemark is faster. The per-file ratio is the
    median over pairs of peer / pyo3, both sampled alternately in the peer's worker
    (``pyo3_samples_ns_per_iter``: one state of the machine per pair). Why the geometric mean: a
    median over files follows the few files in the middle, so their noise is its own (kreuzberg's
    DOCX median moved 11.9× → 13.5× between two runs of 2026-11-30, 02-51-11Z and 03-09-51Z, while
    the per-file ratios moved by 6.4%, median over files, and their geometric mean by 6.7%).

    Records: ``{"implementation": peer, "case": "docx files" | "pdf files", "kind": "peer_ratio",
    "reference", "geomean_ratio", "geomean_ratio_ci95_low/high", "median_ratio",
    "median_ratio_ci95_low/high", "n_files", "ratios": {file: ratio}}``.
    """
    from bridgemark import stats
    from bridgemark.registry import PEERS

    out = []
    for peer in PEERS:
        for ext in ("docx", "pdf"):
            ratios = {}
            for (impl, case), rec in pooled.items():
                if impl == peer and case.endswith(f".{ext}") and f"{PEER_REFERENCE}_samples_ns_per_iter" in rec:
                    _, pct = stats.paired_difference_ci(rec["samples_ns_per_iter"],
                                                        rec[f"{PEER_REFERENCE}_samples_ns_per_iter"])
                    ratios[case] = 1 + pct.value / 100
            if ratios:
                out.append({"implementation": peer, "case": f"{ext} files", "kind": "peer_ratio",
                            "reference": PEER_REFERENCE, "method": PEER_METHOD.format(peer=peer, ref=PEER_REFERENCE),
                            **ratio_fields(list(ratios.values())), "n_files": len(ratios), "ratios": ratios})
    return out
