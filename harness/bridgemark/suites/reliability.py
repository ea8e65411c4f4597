"""Suite ``reliability``: every hostile document on every bridge — typed errors, no
crash, no hang, bounded memory (issue #5's table).

Cases: the generated hostile set (``<corpus>/hostile/``) and the shared corpus's
documents whose ``EXPECTED.json`` entry is an ``error``. Child: each file once, its
outcome (the exception class, or ``ok``) and seconds; at the end the process's peak
RSS (``VmHWM``). A crash or hang kills only that worker and is reported as such.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from bridgemark import corpus, hostile

IMPLEMENTATIONS: tuple[str, ...] = ("capi", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes")
PARAMS: dict[str, dict[str, int]] = {"full": {"processes": 1}, "quick": {"processes": 1}}
#: Seconds one input may take, and the peak RSS a process may reach (issue #5).
DEADLINE_S = 5.0
PEAK_RSS_BYTES = 256 << 20
METHOD = (
    f"each hostile input extracted once per bridge in a fresh worker process: outcome (typed error class or ok), "
    f"seconds (deadline {DEADLINE_S:g} s), the process's peak RSS (VmHWM, limit {PEAK_RSS_BYTES >> 20} MiB); "
    f"a killed worker is a crash."
)


def cases(files: dict[str, Path]) -> dict[str, str]:
    """Absolute path → label: ``hostile/<name>`` and the shared corpus's expected-error files."""
    generated = next((p.parent for label, p in files.items() if label.startswith("generated/")), None)
    out = {}
    if generated is not None:
        out |= {str(generated / "hostile" / n): f"hostile/{n}" for n in sorted(hostile.EXPECTED)}
    shared = corpus.shared_corpus_dir()
    for manifest in sorted(shared.glob("*/EXPECTED.json")) if shared else []:
        for name, entry in json.loads(manifest.read_text())["files"].items():
            if "error" in entry:
                out[str(manifest.parent / name)] = f"{manifest.parent.name}/{name}"
    return out


def _peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def measure(bridge: Any, params: dict, cases: list[str]) -> list[dict]:
    """Child side: ``{"case", "outcome", "seconds"}`` per input, then ``{"case": "@peak_rss", "bytes"}``."""
    out = []
    for path in cases:
        start = time.monotonic()
        try:
            bridge.extract_file(path)
            outcome = "ok"
        except Exception as exc:  # noqa: BLE001 - the class is the observation
            outcome = type(exc).__name__
        out.append({"case": path, "outcome": outcome, "seconds": time.monotonic() - start})
    return out + [{"case": "@peak_rss", "bytes": _peak_rss_bytes()}]


def summarize(raw: dict[str, list[list[dict]]]) -> list[dict]:
    """Per bridge: inputs, typed errors, clean results, untyped errors, slow inputs, peak RSS,
    and the outcome per input (for the cross-bridge comparison in the report)."""
    from bridgemark import errors

    typed = {c.__name__ for c in errors.ERROR_CLASSES.values()} | {"ExtractionError", "InternalError"}
    out = []
    for impl, processes in raw.items():
        records = processes[0]
        inputs = [r for r in records if r["case"] != "@peak_rss"]
        peak = next((r["bytes"] for r in records if r["case"] == "@peak_rss"), None)
        out.append({
            "implementation": impl, "case": "hostile inputs", "inputs": len(inputs),
            "typed_errors": sum(r["outcome"] in typed for r in inputs),
            "ok": sum(r["outcome"] == "ok" for r in inputs),
            "untyped_errors": [r["case"] for r in inputs if r["outcome"] not in typed | {"ok"}],
            "slow": [r["case"] for r in inputs if r["seconds"] > DEADLINE_S],
            "max_seconds": max((r["seconds"] for r in inputs), default=0.0),
            "peak_rss_bytes": peak, "peak_rss_ok": peak is not None and peak < PEAK_RSS_BYTES,
            "outcomes": {r["case"]: r["outcome"] for r in inputs},
        })
    return out
