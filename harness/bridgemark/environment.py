"""The machine and software a run measured on, recorded in compare.json's ``environment``."""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import os
import platform
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import psutil

#: Repository root (the Cargo workspace and the git checkout).
REPO_ROOT = Path(__file__).resolve().parents[2]
#: Crates whose locked versions matter for the comparison (from Cargo.lock).
CRATES: tuple[str, ...] = ("pyo3", "cxx", "cxx-build", "cbindgen", "libdeflate-sys", "memchr", "pdfium-render")
#: Python distributions whose versions matter (from importlib.metadata).
PACKAGES: tuple[str, ...] = ("pybind11", "cffi", "maturin", "numpy", "scipy", "psutil", "pyperf")


def _command(*argv: str) -> str | None:
    """First line of ``argv``'s stdout, or ``None`` when it is missing or fails."""
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=REPO_ROOT, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else None


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (Linux), else ``platform.processor()``."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def crate_versions(lock: Path = REPO_ROOT / "Cargo.lock") -> dict[str, str | None]:
    """Locked versions of :data:`CRATES` (``None`` when absent from ``lock``)."""
    try:
        packages = tomllib.loads(lock.read_text())["package"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        packages = []
    found = {p["name"]: p["version"] for p in packages}
    return {name: found.get(name) for name in CRATES}


def package_versions() -> dict[str, str | None]:
    """Installed versions of :data:`PACKAGES` (``None`` when not installed)."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> dict[str, Any]:
    """``{"commit": sha | None, "dirty": bool | None}`` of the checkout: dirty when a tracked
    file outside ``results/`` differs from the commit (a run rewrites ``results/REPORT.md`` and
    its plots, which must not mark the next run of the same code dirty)."""
    sha = _command("git", "rev-parse", "HEAD")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results"],
                            capture_output=True, text=True, cwd=REPO_ROOT, check=False) if sha else None
    return {"commit": sha, "dirty": bool(status.stdout.strip()) if status and status.returncode == 0 else None}


def load_average() -> list[float]:
    """The 1-, 5- and 15-minute load averages (``os.getloadavg``): other work on the machine."""
    return [round(x, 2) for x in os.getloadavg()]


def run_id(now: _dt.datetime, host: str) -> str:
    """Run identifier ``YYYY-MM-DDTHH-MM-SSZ-<host>`` (UTC; sorts by time)."""
    return f"{now.astimezone(_dt.UTC):%Y-%m-%dT%H-%M-%SZ}-{host}"


def collect(now: _dt.datetime) -> dict[str, Any]:
    """The environment record: CPU, cores, memory, OS, Python, rustc, versions, commit, date."""
    return {
        "date": now.astimezone(_dt.UTC).isoformat(timespec="seconds"),
        "hostname": socket.gethostname(),
        "cpu_model": cpu_model(),
        "cpu_logical_cores": os.cpu_count(),
        "cpu_physical_cores": psutil.cpu_count(logical=False),
        "memory_total_bytes": psutil.virtual_memory().total,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "rustc": _command("rustc", "--version"),
        "crates": crate_versions(),
        "packages": package_versions(),
        "git": git_commit(),
    }
