"""Suite ``process``: whole-process runs timed by hyperfine — start-up, import and one
extraction, the Rust CLI against ``<venv python> -c`` per bridge.

Unlike the other suites it runs in the parent: hyperfine starts the processes itself
(``--warmup``, ``--runs``, ``--export-json`` into the run folder, ``-N``: no shell, so
no shell start-up is timed). Commands, per implementation:

- ``import``: ``python -c "import <module>"`` (the bridge's import cost plus interpreter start);
- ``extract``: ``python -c "import bridgemark; bridgemark.load(name).extract_file(FILE)"``;
- ``direct_rust``: ``target/release/bridgemark extract FILE`` (no interpreter at all);
- ``python``: ``python -c pass`` (the interpreter's own start, the floor of every Python row).

The venv's interpreter is used by its real path (a pyenv shim adds ~120 ms per start).
Figures: median of hyperfine's per-run times with a 95% bootstrap CI, n runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bridgemark import environment
from bridgemark.corpus import SEED_FILES
from bridgemark.registry import _MODULES, BRIDGES

PARAMS: dict[str, dict[str, int]] = {"full": {"warmup": 2, "runs": 8}, "quick": {"warmup": 1, "runs": 5}}
CLI_BINARY = environment.REPO_ROOT / "target" / "release" / "bridgemark"
METHOD = (
    "hyperfine -N --warmup W --runs R --export-json (whole processes, no shell); figure = median of the "
    "per-run wall times with a 95% bootstrap CI; `python` = `python -c pass`, the interpreter's own start."
)


def commands(file: Path) -> dict[str, str]:
    """Name → command line (hyperfine ``-n`` name and command) for ``file``."""
    py = sys.executable
    out = {"python: start": f"{py} -c pass", "direct_rust: extract": f"{CLI_BINARY} extract {file}"}
    for name in BRIDGES + ("pure_python",):
        out[f"{name}: import"] = f"{py} -c 'import {_MODULES[name]}'"
        out[f"{name}: extract"] = (f"{py} -c 'import bridgemark; bridgemark.load(\"{name}\").extract_file(\"{file}\")'")
    return out


def run(files: dict[str, Path], quick: bool, run_dir: Path) -> dict[str, Any]:
    """Runs hyperfine on the first seed file; returns the suite's compare.json body.

    A missing hyperfine or seed file gives a body with ``failures`` and no records.
    """
    from bridgemark import stats

    params = PARAMS["quick" if quick else "full"]
    body: dict[str, Any] = {"method": METHOD, "params": params, "failures": {}, "records": []}
    hyperfine = shutil.which("hyperfine")
    label = SEED_FILES[0]
    if hyperfine is None or label not in files:
        body["failures"]["hyperfine"] = "hyperfine not on PATH" if hyperfine is None else f"{label} missing"
        return body
    export = run_dir / "hyperfine.json"
    argv = [hyperfine, "-N", "--warmup", str(params["warmup"]), "--runs", str(params["runs"]),
            "--export-json", str(export), "--style", "none"]
    for name, cmd in commands(files[label]).items():
        argv += ["-n", name, cmd]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        body["failures"]["hyperfine"] = proc.stderr.strip()[-1000:]
        return body
    for result in json.loads(export.read_text())["results"]:
        impl, _, what = result["command"].partition(": ")
        est = stats.median_ci([[t * 1e9 for t in result["times"]]])
        body["records"].append({"implementation": impl, "case": f"{what}:{label}" if what == "extract" else what,
                                "method": METHOD, **est.fields("median", "ns"), "n": est.n,
                                "mean_s": result["mean"], "stddev_s": result["stddev"]})
    return body
