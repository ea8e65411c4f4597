"""Several machines side by side: the newest run of each machine merged into one table.

Runs live in ``results/<run-id>/compare.json`` with ``<run-id>`` =
``YYYY-MM-DDTHH-MM-SSZ-<hostname>``, so run ids sort by time within a machine and the
machine is the host name after ``Z-``. :func:`newest_per_machine` picks each machine's
newest run (of the same kind, full or quick, as the run being reported) and
:func:`section` renders one table of headline figures with one column per machine, from
the stored JSON alone (no statistics are recomputed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from bridgemark import report
from bridgemark.corpus import SEED_FILES
from bridgemark.registry import IMPLEMENTATIONS
from bridgemark.suites.calls import FLOOR_CASE


def machine(document: dict[str, Any]) -> str:
    """The machine a run was made on: the host name at the end of its run id."""
    return document["run_id"].split("Z-", 1)[-1]


def newest_per_machine(results_dir: Path, document: dict[str, Any]) -> list[dict[str, Any]]:
    """``document`` first, then the newest run of every other machine in ``results_dir`` whose
    ``quick`` flag equals ``document``'s (a smoke run is never set beside a full run); machines
    in name order. Unreadable compare.json files are skipped."""
    newest: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(results_dir).glob("*/compare.json")):  # oldest first: later ones win
        try:
            other = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        if "run_id" in other and other.get("quick") == document.get("quick"):
            newest[machine(other)] = other
    newest.pop(machine(document), None)
    return [document] + [newest[m] for m in sorted(newest)]


def _record(document: dict[str, Any], suite: str, impl: str, case: str) -> dict | None:
    for r in document["suites"].get(suite, {}).get("records", []):
        if r["implementation"] == impl and r["case"] == case:
            return r
    return None


def _figure(suite: str, case: str, impl: str,
            fmt: Callable[[dict[str, Any]], str] = lambda r: report.fmt_ns_ci(r, "median")
            ) -> Callable[[dict[str, Any]], str]:
    """A cell: ``fmt`` of the record (the median in ns by default), its error's class, or a dash."""
    def cell(document: dict[str, Any]) -> str:
        r = _record(document, suite, impl, case)
        if r is None:
            return report.DASH
        return "error: " + r["error"].split(":")[0] if "error" in r else fmt(r)
    return cell


def _coefficient(impl: str, name: str, scale: float, unit: str) -> Callable[[dict[str, Any]], str]:
    def cell(document: dict[str, Any]) -> str:
        r = document.get("cost_model", {}).get("fits", {}).get(impl)
        if not r:
            return report.DASH
        bounds = [r.get(f"{name}_ci95_{side}_ns") for side in ("low", "high")]
        ci = ", ".join(report.DASH if b is None else report.fmt_num(b * scale) for b in bounds)
        return f"{report.fmt_num(r[f'{name}_ns'] * scale)} {unit} [{ci}]"
    return cell


def rows(documents: list[dict[str, Any]]) -> list[tuple[str, Callable[[dict[str, Any]], str]]]:
    """The table's rows: (label, cell function of one document). Environment first, then the
    bare call per implementation, in ns and in C-API floors, the extraction medians on the seed files, and the cost
    model's fixed and per-KiB coefficients per bridge (when the runs have them)."""
    env = lambda key, f=str: lambda d: f(d["environment"].get(key, report.DASH))  # noqa: E731
    out: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("run", lambda d: f"`{d['run_id']}`" + (" (quick)" if d.get("quick") else "")),
        ("CPU", env("cpu_model")),
        ("cores (physical / logical)", lambda d: f"{d['environment']['cpu_physical_cores']} / "
                                                  f"{d['environment']['cpu_logical_cores']}"),
        ("OS", env("os")),
        ("Python", env("python")),
        ("load average (1 min, start → end)", lambda d: f"{d['environment']['load_average_1_5_15_min_start'][0]} → "
                                                         f"{d['environment']['load_average_1_5_15_min_end'][0]}"),
        ("worker processes (calls, extraction)", lambda d: report.worker_processes(report.Run(d))),
    ]
    impls = list(dict.fromkeys(i for d in documents for i in d["implementations"]))
    for impl in impls:
        out.append((f"calls `noop`: {impl}", _figure("calls", "noop", impl)))
    for impl in [i for i in impls if i in IMPLEMENTATIONS]:  # Python implementations only
        out.append((f"calls `noop` in C-API floors (paired): {impl}",
                    _figure("calls", FLOOR_CASE, impl, lambda r: report.fmt_factor(r, "above_floor"))))
    for seed in SEED_FILES:
        for impl in impls:
            out.append((f"extraction `{seed}`: {impl}", _figure("extraction", seed, impl)))
    fitted = list(dict.fromkeys(b for d in documents for b in d.get("cost_model", {}).get("fits", {})))
    for impl in fitted:
        out.append((f"cost model fixed: {impl}", _coefficient(impl, "fixed", 1.0, "ns")))
        out.append((f"cost model per KiB: {impl}", _coefficient(impl, "per_byte", 1024.0, "ns")))
    return out


def section(documents: list[dict[str, Any]]) -> list[str]:
    """The "Machines" section of REPORT.md for ``documents`` (the reported run first, see
    :func:`newest_per_machine`); empty when there is only one machine."""
    if len(documents) < 2:
        return []
    header = ["figure [95% CI]"] + [f"`{machine(d)}`" for d in documents]
    body = [[label] + [cell(d) for d in documents] for label, cell in rows(documents)]
    return ["## Machines side by side", "",
            f"The newest {'quick' if documents[0].get('quick') else 'full'} run of each machine in `results/`, "
            "one column per machine; every figure as measured and stored in that machine's compare.json "
            "(median [95% CI], method and n in that run's own report). Compare machines on the same row only.", "",
            report.table(header, body), ""]
