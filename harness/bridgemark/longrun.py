"""Records of the long reliability runs (``make fuzz``, ``make memcheck``, ``make soak``).

Each tool writes one JSON document, ``results/reliability/<tool>.json`` (the newest run of
that tool replaces the previous one; git keeps the history), which the report's
reliability section renders beside the reliability suite of ``compare.json``. Layout
(``schema_version`` 1, see ``results/README.md``)::

    {"schema_version": 1, "tool": "fuzz" | "memcheck" | "soak",
     "date": ISO-8601 UTC, "commit": sha | None, "dirty": bool | None,
     "environment": {...as compare.json...}, "parameters": {...},
     "passed": bool, "outcomes": {bridge or fuzz target: {...per tool...}}}
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bridgemark import environment

#: Version of the layout above; bump on any incompatible change.
SCHEMA_VERSION = 1
#: The tools that write a record, in report order.
TOOLS: tuple[str, ...] = ("memcheck", "soak", "fuzz")
#: Where the records live: ``<results>/reliability/<tool>.json``.
DEFAULT_DIR = environment.REPO_ROOT / "results" / "reliability"


def record(tool: str, parameters: dict[str, Any], outcomes: dict[str, dict[str, Any]], passed: bool,
           now: dt.datetime | None = None) -> dict[str, Any]:
    """The JSON document of one run of ``tool`` (one of :data:`TOOLS`) started at ``now``
    (default: now); the environment is read when this is called.

    ``outcomes``: bridge name (memcheck, soak) or fuzz target name → that tool's fields;
    ``passed``: the tool's own verdict (its exit status).
    """
    if tool not in TOOLS:
        raise ValueError(f"unknown tool {tool!r}; known: {', '.join(TOOLS)}")
    now = now or dt.datetime.now(dt.UTC)
    env = environment.collect(now) | {"load_average_1_5_15_min": environment.load_average()}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": tool,
        "date": env["date"],
        "commit": env["git"]["commit"],
        "dirty": env["git"]["dirty"],
        "environment": env,
        "parameters": parameters,
        "passed": passed,
        "outcomes": outcomes,
    }


def merge(previous: dict[str, Any] | None, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the outcomes of ``previous`` (an earlier record of the same tool) for
    the bridges or targets it did not run itself: re-running one bridge keeps the others.
    Every outcome of a merged record carries the ``date``, ``commit`` and ``parameters`` of the
    run that measured it; ``passed`` covers them all. ``previous`` ``None``: ``document`` unchanged.

    Raises:
        ValueError: the two records are of different tools.
    """
    if previous is None:
        return document
    if previous["tool"] != document["tool"]:
        raise ValueError(f"cannot merge a {previous['tool']} record into a {document['tool']} record")

    def stamped(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        run = {"date": doc["date"], "commit": doc["commit"], "parameters": doc["parameters"]}
        return {k: run | o for k, o in doc["outcomes"].items()}

    outcomes = stamped(previous) | stamped(document)
    return document | {"outcomes": outcomes, "passed": all(o.get("passed", False) for o in outcomes.values())}


def write(document: dict[str, Any], out_dir: Path = DEFAULT_DIR) -> Path:
    """Writes ``document`` to ``<out_dir>/<tool>.json`` (replacing the previous run); returns the path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{document['tool']}.json"
    path.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n")
    return path


def load(directory: Path = DEFAULT_DIR) -> dict[str, dict[str, Any]]:
    """Tool → its newest record, for the tools that have one in ``directory``.

    Raises:
        ValueError: a record has another ``schema_version`` than this code reads.
    """
    out = {}
    for tool in TOOLS:
        path = Path(directory) / f"{tool}.json"
        if path.is_file():
            document = json.loads(path.read_text())
            if document.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"{path}: schema_version {document.get('schema_version')!r}, "
                                 f"this code reads {SCHEMA_VERSION}")
            out[tool] = document
    return out
