"""The report's figures (matplotlib, PNG beside REPORT.md), drawn from compare.json alone.

- ``calls.png``: bare-call cost (``noop``) per implementation, median with its 95% CI;
- ``payload.png``: ASCII ``echo`` cost against payload size per implementation, with the
  cost model's line per bridge (direct Rust's own ``echo`` + the fitted fixed, per-byte and
  per-object cost, from ``document["cost_model"]``; no line in runs without one) and, beside
  it, each bridge's predicted vs measured overhead on the real documents;
- ``echo_alphabets.png``: per bridge, ``echo`` overhead (bridge − direct Rust, 95% CI) against the
  UTF-8 bytes crossing the bridge for each alphabet (x, é, 中, 😀: labelled by code point, the
  default font has no CJK or emoji glyphs), with that alphabet's
  fitted line (``document["cost_model"]["echo_per_byte"]``);
- ``memory.png``: RSS over iterations per implementation, clean path and leak control;
- ``threads.png``: throughput scaling from 1 to 2 threads with 95% CIs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _records(document: dict[str, Any], suite: str) -> list[dict]:
    return [r for r in document["suites"].get(suite, {}).get("records", []) if "error" not in r and "kind" not in r]


def _errorbars(recs: list[dict], value: str, low: str, high: str) -> tuple[list[float], list[list[float]]]:
    values = [r[value] for r in recs]
    err = [[max(0.0, r[value] - (r[low] if r[low] is not None else r[value])) for r in recs],
           [max(0.0, (r[high] if r[high] is not None else r[value]) - r[value]) for r in recs]]
    return values, err


def draw(document: dict[str, Any], out_dir: Path) -> list[Path]:
    """Writes the figures that ``document`` has data for into ``out_dir``; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(fig, name: str) -> None:
        fig.tight_layout()
        path = out_dir / name
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    calls = _records(document, "calls")
    noop = [r for r in calls if r["case"] == "noop"]
    if noop:
        fig, ax = plt.subplots(figsize=(7, 3.5))
        values, err = _errorbars(noop, "median_ns", "median_ci95_low_ns", "median_ci95_high_ns")
        ax.bar([r["implementation"] for r in noop], values, yerr=err, capsize=4, color="#4c72b0")
        ax.set_ylabel("ns per call (median, 95% CI)")
        ax.set_title("Bare call: noop()")
        ax.tick_params(axis="x", rotation=30)
        save(fig, "calls.png")

    echo = [r for r in calls if r["case"].startswith("echo:") and len(r["case"].split(":")) == 2]
    if echo:
        model = document.get("cost_model", {})
        preds = model.get("predictions", [])
        fig, axes = plt.subplots(1, 2 if preds else 1, figsize=(12 if preds else 7, 4.5), squeeze=False)
        ax = axes[0][0]
        for impl in dict.fromkeys(r["implementation"] for r in echo):
            pts = sorted((int(r["case"].split(":")[1]), r["median_ns"]) for r in echo if r["implementation"] == impl)
            x, y = np.array([p[0] for p in pts], float), np.array([p[1] for p in pts], float)
            line = ax.plot(x, y, "o", label=impl)[0]
            fit = model.get("fits", {}).get(impl)
            rust = {int(r["case"].split(":")[1]): r["median_ns"] for r in echo if r["implementation"] == "direct_rust"}
            if fit and rust:  # model overhead (2 bytes per payload byte, 1 object) + direct Rust's own echo
                grid = np.array(sorted(rust), float)
                cost = [rust[int(n)] + fit["fixed_ns"] + fit["per_byte_ns"] * 2 * n + fit["per_object_ns"] for n in grid]
                ax.plot(grid, np.maximum(cost, 1.0), "-", color=line.get_color(), alpha=0.6)
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("log")
        ax.set_xlabel("payload (bytes, ASCII, in and out; symlog)")
        ax.set_ylabel("ns per call (median, log)")
        ax.set_title("echo(s): points measured; lines: direct_rust + fitted bridge cost", fontsize=9)
        ax.legend(fontsize=7)
        if preds:
            ax = axes[0][1]
            for impl in dict.fromkeys(p["implementation"] for p in preds):
                ps = [p for p in preds if p["implementation"] == impl and p["predicted_ns"] > 0 and p["measured_ns"] > 0]
                ax.plot([p["predicted_ns"] / 1e3 for p in ps], [p["measured_ns"] / 1e3 for p in ps], "o", ms=3, label=impl)
            lim = [max(1e-3, min(ax.get_xlim()[0], ax.get_ylim()[0])), max(ax.get_xlim()[1], ax.get_ylim()[1])]
            ax.plot(lim, lim, color="grey", linewidth=0.8)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("predicted overhead (µs, cost model)")
            ax.set_ylabel("measured overhead (µs, bridge − direct_rust)")
            ax.set_title("Real documents: predicted vs measured (positive values)", fontsize=9)
            ax.legend(fontsize=7)
        save(fig, "payload.png")

    per_alphabet = document.get("cost_model", {}).get("echo_per_byte", {})
    if per_alphabet:
        save(_echo_alphabets(plt, np, calls, per_alphabet), "echo_alphabets.png")

    memory = [r for r in _records(document, "memory") if "series_iterations" in r]
    if memory:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, control in zip(axes, (False, True)):
            for r in (r for r in memory if r["case"].startswith("leak:") == control):
                rss = np.array(r["series_rss_bytes"], float)
                ax.plot(r["series_iterations"], (rss - rss[0]) / 1024, label=r["implementation"], linewidth=1)
            ax.set_xlabel("iterations after warm-up")
            ax.set_ylabel("RSS growth (KiB)")
            ax.set_title("leak control: leak(64) per call" if control else "clean path: extract_file")
            ax.legend(fontsize=6)
        save(fig, "memory.png")

    threads = [r for r in _records(document, "threads") if "scaling" in r]
    if threads:
        fig, ax = plt.subplots(figsize=(8, 4))
        cases = list(dict.fromkeys(r["case"] for r in threads))
        impls = list(dict.fromkeys(r["implementation"] for r in threads))
        width = 0.8 / max(1, len(cases))
        for k, case in enumerate(cases):
            recs = [next((r for r in threads if r["implementation"] == i and r["case"] == case), None) for i in impls]
            present = [(j, r) for j, r in enumerate(recs) if r is not None]
            values, err = _errorbars([r for _, r in present], "scaling", "scaling_ci95_low", "scaling_ci95_high")
            label = case.split(":")[0] + ("" if case.startswith("spin:") else f" {Path(case).name}")
            ax.bar([j + k * width for j, _ in present], values, width, yerr=err, capsize=3, label=label)
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.axhline(2.0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xticks([j + width * (len(cases) - 1) / 2 for j in range(len(impls))], impls, rotation=30)
        ax.set_ylabel("throughput 2 threads / 1 thread")
        ax.set_title("Thread scaling (1 = GIL held, 2 = ideal on 2 cores)")
        ax.legend(fontsize=7)
        save(fig, "threads.png")
    return written


def _echo_alphabets(plt, np, calls: list[dict], per_alphabet: dict[str, dict[str, dict]]):
    """One panel per bridge of ``per_alphabet`` (bridge → alphabet → fit record with ``fixed_ns`` and
    ``per_byte_ns``): measured ``echo`` overhead (ns, median with 95% CI) against marshalled bytes
    (in + out), log–log, points ≤ 0 left out (noted in the panel), and each alphabet's fitted line
    ``fixed + per_byte · bytes`` in the same colour. Returns the figure."""
    from bridgemark.costmodel import ALPHABETS, echo_alphabet

    bridges = list(per_alphabet)
    cols = min(3, len(bridges))
    rows = -(-len(bridges) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    colours = dict(zip(ALPHABETS, ("#4c72b0", "#dd8452", "#55a868", "#c44e52")))
    for ax, bridge in zip(axes.flat, bridges):
        dropped = 0
        for alphabet, colour in colours.items():
            recs = sorted((r for r in calls if r["implementation"] == bridge and "overhead_ns" in r
                           and echo_alphabet(r["case"]) == alphabet and r["marshalled_bytes"] > 0),
                          key=lambda r: r["marshalled_bytes"])
            shown = [r for r in recs if r["overhead_ns"] > 0]
            dropped += len(recs) - len(shown)
            if shown:
                values, err = _errorbars(shown, "overhead_ns", "overhead_ci95_low_ns", "overhead_ci95_high_ns")
                ax.errorbar([r["marshalled_bytes"] for r in shown], values, yerr=err, fmt="o", ms=3, capsize=2,
                            color=colour, label=f"{alphabet} (U+{ord(ALPHABETS[alphabet][0]):04X})")
            fit = per_alphabet[bridge].get(alphabet)
            if fit and recs:
                grid = np.geomspace(min(r["marshalled_bytes"] for r in recs), max(r["marshalled_bytes"] for r in recs), 50)
                line = fit["fixed_ns"] + fit["per_byte_ns"] * grid
                ax.plot(grid[line > 0], line[line > 0], "-", color=colour, alpha=0.6)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(bridge + (f" ({dropped} points ≤ 0 not shown)" if dropped else ""), fontsize=9)
        ax.set_xlabel("UTF-8 bytes in + out", fontsize=8)
        ax.set_ylabel("overhead ns per call", fontsize=8)
        ax.legend(fontsize=6)
    for ax in list(axes.flat)[len(bridges):]:
        ax.set_visible(False)
    fig.suptitle("echo(s) per alphabet: overhead against direct Rust (median, 95% CI); lines: fitted fixed + per byte",
                 fontsize=9)
    return fig
