"""``python -m bridgemark memcheck``: valgrind memcheck over a short corpus pass on every bridge.

Each bridge runs in its own ``valgrind --tool=memcheck --leak-check=full --xml=yes``
process with ``PYTHONMALLOC=malloc`` (so CPython's allocations are visible to valgrind)
extracting the generated corpus, the seed documents and the hostile set, and calling
every probe once. The XML report is parsed: the run fails on any invalid read or write,
use of an uninitialised value in a conditional jump, or invalid free anywhere in a stack
that passes through bridgemark's own code, and on any *definite* leak allocated by it.
CPython's own one-time allocations (interned strings, type objects) are not ours and
are not counted, nor is a leak of a block allocated once while a module initialises (a
``PyInit_*`` frame on its stack: e.g. cffi's module and ffi objects, made when
``_bridgemark_cffi_api`` is imported and kept for the process). Reports are kept under
``build/memcheck/<bridge>.xml``; the counts per bridge are recorded in
``results/reliability/memcheck.json`` (:mod:`bridgemark.longrun`).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from bridgemark import corpus, hostile, longrun
from bridgemark.environment import REPO_ROOT
from bridgemark.registry import BRIDGES

#: Error kinds that fail the check when our code is on the stack.
FAILING_KINDS = frozenset({"InvalidRead", "InvalidWrite", "InvalidFree", "MismatchedFree", "UninitCondition",
                           "UninitValue", "SyscallParam", "Overlap", "Leak_DefinitelyLost"})
#: A frame is ours when its object file's name or its function name contains one of these.
OUR_MARKERS = ("bridgemark", "bm_", "pdfium")
OUT_DIR = REPO_ROOT / "build" / "memcheck"

_SCRIPT = """
import sys, bridgemark
bridge = bridgemark.load(sys.argv[1])
for path in sys.argv[2:]:
    try:
        bridge.extract_file(path)
    except (bridgemark.ExtractionError, OSError):
        pass
bridge.noop(); bridge.add(1, 2); bridge.echo("héllo" * 100); bridge.make_result(1000, 2); bridge.spin(1000)
try:
    bridge.panic("memcheck")
except bridgemark.InternalError:
    pass
"""


def files(generated_dir: Path) -> list[Path]:
    """The short pass: generated files, the seed documents (DOCX and PDF) and the hostile set
    (without the largest inputs, which valgrind would take minutes over)."""
    shared = corpus.shared_corpus_dir()
    out = [generated_dir / corpus.generated_name(n) for n in corpus.SIZES[:3]]
    if shared is not None:
        out += [shared / f for f in (*corpus.SEED_FILES, corpus.SEED_PDF)]
    slow = {"zip-bomb-1gib.docx", "zip-100k-entries.docx", "text-run-50mb.docx", "pdf-50k-pages-one-heavy-content.pdf",
            "pdf-one-page-200mb-content.pdf"}
    out += [generated_dir / "hostile" / n for n in sorted(hostile.EXPECTED) if n not in slow]
    return [p for p in out if p.exists()]


def ours(error: ET.Element) -> bool:
    """Whether any frame of the error's stacks is in bridgemark's code (or the pdfium it loads)."""
    for frame in error.iter("frame"):
        text = Path(frame.findtext("obj") or "").name + " " + (frame.findtext("fn") or "")
        if any(m in text for m in OUR_MARKERS):
            return True
    return False


def failures(report: Path) -> list[str]:
    """One line per failing error in a memcheck XML report (see the module docstring)."""
    out = []
    for error in _our_errors(report):
        what = error.findtext("what") or error.findtext("xwhat/text") or ""
        frame = next((f.findtext("fn") for f in error.iter("frame") if f.findtext("fn")), "?")
        out.append(f"{error.findtext('kind')}: {what.strip()} (in {frame})")
    return out


def at_import(error: ET.Element) -> bool:
    """Whether the error's stack passes through a module's ``PyInit_*`` (once per process)."""
    return any((frame.findtext("fn") or "").startswith("PyInit_") for frame in error.iter("frame"))


def _our_errors(report: Path) -> list[ET.Element]:
    out = []
    for error in ET.parse(report).getroot().iter("error"):
        kind = error.findtext("kind") or ""
        if kind in FAILING_KINDS and ours(error) and not (kind == "Leak_DefinitelyLost" and at_import(error)):
            out.append(error)
    return out


def counts(report: Path) -> dict[str, int]:
    """Failing errors of a memcheck XML report by kind: ``invalid_reads``, ``invalid_writes``,
    ``definite_leaks`` (blocks' records) with ``definitely_lost_bytes``, and ``other_errors``
    (invalid frees, uninitialised values, …); all with our code on the stack."""
    out = {"invalid_reads": 0, "invalid_writes": 0, "definite_leaks": 0, "definitely_lost_bytes": 0,
           "other_errors": 0}
    for error in _our_errors(report):
        kind = error.findtext("kind")
        if kind == "InvalidRead":
            out["invalid_reads"] += 1
        elif kind == "InvalidWrite":
            out["invalid_writes"] += 1
        elif kind == "Leak_DefinitelyLost":
            out["definite_leaks"] += 1
            out["definitely_lost_bytes"] += int(error.findtext("xwhat/leakedbytes") or 0)
        else:
            out["other_errors"] += 1
    return out


def run(bridges: list[str], generated_dir: Path) -> dict[str, dict]:
    """Runs memcheck for ``bridges``; prints a line per bridge; returns bridge → outcome:
    :func:`counts`, ``exit_code``, ``files``, ``passed``, ``failures`` (first 20 lines)."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    paths = [str(p) for p in files(generated_dir)]
    outcomes = {}
    for name in bridges:
        xml = OUT_DIR / f"{name}.xml"
        xml.unlink(missing_ok=True)
        argv = ["valgrind", "--tool=memcheck", "--leak-check=full", "--xml=yes", f"--xml-file={xml}",
                sys.executable, "-c", _SCRIPT, name, *paths]
        proc = subprocess.run(argv, env={**os.environ, "PYTHONMALLOC": "malloc"},
                              capture_output=True, text=True, check=False)
        found = failures(xml) if xml.exists() else [f"valgrind failed: {proc.stderr.strip()[-300:]}"]
        found += [] if proc.returncode == 0 else [f"process exited {proc.returncode}"]
        outcomes[name] = (counts(xml) if xml.exists() else {}) | {
            "exit_code": proc.returncode, "files": len(paths), "passed": not found, "failures": found[:20]}
        print(f"{name}: {'clean' if not found else f'{len(found)} error(s)'} ({len(paths)} files, {xml})")
        for line in found[:20]:
            print(f"  {line}")
    return outcomes


def main(bridges: list[str] | None = None, generated_dir: Path = REPO_ROOT / "build" / "corpus",
         out_dir: Path = longrun.DEFAULT_DIR) -> None:
    """Entry point: runs every bridge, writes ``<out_dir>/memcheck.json``; exits 1 when any
    bridge has a failing error."""
    started = dt.datetime.now(dt.UTC)
    names = bridges or list(BRIDGES)
    outcomes = run(names, generated_dir)
    passed = all(o["passed"] for o in outcomes.values())
    parameters = {"valgrind": _valgrind_version(), "pythonmalloc": "malloc", "leak_check": "full",
                  "files": [os.path.relpath(p, REPO_ROOT) for p in files(generated_dir)]}
    print(longrun.write(longrun.record("memcheck", parameters, outcomes, passed, started), out_dir))
    sys.exit(0 if passed else 1)


def _valgrind_version() -> str | None:
    try:
        return subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
