"""Statistics for bridgemark's records: pure functions, no timing, no I/O.

Every interval is a two-sided 95% interval (:data:`CONFIDENCE`). Each function names
its formula and source; the report repeats them beside the tables.

- :func:`median_ci` — median with a two-stage (process, then sample) percentile-bootstrap interval.
- :func:`median_difference_ci` — difference of two medians (ns) and that difference as a
  percentage of the second median, each with a two-stage percentile-bootstrap interval.
- :func:`geometric_mean_ci` — geometric mean of ratios with a percentile-bootstrap interval.
- :func:`slope_ci` — ordinary least-squares slope with its Student-t interval.
- :func:`is_leak` — the leak verdict rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats as sp

#: Two-sided confidence level of every interval.
CONFIDENCE = 0.95
#: Bootstrap resamples (Efron & Tibshirani recommend ≥ 1,000 for percentile intervals).
N_RESAMPLES = 9_999
#: Fixed seed: the same samples always give the same interval (the report re-renders
#: from JSON and re-running the statistics must not move the numbers).
SEED = 20261129
#: Description of the bootstrap method, written into compare.json and the report.
BOOTSTRAP_METHOD = (
    f"two-stage percentile bootstrap over processes, then samples within each process "
    f"(Davison & Hinkley 1997, §3.8; numpy, {N_RESAMPLES} resamples, seed {SEED})"
)
#: Description of the slope method, written into compare.json and the report.
SLOPE_METHOD = "least squares (scipy.stats.linregress); 95% CI = slope ± t(0.975, n−2) · stderr"


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its 95% interval.

    Attributes:
        value: the estimate (same unit as the input data).
        low, high: the interval's bounds; ``None`` when it is undefined (n too small).
        n: number of observations the estimate rests on.
    """

    value: float
    low: float | None
    high: float | None
    n: int

    def fields(self, name: str, unit: str) -> dict[str, float | None]:
        """Returns ``{name_unit, name_ci95_low_unit, name_ci95_high_unit}`` for JSON records.

        Example: ``Estimate(5, 4, 6, 10).fields("median", "ns")`` →
        ``{"median_ns": 5, "median_ci95_low_ns": 4, "median_ci95_high_ns": 6}``.
        """
        return {
            f"{name}_{unit}": self.value,
            f"{name}_ci95_low_{unit}": self.low,
            f"{name}_ci95_high_{unit}": self.high,
        }


def _as_array(values: Sequence[float], name: str) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name}: need a non-empty 1-D sequence, got shape {a.shape}")
    return a


def _as_groups(groups: Sequence[Sequence[float]], name: str) -> list[np.ndarray]:
    if len(groups) == 0:
        raise ValueError(f"{name}: need at least one group of samples")
    return [_as_array(g, name) for g in groups]


