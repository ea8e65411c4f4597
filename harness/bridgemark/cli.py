"""``python -m bridgemark {compare,report,extract,corpus}``: the command line.

- ``compare [--quick] [--bridges a,b] [--suites s1,s2] [--corpus DIR] [--out results/]`` —
  measures, writes ``<out>/<run-id>/compare.json`` and ``<out>/REPORT.md``.
- ``report [--out results/]`` — re-renders ``REPORT.md`` from the newest run's JSON, no measuring.
- ``extract FILE [--bridge pyo3] [--password PW]`` — prints the text of FILE as extracted by one bridge.
- ``corpus --out DIR`` — writes the generated default corpus (and ``DIR/hostile/``).
- ``memcheck [--bridges a,b]`` — valgrind memcheck over a short corpus pass per bridge.
- ``soak [--minutes M] [--jobs J] [--bridges a,b] [--merge]`` — RSS slope over M minutes of extraction per bridge.
- ``fuzz --seconds S --cargo-fuzz PATH --dir DIR`` — cargo fuzz on the core's targets.

memcheck, soak and fuzz record their outcome in ``results/reliability/<tool>.json``
(``--results DIR`` elsewhere), which ``report`` renders in the reliability section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bridgemark import corpus, costmodel, environment, report, suites
from bridgemark.suites import inflate, process
from bridgemark.errors import ExtractionError
from bridgemark.registry import BRIDGES, IMPLEMENTATIONS, PEERS, WRAPPER_DEPTH, load
from bridgemark.worker import DIRECT_RUST

#: Version of compare.json's layout (results/README.md); bump on any incompatible change.
SCHEMA_VERSION = 1
#: Every implementation a full run measures, in report order.
ALL_IMPLEMENTATIONS: tuple[str, ...] = IMPLEMENTATIONS + (DIRECT_RUST,) + PEERS
DEFAULT_OUT = environment.REPO_ROOT / "results"
#: Every suite name ``--suites`` accepts: the worker suites, then ``process`` (hyperfine, run by the parent).
SUITE_NAMES: tuple[str, ...] = suites.NAMES + ("process",)


def _csv(choices: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        unknown = sorted(set(items) - set(choices))
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown: {', '.join(unknown)}; known: {', '.join(choices)}")
        return items

    return parse


#: Significant digits a float keeps in compare.json: a sample's relative resolution of 1e-5 lies
#: far below any figure's noise (≥ 0.1%), and the 15–17 digits of a mean per call were a tenth of
#: the file (run 2026-11-30T03-09-51Z: 2.30 MB → 2.06 MB); 5 rather than 6, with whole values
#: written as integers (``52920`` for ``52920.0``), took run 2026-11-30T04-36-57Z from 2.017 to
#: 1.917 MB, under the repository's 2 MiB a file.
FLOAT_DIGITS = 5


def _rounded(value: Any) -> Any:
    """``value`` with every float rounded to :data:`FLOAT_DIGITS` significant digits, a whole one
    below 1e15 as an ``int`` (recursively)."""
    if isinstance(value, float):
        rounded = float(f"{value:.{FLOAT_DIGITS}g}")
        return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def dumps(value: Any, depth: int = 0, flat_from: int = 4) -> str:
    """compare.json's text: objects and lists indented one space per level down to depth
    ``flat_from`` (document → suites → suite → records), each deeper value — a record, its
    sample lists — compact on one line, every float to :data:`FLOAT_DIGITS` significant digits.
    The same JSON as ``json.dumps`` but for that rounding, still one record a line, at four
    fifths of ``indent=1``'s size (the reference run 2026-11-29T19-03-13Z-vm: 2.31 MB → 1.80 MB).

    Raises:
        ValueError: a NaN or infinity (not JSON).
    """
    if depth >= flat_from or not isinstance(value, (dict, list)) or not value:
        return json.dumps(_rounded(value), separators=(",", ":"), allow_nan=False)
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {dumps(v, depth + 1, flat_from)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(f"{inner}{dumps(v, depth + 1, flat_from)}" for v in value) + f"\n{pad}]"


def corpus_files(generated_dir: Path, quick: bool) -> dict[str, Path]:
    """Label → path of the documents to measure.

    Labels: the path relative to the shared corpus (``kreuzberg/fake.docx``), or
    ``generated/<name>`` for the generated files; every DOCX, then every PDF. ``quick``: the
    generated files, the seed documents and the inflate suite's files only.
    """
    shared = corpus.shared_corpus_dir()
    files = {}
    for path in corpus.docx_files(generated_dir) + corpus.pdf_files():
        if shared is not None and path.is_relative_to(shared):
            files[path.relative_to(shared).as_posix()] = path
        else:
            files[f"generated/{path.name}"] = path
    if quick:
        seeds = (*corpus.SEED_FILES, corpus.SEED_PDF, *inflate.FILES)
        files = {k: v for k, v in files.items() if k.startswith("generated/") or k in seeds}
    return files


def compare(args: argparse.Namespace) -> Path:
    """Runs the suites, writes compare.json and REPORT.md; returns the run directory."""
    started, now, load_start = time.monotonic(), dt.datetime.now(dt.UTC), environment.load_average()
    from bridgemark import stats  # numpy/scipy: only a measuring run pays for them

    run_id = environment.run_id(now, socket.gethostname())
    files = corpus_files(args.corpus, args.quick)
    implementations = [i for i in ALL_IMPLEMENTATIONS if i in args.bridges]
    missing = [f for f in corpus.SEED_FILES if f not in files]
    if missing:
        print(f"warning: seed files not found: {', '.join(missing)} (set BRIDGEMARK_SHARED_CORPUS)", file=sys.stderr)
    status: dict[str, dict[str, Any]] = {}
    results = {}
    run_id_dir = args.out / run_id
    run_id_dir.mkdir(parents=True, exist_ok=True)
    for name in [n for n in args.suites if n != "process"]:
        cases = suites.module(name).cases(files)
        impls = suites.implementations(name, implementations)
        suite_started = time.monotonic()
        workers = suites.worker_count(name, impls, list(cases), args.quick, cases)
        # A progress bar on a terminal only (tqdm's disable=None): in a log it is one line of \r's.
        with tqdm(total=workers, desc=name, unit="worker", disable=None) as bar:
            results[name] = suites.run(
                name, impls, list(cases), args.quick, status,
                labels=cases, on_worker_done=lambda impl: (bar.set_postfix_str(impl), bar.update()),
            )
        results[name]["wall_time_s"] = round(time.monotonic() - suite_started, 1)
        if bar.disable:
            print(f"{name}: {workers} workers, {results[name]['wall_time_s']} s", file=sys.stderr)
    if "process" in args.suites:
        print("process: hyperfine (whole processes)", end="", file=sys.stderr, flush=True)
        suite_started = time.monotonic()
        results["process"] = process.run(files, args.quick, run_id_dir)  # its output is captured
        results["process"]["wall_time_s"] = round(time.monotonic() - suite_started, 1)
        print(f", {results['process']['wall_time_s']} s", file=sys.stderr)
    document = {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "quick": args.quick,
        "argv": sys.argv[1:],
        "environment": environment.collect(now) | {"load_average_1_5_15_min_start": load_start,
                                                   "load_average_1_5_15_min_end": environment.load_average()},
        "statistics": {"confidence": stats.CONFIDENCE, "bootstrap": stats.BOOTSTRAP_METHOD, "slope": stats.SLOPE_METHOD},
        "implementations": {
            impl: status.get(impl, {"status": "ok"}) | {"wrapper_depth": list(WRAPPER_DEPTH.get(impl, (0, 0)))}
            for impl in implementations
        },
        "files": {label: {"bytes": path.stat().st_size} for label, path in files.items()},
        "suites": results,
        "wall_time_s": round(time.monotonic() - started, 1),
    }
    if "calls" in results:
        document["cost_model"] = costmodel.build(
            results["calls"]["records"], results.get("extraction", {}).get("records", []), BRIDGES,
            results.get("interleave", {}).get("records", []), results.get("conversion", {}).get("records", []))
    (run_id_dir / "compare.json").write_text(dumps(document) + "\n")
    report.write(document, args.out / "REPORT.md")
    print(f"{run_id_dir / 'compare.json'}\n{args.out / 'REPORT.md'}  ({document['wall_time_s']} s of measuring)")
    return run_id_dir


def _report(args: argparse.Namespace) -> None:
    try:
        run = report.latest_run(args.out)
    except FileNotFoundError as exc:
        sys.exit(str(exc))
    report.write(json.loads((run / "compare.json").read_text()), args.out / "REPORT.md")
    print(f"{args.out / 'REPORT.md'} from {run / 'compare.json'} and {args.out / 'reliability'}/*.json")


def _extract(args: argparse.Namespace) -> None:
    try:
        print(load(args.bridge).extract_file(args.file, password=args.password).content)
    except (ExtractionError, OSError) as exc:
        sys.exit(f"{args.file}: {type(exc).__name__}: {exc}")


def _corpus(args: argparse.Namespace) -> None:
    from bridgemark import hostile

    for path in corpus.generate(args.out) + hostile.generate(args.out / "hostile"):
        print(path)


def _memcheck(args: argparse.Namespace) -> None:
    from bridgemark import memcheck

    memcheck.main(args.bridges, args.corpus, args.results)


def _soak(args: argparse.Namespace) -> None:
    from bridgemark import soak

    soak.main(args.bridges, args.minutes, args.jobs, args.results, args.merge)


def _fuzz(args: argparse.Namespace) -> None:
    from bridgemark import fuzz

    fuzz.main(args.seconds, args.cargo_fuzz, args.dir, args.results)


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m bridgemark``."""
    p = argparse.ArgumentParser(prog="python -m bridgemark", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare", help="measure every implementation, write compare.json and REPORT.md")
    c.add_argument("--quick", action="store_true",
                   help="smoke run: short samples; generated files, the seed documents and the inflate suite's files")
    c.add_argument("--bridges", type=_csv(ALL_IMPLEMENTATIONS), default=list(ALL_IMPLEMENTATIONS),
                   help=f"comma-separated subset of {','.join(ALL_IMPLEMENTATIONS)}")
    c.add_argument("--suites", type=_csv(SUITE_NAMES), default=list(SUITE_NAMES),
                   help=f"comma-separated subset of {','.join(SUITE_NAMES)}")
    c.add_argument("--corpus", type=Path, default=Path("build/corpus"), help="generated corpus directory")
    c.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory")
    c.set_defaults(func=compare)
    r = sub.add_parser("report", help="re-render REPORT.md from the newest run (no measuring)")
    r.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory")
    r.set_defaults(func=_report)
    e = sub.add_parser("extract", help="print the text of FILE")
    e.add_argument("file", type=Path)
    e.add_argument("--bridge", default="pyo3", choices=IMPLEMENTATIONS)
    e.add_argument("--password", help="password of an encrypted PDF")
    e.set_defaults(func=_extract)
    k = sub.add_parser("corpus", help="write the generated default corpus")
    k.add_argument("--out", type=Path, default=Path("build/corpus"))
    k.set_defaults(func=_corpus)
    m = sub.add_parser("memcheck", help="valgrind memcheck over a short corpus pass on every bridge")
    m.add_argument("--bridges", type=_csv(BRIDGES), default=list(BRIDGES))
    m.add_argument("--corpus", type=Path, default=Path("build/corpus"), help="generated corpus directory")
    m.set_defaults(func=_memcheck)
    s = sub.add_parser("soak", help="long RSS-slope run per bridge (goal: 95%% upper bound < 16 B/iteration)")
    s.add_argument("--bridges", type=_csv(BRIDGES), default=list(BRIDGES))
    s.add_argument("--minutes", type=float, default=10.0, help="minutes per bridge")
    s.add_argument("--merge", action="store_true",
                   help="keep the other bridges' outcomes of the soak record already there (re-soak some bridges)")
    s.add_argument("--jobs", type=int, default=2, help="bridges soaked at once (RSS slopes per iteration do not "
                                                      "depend on CPU speed)")
    s.set_defaults(func=_soak)
    f = sub.add_parser("fuzz", help="cargo fuzz on the core's extract_bytes (DOCX and PDF targets)")
    f.add_argument("--seconds", type=int, default=600, help="seconds in all, split between the targets")
    f.add_argument("--cargo-fuzz", type=Path, default=Path("cargo-fuzz"), help="the cargo-fuzz binary")
    f.add_argument("--dir", type=Path, default=Path("build/fuzz"), help="seed folders (docx/, pdf/) and artifacts/")
    f.set_defaults(func=_fuzz)
    for tool in (m, s, f):
        tool.add_argument("--results", type=Path, default=DEFAULT_OUT / "reliability",
                          help="where <tool>.json is written")
    return p


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m bridgemark`` and the ``bridgemark`` console script."""
    args = parser().parse_args(argv)
    args.func(args)
