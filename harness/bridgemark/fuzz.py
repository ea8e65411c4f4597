"""``python -m bridgemark fuzz``: cargo fuzz on the core's ``extract_bytes`` (issue #5's tools).

Runs each target of ``core/fuzz`` (:data:`TARGETS`: the DOCX/ZIP path and the PDF path)
for half of ``seconds`` with libFuzzer, seeded from ``<fuzz_dir>/<seed folder>`` (filled by
``make fuzz`` from the corpus), artifacts (crashing inputs) written to
``<fuzz_dir>/artifacts/``. Per target it records the seconds, the executions
(libFuzzer's ``stat::number_of_executed_units``), the new corpus units, libFuzzer's exit
code and the artifacts this run wrote, in ``results/reliability/fuzz.json``
(:mod:`bridgemark.longrun`). A crashing input found here becomes a regression test
(``harness/tests/test_hostile.py`` or the core's unit tests).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bridgemark import longrun
from bridgemark.environment import REPO_ROOT

#: Fuzz target → its seed folder under ``fuzz_dir``.
TARGETS: dict[str, str] = {"extract_docx": "docx", "extract_pdf": "pdf"}
FUZZ_CRATE = REPO_ROOT / "core" / "fuzz"
#: libFuzzer's artifact file-name prefixes that are findings (``slow-unit-`` is not).
FINDING_PREFIXES: tuple[str, ...] = ("crash-", "leak-", "oom-", "timeout-")
RSS_LIMIT_MB = 1024

_STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.MULTILINE)
_DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.MULTILINE)
_STATUS = re.compile(r"^#(\d+)\s", re.MULTILINE)


def parse_output(stderr: str) -> dict[str, int | None]:
    """Executions and new units from libFuzzer's stderr (run with ``-print_final_stats=1``):
    ``executions`` from ``stat::number_of_executed_units`` (else ``Done N runs``, else the
    last ``#N`` status line), ``new_units`` from ``stat::new_units_added``, ``peak_rss_mb``;
    ``None`` for what the output does not hold."""
    stats = {k: int(v) for k, v in _STAT.findall(stderr)}
    executions = stats.get("number_of_executed_units")
    if executions is None and (done := _DONE.findall(stderr)):
        executions = int(done[-1][0])
    if executions is None and (status := _STATUS.findall(stderr)):
        executions = int(status[-1])
    return {"executions": executions, "new_units": stats.get("new_units_added"), "peak_rss_mb": stats.get("peak_rss_mb")}


def findings(names: set[str]) -> list[str]:
    """The artifact names among ``names`` that are findings (crash, leak, OOM, timeout), sorted."""
    return sorted(n for n in names if n.startswith(FINDING_PREFIXES))


def run_target(cargo_fuzz: Path, target: str, seconds: int, fuzz_dir: Path) -> dict[str, Any]:
    """Fuzzes ``target`` for ``seconds``; libFuzzer's stderr goes to ours as it runs.

    Returns ``{"seconds", "wall_seconds", "executions", "new_units", "peak_rss_mb",
    "exit_code", "artifacts" (findings written by this run), "passed"}``.
    """
    artifacts = fuzz_dir / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in artifacts.iterdir()}
    argv = [str(cargo_fuzz), "run", target, str(fuzz_dir / TARGETS[target]), "--",
            f"-max_total_time={seconds}", f"-rss_limit_mb={RSS_LIMIT_MB}", f"-artifact_prefix={artifacts}/",
            "-print_final_stats=1"]
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=FUZZ_CRATE, env={**os.environ, "RUSTC_BOOTSTRAP": "1"},
                            stderr=subprocess.PIPE, text=True, errors="replace")
    lines = []
    for line in proc.stderr:
        sys.stderr.write(line)
        lines.append(line)
    code = proc.wait()
    found = findings({p.name for p in artifacts.iterdir()} - before)
    return {"seconds": seconds, "wall_seconds": round(time.monotonic() - start, 1), **parse_output("".join(lines)),
            "exit_code": code, "artifacts": found, "passed": code == 0 and not found}


def main(seconds: int, cargo_fuzz: Path, fuzz_dir: Path, out_dir: Path = longrun.DEFAULT_DIR) -> None:
    """Fuzzes every target for ``seconds // len(TARGETS)``, writes ``<out_dir>/fuzz.json``;
    exits 1 when a target found something or libFuzzer failed."""
    started = dt.datetime.now(dt.UTC)
    per_target = max(1, seconds // len(TARGETS))
    outcomes = {}
    for target in TARGETS:
        outcomes[target] = run_target(cargo_fuzz, target, per_target, fuzz_dir)
        o = outcomes[target]
        print(f"{target}: {o['executions']} executions in {per_target} s, {len(o['artifacts'])} finding(s), "
              f"exit {o['exit_code']}", flush=True)
    passed = all(o["passed"] for o in outcomes.values())
    parameters = {"seconds": seconds, "seconds_per_target": per_target, "rss_limit_mb": RSS_LIMIT_MB,
                  "seeds": {t: len(list((fuzz_dir / d).iterdir())) for t, d in TARGETS.items()},
                  "pdfium": os.environ.get("BRIDGEMARK_PDFIUM")}
    print(longrun.write(longrun.record("fuzz", parameters, outcomes, passed, started), out_dir))
    sys.exit(0 if passed else 1)