def _resampled_medians(groups: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Medians of :data:`N_RESAMPLES` two-stage resamples of ``groups``, shape ``(N_RESAMPLES,)``.

    Stage 1 draws ``len(groups)`` groups with replacement; stage 2 draws, within each drawn
    group, as many values as it holds, with replacement (Davison & Hinkley, *Bootstrap
    Methods and their Application*, 1997, §3.8). Between-process variation therefore widens
    the interval, as it should; with one group this is the ordinary bootstrap.
    """
    flat = np.concatenate(groups)
    lengths = np.array([g.size for g in groups])
    offsets = np.cumsum(lengths) - lengths
    picked = rng.integers(len(groups), size=(N_RESAMPLES, len(groups)))
    picked_len = lengths[picked][..., None]  # (B, G, 1)
    slots = np.arange(lengths.max())  # (L,)
    within = np.floor(rng.random((N_RESAMPLES, len(groups), slots.size)) * picked_len).astype(np.intp)
    values = np.where(slots < picked_len, flat[offsets[picked][..., None] + within], np.nan)
    return np.nanmedian(values.reshape(N_RESAMPLES, -1), axis=1)


def _percentile_interval(resampled: np.ndarray) -> tuple[float, float]:
    """Efron's percentile interval: the 2.5th and 97.5th percentiles of the resampled statistic."""
    tail = 100 * (1 - CONFIDENCE) / 2
    low, high = np.percentile(resampled, [tail, 100 - tail])
    return float(low), float(high)


def median_ci(groups: Sequence[Sequence[float]]) -> Estimate:
    """Median of all samples with a 95% two-stage percentile-bootstrap interval.

    Args:
        groups: samples per process (any unit; the estimate has the same unit), e.g.
            ``[[ns, ns, ns], [ns, ns, ns]]``; at least one non-empty group.
    Returns:
        ``Estimate(median of the pooled samples, low, high, n = total samples)``;
        ``low``/``high`` are ``None`` when n < 2.
    Raises:
        ValueError: no group, or an empty or non-1-D group.
    """
    gs = _as_groups(groups, "groups")
    pooled = np.concatenate(gs)
    if pooled.size < 2:
        return Estimate(float(pooled[0]), None, None, 1)
    low, high = _percentile_interval(_resampled_medians(gs, np.random.default_rng(SEED)))
    return Estimate(float(np.median(pooled)), low, high, int(pooled.size))


def median_difference_ci(
    x: Sequence[Sequence[float]], y: Sequence[Sequence[float]]
) -> tuple[Estimate, Estimate]:
    """``median(x) − median(y)`` and ``100 · (median(x) − median(y)) / median(y)`` with 95% intervals.

    ``x`` and ``y`` are resampled independently, each by the two-stage scheme of
    :func:`median_ci` (e.g. a bridge and direct Rust, measured in different processes);
    the intervals are percentile intervals of the resampled difference and ratio.

    Args:
        x: samples per process of the measured implementation (e.g. ns per call).
        y: samples per process of the baseline, same unit, pooled median ≠ 0.
    Returns:
        ``(difference in x's unit, difference in % of median(y))``; ``n`` counts x and y;
        no interval when x or y has fewer than two samples.
    Raises:
        ValueError: a group is empty, or the baseline's median is 0 (no percentage exists).
    """
    gx, gy = _as_groups(x, "x"), _as_groups(y, "y")
    mx, my = float(np.median(np.concatenate(gx))), float(np.median(np.concatenate(gy)))
    if my == 0:
        raise ValueError("median of the baseline is 0: a percentage is undefined")
    n = sum(g.size for g in gx + gy)
    if min(sum(g.size for g in gx), sum(g.size for g in gy)) < 2:
        return Estimate(mx - my, None, None, n), Estimate(100 * (mx - my) / my, None, None, n)
    rng = np.random.default_rng(SEED)
    bx, by = _resampled_medians(gx, rng), _resampled_medians(gy, rng)
    diff = Estimate(mx - my, *_percentile_interval(bx - by), n)
    pct = Estimate(100 * (mx - my) / my, *_percentile_interval(100 * (bx - by) / by), n)
    return diff, pct


def paired_difference_ci(
    x: Sequence[Sequence[float]], y: Sequence[Sequence[float]]
) -> tuple[Estimate, Estimate]:
    """Median of the per-pair differences ``x − y`` and of ``100 · (x / y − 1)``, with 95% intervals.

    ``x[p][i]`` and ``y[p][i]`` are a pair: sample ``i`` of process ``p`` of the measured
    implementation and of its baseline, taken back to back in the same process (see
    :func:`bridgemark.worker.timing_record`'s ``baseline``). The per-pair values are
    resampled by :func:`median_ci`'s two-stage scheme (processes, then pairs).

    Args:
        x: samples per process of the measured implementation (e.g. ns per call).
        y: the paired baseline samples, same shape and unit, all > 0.
    Returns:
        ``(difference in x's unit, difference in % of the pair's baseline)``; ``n`` = pairs.
    Raises:
        ValueError: the shapes differ, a group is empty, or a baseline sample is ≤ 0.
    """
    gx, gy = _as_groups(x, "x"), _as_groups(y, "y")
    if [g.size for g in gx] != [g.size for g in gy]:
        raise ValueError("x and y must pair sample for sample (same number per process)")
    if any((g <= 0).any() for g in gy):
        raise ValueError("a baseline sample is ≤ 0: a relative difference is undefined")
    return (median_ci([a - b for a, b in zip(gx, gy)]),
            median_ci([100 * (a / b - 1) for a, b in zip(gx, gy)]))


def geometric_mean_ci(ratios: Sequence[float]) -> Estimate:
    """Geometric mean of ``ratios`` (e.g. one time ratio per file) with a 95% percentile-bootstrap
    interval over them (``scipy.stats.bootstrap`` of the mean log, exponentiated).

    The summary of normalised figures whose mean does not depend on which side is the
    reference (Fleming & Wallace, "How not to lie with statistics: the correct way to summarize
    benchmark results", CACM 29(3), 1986). Unlike a median of ratios, every ratio moves it:
    one ratio's noise is averaged over all, where a median follows the few in the middle.

    Args:
        ratios: dimensionless, all > 0, at least one.
    Returns:
        ``Estimate(geometric mean, low, high, n = len(ratios))``; no interval when n < 2.
    Raises:
        ValueError: empty, not 1-D, or a ratio ≤ 0.
    """
    a = _as_array(ratios, "ratios")
    if (a <= 0).any():
        raise ValueError("a ratio is ≤ 0: its logarithm is undefined")
    logs = np.log(a)
    value = float(np.exp(logs.mean()))
    if a.size < 2:
        return Estimate(value, None, None, 1)
    if np.ptp(logs) == 0:  # no spread: every resample gives the same mean
        return Estimate(value, value, value, int(a.size))
    ci = sp.bootstrap((logs,), np.mean, n_resamples=N_RESAMPLES, confidence_level=CONFIDENCE,
                      method="percentile", rng=np.random.default_rng(SEED)).confidence_interval
    return Estimate(value, float(np.exp(ci.low)), float(np.exp(ci.high)), int(a.size))


def slope_ci(x: Sequence[float], y: Sequence[float]) -> Estimate:
    """Least-squares slope of ``y`` on ``x`` with its 95% Student-t interval.

    Formula: ``slope ± t_{0.975, n−2} · SE(slope)`` with ``SE`` from
    ``scipy.stats.linregress`` (the textbook OLS standard error; e.g. Montgomery,
    *Introduction to Linear Regression Analysis*, §2.3). Assumes independent residuals:
    RSS series are autocorrelated, so treat the interval as a lower bound of the uncertainty.

    Args:
        x: e.g. iteration numbers; y: e.g. RSS in bytes; same length n ≥ 2, x not constant.
    Returns:
        ``Estimate(slope in y-unit per x-unit, low, high, n)``; no interval when n < 3.
    Raises:
        ValueError: lengths differ, n < 2, or x is constant.
    """
    a, b = _as_array(x, "x"), _as_array(y, "y")
    if a.size != b.size or a.size < 2 or np.ptp(a) == 0:
        raise ValueError(f"slope needs two equal-length series with n ≥ 2 and varying x (n={a.size}, {b.size})")
    if np.ptp(b) == 0:  # y constant: the fit is exact (linregress would give NaN stderr)
        return Estimate(0.0, 0.0, 0.0, int(a.size))
    fit = sp.linregress(a, b)
    if a.size < 3:
        return Estimate(float(fit.slope), None, None, int(a.size))
    half = sp.t.ppf(0.5 + CONFIDENCE / 2, a.size - 2) * fit.stderr
    return Estimate(float(fit.slope), float(fit.slope - half), float(fit.slope + half), int(a.size))


def is_leak(slope: Estimate, margin: float) -> bool:
    """The leak verdict: ``True`` only when the slope's 95% lower bound exceeds ``margin``.

    The margin (same unit as the slope, e.g. bytes/iteration) absorbs allocator and
    page-granularity steps that are not leaks; a slope without an interval is never a leak.
    """
    return slope.low is not None and slope.low > margin
