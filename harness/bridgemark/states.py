"""The machine's speed states, told apart per worker process by the C-API floor's bare call.

On the shared VM a worker process runs for seconds in one of two speed states: in the calls
suite's ``noop:floor`` case the floor's bare call takes 32–39 ns per process in the faster
and 43–54 ns in the slower (reference runs 2026-11-30T01-26-18Z and 02-26-10Z). A state does
not slow unlike work alike: cffi_abi's bare call is 3.9–4.2 floors in the faster state and
4.5–4.8 in the slower. A factor pooled over a run's processes therefore moves with the share
of them that drew each state (13 of 56 processes in the faster state in 01-26, 27 of 56 in
02-26), while the factor within one state repeats between runs: the slower state's, in the
six runs 2026-11-30T00-45-11Z, 01-16-16Z, 01-26-18Z, 02-26-10Z, 02-51-11Z and 03-09-51Z, lies
within 7% (largest / smallest) for every bridge.

:func:`floor_states` splits the processes of a run into the two states by their floor medians
(Otsu's two-class split of those medians), and :func:`factor_by_state` gives a bridge's factor
per state. Pure Python: the report renders without numpy.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Sequence

#: Two states only when the slower class's mean floor is at least this many times the faster's
#: (the runs above: 1.35 … 1.52); below it the processes are taken as one state.
MIN_SEPARATION = 1.15
#: A state's factor is compared between runs only with at least this many processes in both.
MIN_PROCESSES = 3
#: State names, faster first.
STATES: tuple[str, str] = ("faster", "slower")


@dataclass(frozen=True, slots=True)
class States:
    """A run's split of worker processes by the floor's median bare call.

    Attributes:
        threshold_ns: a process whose floor median is below it is in the faster state (ns).
        faster_ns / slower_ns: the mean floor median of each class (ns).
        n_faster / n_slower: processes in each class (all implementations of ``noop:floor``).
    """

    threshold_ns: float
    faster_ns: float
    slower_ns: float
    n_faster: int
    n_slower: int

    def state(self, floor_ns: float) -> str:
        """``"faster"`` or ``"slower"``: the state of a process whose floor median is ``floor_ns``."""
        return STATES[0] if floor_ns < self.threshold_ns else STATES[1]


def two_class_split(values: Sequence[float]) -> tuple[float, float, float, int] | None:
    """Otsu's split of ``values`` into a low and a high class: the threshold (midway between the
    two neighbouring values) that maximises the between-class variance ``n_low · n_high ·
    (mean_low − mean_high)²``; returns ``(threshold, mean_low, mean_high, n_low)``, or ``None``
    for fewer than 2 distinct values. Source: N. Otsu, "A threshold selection method from
    gray-level histograms", IEEE Trans. SMC 9 (1979), applied to the values themselves."""
    v = sorted(values)
    best: tuple[float, tuple[float, float, float, int]] | None = None
    for i in range(1, len(v)):
        if v[i] == v[i - 1]:
            continue
        low, high = statistics.fmean(v[:i]), statistics.fmean(v[i:])
        between = i * (len(v) - i) * (high - low) ** 2
        if best is None or between > best[0]:
            best = (between, ((v[i - 1] + v[i]) / 2, low, high, i))
    return None if best is None else best[1]


def _floor_medians(record: dict) -> list[float]:
    """Per worker process, the median of the floor's paired samples of one ``noop:floor`` record."""
    return [statistics.median(f) for f in record.get("capi_samples_ns_per_iter", []) if f]


def floor_states(records: Sequence[dict]) -> States | None:
    """The two speed states of a run, from its calls-suite records of ``noop:floor`` (those with the
    floor's per-process samples, ``capi_samples_ns_per_iter``); ``None`` when the processes do not
    fall into two classes :data:`MIN_SEPARATION` apart (or there are fewer than 2)."""
    medians = [m for r in records for m in _floor_medians(r)]
    split = two_class_split(medians)
    if split is None or split[2] < MIN_SEPARATION * split[1]:
        return None
    threshold, low, high, n_low = split
    return States(threshold, low, high, n_low, len(medians) - n_low)


def factor_by_state(record: dict, states: States) -> dict[str, tuple[float, int]]:
    """A ``noop:floor`` record's factor per state: ``state → (median over that state's pairs of
    noop / floor, processes in that state)``, for the states it has processes in.

    Raises:
        KeyError: the record has no per-process samples of both calls.
    """
    pairs: dict[str, list[float]] = {}
    processes: dict[str, int] = {}
    for x, f in zip(record["samples_ns_per_iter"], record["capi_samples_ns_per_iter"]):
        state = states.state(statistics.median(f))
        pairs.setdefault(state, []).extend(a / b for a, b in zip(x, f))
        processes[state] = processes.get(state, 0) + 1
    return {s: (statistics.median(pairs[s]), processes[s]) for s in STATES if s in pairs}
