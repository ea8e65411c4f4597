"""Suite ``fidelity``: every expectation of the shared corpus (:mod:`bridgemark.fidelity`)
judged on the reference bridge and on the peers, side by side.

One bridge stands for all: the parity tests prove every bridge returns the same result.
No timing: each worker extracts every case's file once and records the verdict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridgemark import corpus, fidelity

#: Who is judged: the reference bridge and the peers.
IMPLEMENTATIONS: tuple[str, ...] = ("pyo3", "kreuzberg")
PARAMS: dict[str, dict[str, int]] = {"full": {"processes": 1}, "quick": {"processes": 1}}
METHOD = (
    "every expectation of ../shared/corpus (EXPECTED.json kinds, pandoc native words, pypdf texts), "
    "checked by bridgemark.fidelity on one extraction per file; declined expectations are counted "
    "apart, with their reason listed in bridgemark.fidelity.DECLINED."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Case id → itself, for every expectation of the shared corpus (none without it)."""
    shared = corpus.shared_corpus_dir()
    return {c.id: c.id for c in fidelity.cases(shared)} if shared else {}


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: the verdict of every case, ``{"case", "kind", "passed", "declined", "detail"}``."""
    shared = corpus.shared_corpus_dir()
    by_id = {c.id: c for c in fidelity.cases(shared)}

    def extract(path: Path, password: str | None):
        return bridge.extract_file(path, password=password)

    out = []
    for case_id in cases:
        verdict = fidelity.check(by_id[case_id], extract, shared)
        out.append({"case": case_id, "kind": verdict.case.kind, "passed": verdict.passed,
                    "declined": verdict.case.declined or "", "detail": verdict.detail[:200]})
    return out


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Per implementation and kind: counts of passed, failed and declined expectations,
    plus the failed case ids with their detail (one process per implementation)."""
    out = []
    for impl, processes in raw.items():
        by_kind: dict[str, dict[str, Any]] = {}
        for r in processes[0]:
            row = by_kind.setdefault(r["kind"], {"passed": 0, "failed": 0, "declined": 0, "failures": []})
            if r["declined"]:
                row["declined"] += 1
            elif r["passed"]:
                row["passed"] += 1
            else:
                row["failed"] += 1
                row["failures"].append({"case": r["case"], "detail": r["detail"]})
        out += [{"implementation": impl, "case": kind, **row} for kind, row in sorted(by_kind.items())]
    return out
