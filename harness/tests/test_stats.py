"""bridgemark.stats on synthetic data with known answers (no timing)."""

from __future__ import annotations

import numpy as np
import pytest

from bridgemark import stats


def test_median_ci_brackets_the_median_of_known_data():
    values = np.random.default_rng(1).normal(1000.0, 10.0, size=200)
    est = stats.median_ci([values])
    assert est.value == pytest.approx(np.median(values))
    assert est.low < est.value < est.high
    assert est.high - est.low < 6.0  # ≈ 2 · 1.96 · 1.2533 · σ/√n ≈ 3.5
    assert est.n == 200


def test_median_ci_is_deterministic_for_the_same_samples():
    groups = [[5.0, 7.0, 6.0], [9.0, 4.0, 8.0]]
    assert stats.median_ci(groups) == stats.median_ci([list(g) for g in groups])


def test_median_ci_widens_to_cover_disagreeing_processes():
    # Two processes, each perfectly steady, 100 ns apart: resampling processes gives medians
    # of 100, 150 or 200 only, so the interval is exactly [100, 200] — the process effect shows.
    est = stats.median_ci([[100.0] * 10, [200.0] * 10])
    assert (est.value, est.low, est.high, est.n) == (150.0, 100.0, 200.0, 20)


def test_median_ci_of_constant_samples_is_a_point():
    assert stats.median_ci([[3.0] * 5, [3.0] * 5]) == stats.Estimate(3.0, 3.0, 3.0, 10)


def test_median_ci_of_one_sample_has_no_interval():
    assert stats.median_ci([[42.0]]) == stats.Estimate(42.0, None, None, 1)


@pytest.mark.parametrize("groups", [[], [[]], [[1.0], []]])
def test_median_ci_rejects_empty_input(groups):
    with pytest.raises(ValueError):
        stats.median_ci(groups)


def test_median_difference_of_a_shifted_sample_is_the_shift():
    base = np.random.default_rng(2).normal(200.0, 1.0, size=100)
    diff, pct = stats.median_difference_ci([base[:50] + 20.0, base[50:] + 20.0], [base])
    assert diff.value == pytest.approx(20.0)
    assert diff.low < 20.0 < diff.high
    assert pct.value == pytest.approx(100 * 20.0 / np.median(base))
    assert pct.low < pct.value < pct.high
    assert diff.n == pct.n == 200


def test_median_difference_of_single_samples_has_no_interval():
    diff, pct = stats.median_difference_ci([[110.0]], [[100.0]])
    assert (diff.value, diff.low, pct.value, pct.high) == (10.0, None, 10.0, None)


def test_median_difference_rejects_a_zero_baseline():
    with pytest.raises(ValueError):
        stats.median_difference_ci([[1.0, 2.0]], [[0.0, 0.0]])


def test_paired_difference_recovers_a_shift_that_machine_states_hide():
    # Each pair shares a machine state (the baseline jumps between 100 and 160 ns per pair);
    # the measured side is always 5 ns above its own pair: paired, the shift is exact, while
    # the difference of medians of the same data cannot even tell its sign.
    rng = np.random.default_rng(3)
    base = [rng.choice([100.0, 160.0], size=20) for _ in range(3)]
    measured = [b + 5.0 for b in base]
    diff, pct = stats.paired_difference_ci(measured, base)
    assert (diff.value, diff.low, diff.high, diff.n) == (5.0, 5.0, 5.0, 60)
    assert 100 * 5 / 160 <= pct.low <= pct.value <= pct.high <= 100 * 5 / 100 + 1e-9
    unpaired, _ = stats.median_difference_ci([m[::-1][:10] for m in measured], [b[:10] for b in base])
    assert unpaired.low < 0 < unpaired.high


def test_paired_difference_rejects_unpaired_shapes_and_a_zero_baseline():
    with pytest.raises(ValueError):
        stats.paired_difference_ci([[1.0, 2.0]], [[1.0]])
    with pytest.raises(ValueError):
        stats.paired_difference_ci([[1.0, 2.0]], [[1.0, 0.0]])


