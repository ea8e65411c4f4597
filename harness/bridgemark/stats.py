"""Statistics for bridgemark's records: pure functions, no timing, no I/O.

Every interval is a two-sided 95% interval (:data:`CONFIDENCE`). Each function names
its formula and source; the report repeats them beside the tables.

- :func:`median_ci` — median with a percentile-bootstrap interval.
- :func:`median_difference_ci` — difference of two medians (ns) and that difference as a
  percentage of the second median, each with a percentile-bootstrap interval.
- :func:`slope_ci` — ordinary least-squares slope with its Student-t interval.
- :func:`is_leak` — the leak verdict rule.
"""

from __future__ import annotations

import math
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
    f"percentile bootstrap (scipy.stats.bootstrap, method='percentile', "
    f"{N_RESAMPLES} resamples, seed {SEED}); values of all processes pooled"
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


def _finite_or_none(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _as_array(values: Sequence[float], name: str) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name}: need a non-empty 1-D sequence, got shape {a.shape}")
    return a


def _bootstrap_interval(data: tuple[np.ndarray, ...], statistic) -> tuple[float | None, float | None]:
    """Percentile-bootstrap interval of ``statistic`` over independent samples ``data``.

    Source: Efron & Tibshirani, *An Introduction to the Bootstrap* (1993), §13.3;
    implementation ``scipy.stats.bootstrap(..., paired=False, method="percentile")``.
    Returns ``(None, None)`` when any sample has fewer than two values.
    """
    if min(d.size for d in data) < 2:
        return None, None
    if all(np.ptp(d) == 0 for d in data):  # no spread: every resample gives the same value
        point = float(statistic(*data, axis=-1))
        return point, point
    res = sp.bootstrap(
        data,
        statistic,
        n_resamples=N_RESAMPLES,
        confidence_level=CONFIDENCE,
        method="percentile",
        paired=False,
        vectorized=True,
        rng=np.random.default_rng(SEED),
    )
    ci = res.confidence_interval
    return _finite_or_none(ci.low), _finite_or_none(ci.high)


def median_ci(values: Sequence[float]) -> Estimate:
    """Median of ``values`` with a 95% percentile-bootstrap interval.

    Args:
        values: 1-D samples (any unit; the estimate has the same unit), n ≥ 1.
    Returns:
        ``Estimate(median, low, high, n)``; ``low``/``high`` are ``None`` when n < 2.
    Raises:
        ValueError: ``values`` is empty or not 1-D.
    """
    a = _as_array(values, "values")
    low, high = _bootstrap_interval((a,), np.median)
    return Estimate(float(np.median(a)), low, high, int(a.size))


def _median_diff(x, y, axis=-1):
    return np.median(x, axis=axis) - np.median(y, axis=axis)


def _median_diff_pct(x, y, axis=-1):
    base = np.median(y, axis=axis)
    return 100.0 * (np.median(x, axis=axis) - base) / base


def median_difference_ci(x: Sequence[float], y: Sequence[float]) -> tuple[Estimate, Estimate]:
    """``median(x) − median(y)`` and ``100 · (median(x) − median(y)) / median(y)`` with 95% intervals.

    Both intervals are percentile-bootstrap intervals that resample ``x`` and ``y``
    independently (two unpaired samples, e.g. a bridge and direct Rust).

    Args:
        x: samples of the measured implementation (e.g. ns per call), n ≥ 1.
        y: samples of the baseline, same unit, n ≥ 1, median ≠ 0.
    Returns:
        ``(difference in x's unit, difference in % of median(y))``; ``n`` is ``len(x) + len(y)``.
    Raises:
        ValueError: a sample is empty, or ``median(y) == 0`` (no percentage exists).
    """
    a, b = _as_array(x, "x"), _as_array(y, "y")
    if np.median(b) == 0:
        raise ValueError("median of the baseline is 0: a percentage is undefined")
    n = int(a.size + b.size)
    diff = Estimate(float(_median_diff(a, b)), *_bootstrap_interval((a, b), _median_diff), n)
    pct = Estimate(float(_median_diff_pct(a, b)), *_bootstrap_interval((a, b), _median_diff_pct), n)
    return diff, pct


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
