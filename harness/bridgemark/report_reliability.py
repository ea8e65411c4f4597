"""REPORT.md's reliability section: the reliability suite of one compare.json (hostile
input per bridge) beside the newest records of the long runs (``results/reliability/``:
memcheck and soak per bridge, fuzz per core target), each with the date and commit it
was measured at, or "not run". Formatting only, from JSON alone (:mod:`bridgemark.longrun`).
"""

from __future__ import annotations

from typing import Any

from bridgemark.registry import BRIDGES
from bridgemark.report import DASH, Run, _method, fmt_bytes, fmt_ci, table

NOT_RUN = "not run"
#: What each long-run tool is, for the provenance lines.
TOOL_TITLE: dict[str, str] = {"memcheck": "`make memcheck` (valgrind memcheck, short corpus pass)",
                              "soak": "`make soak` (RSS slope of extract_file)",
                              "fuzz": "`make fuzz` (cargo fuzz on the core)"}


def provenance(tool: str, doc: dict[str, Any] | None) -> str:
    """``- `make soak` …: 2026-11-30T10:00:00+00:00, commit `abc…` (dirty), passed.`` or "not run"."""
    if doc is None:
        return f"- {TOOL_TITLE[tool]}: {NOT_RUN} (no `results/reliability/{tool}.json`)."
    commit = f"`{(doc['commit'] or 'unknown')[:12]}`" + (" (dirty tree)" if doc["dirty"] else "")
    params = doc["parameters"]
    detail = {"memcheck": lambda: f"{len(params.get('files', []))} files, {params.get('valgrind') or 'valgrind'}",
              "soak": lambda: f"{params['minutes']:g} min per bridge, `{params['file']}`",
              "fuzz": lambda: f"{params['seconds']} s in all"}[tool]()
    return (f"- {TOOL_TITLE[tool]}: measured {doc['date']} at commit {commit} on {doc['environment']['hostname']}, "
            f"{detail}: **{'passed' if doc['passed'] else 'FAILED'}**.")


def memcheck_cell(doc: dict[str, Any] | None, bridge: str) -> str:
    """``0 / 0, 0 leaks`` (invalid reads / writes, definite leaks), or why there is none."""
    o = (doc or {}).get("outcomes", {}).get(bridge)
    if o is None:
        return NOT_RUN
    if "invalid_reads" not in o:
        return "failed: " + "; ".join(o.get("failures", []))[:80]
    cell = f"{o['invalid_reads']} / {o['invalid_writes']}, {o['definite_leaks']} leaks"
    if o["definitely_lost_bytes"]:
        cell += f" ({fmt_bytes(o['definitely_lost_bytes'])})"
    if o["other_errors"]:
        cell += f", {o['other_errors']} other"
    return cell + ("" if o["passed"] else " ✗")


def soak_cell(doc: dict[str, Any] | None, bridge: str) -> str:
    """``0.12 B/iter [-0.3, 0.5] (1,234,567 calls, 10 min)``, or why there is none."""
    o = (doc or {}).get("outcomes", {}).get(bridge)
    if o is None:
        return NOT_RUN
    if "error" in o:
        return "error: " + o["error"][:80]
    rerun = f", measured {o['date']} at `{(o['commit'] or 'unknown')[:12]}`" if "date" in o and o["date"] != doc["date"] else ""
    return (fmt_ci(o, "slope", "bytes_per_iter", " B/iter") + f" ({o['iterations']:,} calls, {o['minutes']:g} min{rerun})"
            + ("" if o["passed"] else " ✗"))


def _hostile_cells(run: Run, impl: str, recs: dict[str, dict]) -> list[str]:
    body = run.suite("reliability") or {}
    if impl in body.get("failures", {}):
        why = body["failures"][impl]
        return [DASH, DASH, DASH, "1" if "killed" in why or "exited" in why else "0", "1" if "hung" in why else "0", DASH]
    r = recs.get(impl)
    if r is None:
        return [DASH] * 6
    return [str(r["inputs"]), f"{r['typed_errors']} (+{r['ok']} ok)", str(len(r["untyped_errors"])), "0",
            str(len(r["slow"])), fmt_bytes(r["peak_rss_bytes"]) + ("" if r["peak_rss_ok"] else " ✗")]


def fuzz_table(doc: dict[str, Any] | None) -> list[str]:
    """One row per fuzz target: seconds, executions, new units, findings, libFuzzer's exit code."""
    if doc is None:
        return []
    rows = [[f"`{target}`", str(o["seconds"]), DASH if o["executions"] is None else f"{o['executions']:,}",
             DASH if o["new_units"] is None else str(o["new_units"]),
             str(len(o["artifacts"])) + (": " + ", ".join(f"`{a}`" for a in o["artifacts"]) if o["artifacts"] else ""),
             str(o["exit_code"])] for target, o in doc["outcomes"].items()]
    return [table(["fuzz target", "seconds", "executions", "new corpus units", "crashes / artifacts", "exit code"],
                  rows), ""]


def section(run: Run, longrun: dict[str, dict[str, Any]]) -> list[str]:
    """The reliability section: one row per bridge (hostile input from this run, memcheck and
    soak from their newest records), the long runs' provenance, and the fuzz table."""
    body = run.suite("reliability")
    if not body and not longrun:
        return []
    recs = {r["implementation"]: r for r in body["records"]} if body else {}
    seen = set(recs) | set((body or {}).get("failures", {}))
    seen |= {b for tool in ("memcheck", "soak") for b in longrun.get(tool, {}).get("outcomes", {})}
    rows = [[impl, *_hostile_cells(run, impl, recs), memcheck_cell(longrun.get("memcheck"), impl),
             soak_cell(longrun.get("soak"), impl)] for impl in BRIDGES if impl in seen]
    header = ["bridge", "inputs", "typed errors", "untyped errors", "crashes", "hangs / slow", "peak RSS",
              "memcheck: invalid reads / writes, definite leaks", "soak: RSS slope [95% CI] (calls, minutes)"]
    outcomes = [r["outcomes"] for r in recs.values()]
    differ = sorted({c for o in outcomes for c in o if len({x.get(c) for x in outcomes}) > 1})
    same = ([] if not body else
            ["Every bridge gives the same outcome on every input." if not differ else
             "Inputs whose outcome differs between bridges: " + ", ".join(f"`{c}`" for c in differ), ""])
    method = [_method(run, "reliability"), ""] if body else ["Hostile input: not measured in this run.", ""]
    return ["## Reliability: hostile input, memcheck, soak, fuzz", "", *method, table(header, rows), "", *same,
            "Hostile-input columns: this run. The long runs are separate, with their own date and commit "
            "(soak goal: 95% upper bound < 16 B/iter; memcheck counts only errors with bridgemark's code on the stack; "
            "✗ marks a failed goal):", "",
            *[provenance(tool, longrun.get(tool)) for tool in ("memcheck", "soak", "fuzz")], "",
            *fuzz_table(longrun.get("fuzz"))]