def test_geometric_mean_ci_of_reciprocal_ratios_is_one():
    est = stats.geometric_mean_ci([4.0, 0.25, 2.0, 0.5])
    assert est.value == pytest.approx(1.0) and est.n == 4
    assert est.low < 1.0 < est.high


def test_geometric_mean_ci_is_not_moved_by_the_middle_ratios_alone():
    # Three of five ratios move 13% in the middle; the median follows them all the way,
    # the geometric mean by a fifth of the log change per moved ratio.
    before, after = [5.0, 11.9, 12.0, 12.1, 30.0], [5.0, 13.4, 13.5, 13.6, 30.0]
    g = stats.geometric_mean_ci(after).value / stats.geometric_mean_ci(before).value
    assert g == pytest.approx((13.5 / 12.0) ** (3 / 5), rel=1e-3)


def test_geometric_mean_ci_of_one_ratio_has_no_interval_and_of_equal_ratios_is_a_point():
    assert stats.geometric_mean_ci([3.0]) == stats.Estimate(pytest.approx(3.0), None, None, 1)
    assert stats.geometric_mean_ci([2.0, 2.0]) == stats.Estimate(pytest.approx(2.0), pytest.approx(2.0),
                                                                pytest.approx(2.0), 2)


@pytest.mark.parametrize("ratios", [[], [1.0, 0.0], [-2.0]])
def test_geometric_mean_ci_rejects_empty_input_and_non_positive_ratios(ratios):
    with pytest.raises(ValueError):
        stats.geometric_mean_ci(ratios)


def test_slope_ci_recovers_a_known_slope_with_noise():
    x = np.arange(500, dtype=float)
    y = 5_000_000 + 64.0 * x + np.random.default_rng(3).normal(0, 500, size=x.size)
    est = stats.slope_ci(x, y)
    assert est.low < 64.0 < est.high
    assert est.high - est.low < 1.0


def test_slope_ci_of_an_exact_line_is_exact():
    est = stats.slope_ci([0, 1, 2, 3], [10, 13, 16, 19])
    assert est.value == pytest.approx(3.0)
    assert est.low == pytest.approx(3.0) and est.high == pytest.approx(3.0)


def test_slope_ci_of_a_flat_series_is_zero():
    assert stats.slope_ci([0, 10, 20], [7, 7, 7]) == stats.Estimate(0.0, 0.0, 0.0, 3)


def test_slope_ci_of_two_points_has_no_interval():
    est = stats.slope_ci([0, 1], [0, 2])
    assert est.value == pytest.approx(2.0) and est.low is None and est.high is None


@pytest.mark.parametrize("x, y", [([0, 1, 2], [0, 1]), ([1], [1]), ([2, 2, 2], [1, 2, 3])])
def test_slope_ci_rejects_unusable_series(x, y):
    with pytest.raises(ValueError):
        stats.slope_ci(x, y)


def test_is_leak_needs_the_lower_bound_above_the_margin():
    assert stats.is_leak(stats.Estimate(80.0, 79.0, 81.0, 100), margin=16.0)
    assert not stats.is_leak(stats.Estimate(20.0, 10.0, 30.0, 100), margin=16.0)
    assert not stats.is_leak(stats.Estimate(80.0, None, None, 2), margin=16.0)


def test_page_granular_leak_of_64_bytes_per_iteration_is_flagged():
    iterations = np.arange(0, 200_001, 1_000)
    rss = 50_000_000 + (64 * iterations) // 4096 * 4096  # RSS grows in whole 4 KiB pages
    slope = stats.slope_ci(iterations, rss)
    assert slope.value == pytest.approx(64.0, rel=0.01)
    assert stats.is_leak(slope, margin=16.0)


def test_one_allocator_step_in_a_clean_series_is_not_a_leak():
    iterations = np.arange(0, 50_001, 250)
    rss = 50_000_000 + np.where(iterations > 25_000, 256 * 1024, 0)  # one 256 KiB arena mid-run
    assert not stats.is_leak(stats.slope_ci(iterations, rss), margin=16.0)


def test_estimate_fields_carry_the_unit_in_their_names():
    assert stats.Estimate(5.0, 4.0, 6.0, 10).fields("median", "ns") == {
        "median_ns": 5.0, "median_ci95_low_ns": 4.0, "median_ci95_high_ns": 6.0}
