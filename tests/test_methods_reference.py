"""The Python reference methods against METHODS.md's independently computed test vectors and hand-worked
tables (quartile buckets, polarity, targets, freshness)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from scipy import stats

from indicators.catalogue import Polarity
from indicators.methods.benchmark import compare_two_level, compare_with_benchmark
from indicators.methods.confidence import Z95, Z998, byar_count, byar_rate, wilson
from indicators.methods.derived import Component, aggregate_value, running_totals
from indicators.methods.direction import Reading, round_half_away, series_direction
from indicators.methods.freshness import expected_period, is_overdue, period_kind
from indicators.methods.labels import ordinal
from indicators.methods.quartiles import (
    comparator_summary,
    phe_quantile,
    position_against_median,
    quartile_from_rank,
)
from indicators.methods.targets import TargetPoint, TargetRule, trajectory_value
from indicators.methods.trend import TrendPoint, recent_trend, trend_check
from indicators.periods import financial_year, fiscal_quarter, parse_period

VALUES = [30.6, 30.2, 28, 24.6, 24.67]
LOWER = [28.98, 28.63, 26.44, 23.15, 23.16]
UPPER = [32.25, 31.9, 29.64, 26.19, 26.25]
H, L, N = Polarity.HIGH_IS_GOOD, Polarity.LOW_IS_GOOD, Polarity.NO_JUDGEMENT


def _points(values, lower, upper, period_type="financial_year"):
    return [TrendPoint(f"{2015 + i}/{(16 + i) % 100:02d}", v, lo, up, period_type)
            for i, (v, lo, up) in enumerate(zip(values, lower, upper, strict=True))]


# --- recent trend (section 3) ---------------------------------------------------------------------------

def test_trend_vector_slope_and_chi2():
    result = recent_trend(_points(VALUES, LOWER, UPPER), L)
    assert result.slope == pytest.approx(-1.751566, abs=1e-6)
    assert result.chi2 == pytest.approx(46.76532, abs=1e-5)
    assert result.label == "Decreasing and getting better"
    assert result.direction == -1
    assert result.periods == ("2015/16", "2016/17", "2017/18", "2018/19", "2019/20")


def test_trend_labels_follow_polarity():
    assert recent_trend(_points(VALUES, LOWER, UPPER), H).label == "Decreasing and getting worse"
    assert recent_trend(_points(VALUES, LOWER, UPPER), N).label == "Decreasing"
    rising = [100 - v for v in VALUES]
    lo, up = [100 - u for u in UPPER], [100 - x for x in LOWER]
    assert recent_trend(_points(rising, lo, up), H).label == "Increasing and getting better"
    assert recent_trend(_points(rising, lo, up), L).label == "Increasing and getting worse"
    assert recent_trend(_points(rising, lo, up), N).label == "Increasing"


def test_wilson_then_regression_vector():
    counts = [1367, 1332, 1199, 1023, 994]
    denominators = [44701, 44064, 42811, 41527, 40299]
    points = [TrendPoint(str(2015 + i), c / n * 100, *wilson(c, n), "calendar_year")
              for i, (c, n) in enumerate(zip(counts, denominators, strict=True))]
    assert recent_trend(points, L).chi2 == pytest.approx(48.6072, abs=1e-4)


def test_trend_needs_five_valid_points():
    points = _points(VALUES, LOWER, UPPER)
    points[2] = TrendPoint(points[2].period, None, None, None)
    result = recent_trend(points, L)
    assert result.label == "Cannot be calculated"
    assert result.reason == "4 valid points with confidence intervals; 5 needed"


def test_trend_skips_suppressed_and_invalid_points_and_uses_the_latest_five():
    """Gaps are allowed: a suppressed point and one with UCI <= LCI are skipped, older points fill in."""
    values = [31.0, *VALUES[:2], None, VALUES[2], 27.0, *VALUES[3:]]
    lower = [29.4, *LOWER[:2], None, LOWER[2], 27.0, *LOWER[3:]]
    upper = [32.6, *UPPER[:2], None, UPPER[2], 27.0, *UPPER[3:]]  # 27.0/27.0/27.0: UCI = LCI, invalid
    points = [TrendPoint(f"{2012 + i}/{(13 + i) % 100:02d}", v, lo, up)
              for i, (v, lo, up) in enumerate(zip(values, lower, upper, strict=True))]
    result = recent_trend(points, L)
    assert result.periods == ("2013/14", "2014/15", "2016/17", "2018/19", "2019/20")
    assert result.slope == pytest.approx(-1.751566, abs=1e-6)


def test_pooled_quarterly_and_mixed_series_are_not_tested():
    for kind in ("multi_year", "quarter", "month"):
        result = recent_trend(_points(VALUES, LOWER, UPPER, kind), H)
        assert (result.label, result.reason) == ("Cannot be calculated",
                                                 "recent trends are tested on annual, non-overlapping periods only")
    mixed = _points(VALUES, LOWER, UPPER)
    mixed[0] = TrendPoint("2015", VALUES[0], LOWER[0], UPPER[0], "calendar_year")
    assert recent_trend(mixed, H).label == "Cannot be calculated"


def test_leave_one_out_outlier_rule():
    """A steep series whose last point alone carries the slope: chi2 is large but dropping that point
    reverses the sign, so the trend is No significant change and the reason names the point."""
    values = [20.0, 19.8, 19.6, 19.4, 40.0]
    points = [TrendPoint(f"{2015 + i}", v, v - 0.3, v + 0.3, "calendar_year") for i, v in enumerate(values)]
    result = recent_trend(points, H)
    assert result.chi2 > 9.54953570608324
    assert result.label == "No significant change"
    assert result.reason == "leave-one-out slope changes sign without 2019"


def test_chi2_threshold_is_strict_at_p_0002():
    """chi2 just under 9.5495 is not significant (a 0.95 or 0.999 threshold would say otherwise)."""
    # Equal weights w, t = 1..5: b = slope, Var(b) = 1 / (10 w), so chi2 = 10 w b^2.
    w_half = 3.92 / 2  # SE = 1 -> w = 1
    for slope, expected in ((0.9772, "No significant change"), (0.9773, "Increasing and getting better")):
        points = [TrendPoint(f"{2015 + i}", slope * i, slope * i - w_half, slope * i + w_half, "calendar_year")
                  for i in range(5)]
        assert recent_trend(points, H).label == expected


def test_trend_check():
    assert trend_check("Decreasing", "Decreasing") == "agrees"
    assert trend_check("Decreasing", "No significant change") == "disagrees"
    assert trend_check("Cannot be calculated", "Decreasing") == "insufficient history"
    assert trend_check("Decreasing", "Could not be calculated") == "insufficient history"
    assert trend_check("Decreasing", None) == "not published"
    assert trend_check("Decreasing", "") == "not published"


# --- confidence intervals (section 6) -------------------------------------------------------------------

def test_wilson_against_the_centre_and_half_width_form():
    """Wilson written independently as (p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)."""
    z = 1.959964
    for x, n in ((65, 100), (1, 250), (0, 40), (40, 40), (1367, 44701)):
        p = x / n
        centre, half = p + z * z / (2 * n), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        expected = ((centre - half) / (1 + z * z / n) * 100, (centre + half) / (1 + z * z / n) * 100)
        assert wilson(x, n) == pytest.approx(expected, abs=1e-9)


def test_exact_limits_below_ten_events_are_scipy_stats_chi_square_quantiles_bit_for_bit():
    """The exact limits are computed with scipy.special (indicators.methods.confidence); they equal what
    scipy.stats' normal tail and chi2.ppf give, at both confidence levels."""
    counts = np.arange(10.0)
    for z in (Z95, Z998):
        alpha = 2 * stats.norm.sf(z)
        lower, upper = byar_count(counts, z)
        expected_lower = np.where(counts > 0, stats.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0)
        assert np.array_equal(lower, expected_lower)
        assert np.array_equal(upper, stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2)


def test_byar_against_exact_poisson_limits():
    """Exact chi-square limits below 10 events (x = 5: 1.6235 to 11.6683, the published table value);
    Byar's approximation above, within 0.01 of the exact limits at 40 events."""
    assert byar_count(5) == pytest.approx((1.623486, 11.668332), abs=1e-5)
    assert byar_count(0) == pytest.approx((0.0, 3.688879), abs=1e-5)
    exact_40 = (stats.chi2.ppf(0.025, 80) / 2, stats.chi2.ppf(0.975, 82) / 2)
    assert byar_count(40) == pytest.approx(exact_40, abs=0.01)
    assert byar_count(40) != pytest.approx(exact_40, abs=1e-4)  # the approximation, not the exact formula
    lower, upper = byar_rate(np.array([5.0, 40.0]), np.array([1000.0, 2000.0]), multiplier=1000)
    assert lower == pytest.approx([byar_count(5)[0], byar_count(40)[0] / 2], rel=1e-12)
    assert upper == pytest.approx([byar_count(5)[1], byar_count(40)[1] / 2], rel=1e-12)


# --- quartiles (section 2) ------------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "sizes"), [(21, [6, 5, 5, 5]), (24, [6, 6, 6, 6]), (25, [7, 6, 6, 6]),
                                          (26, [7, 6, 7, 6]), (27, [7, 7, 7, 6])])
def test_quartile_bucket_sizes(n, sizes):
    quartiles = [quartile_from_rank(rank, n) for rank in range(1, n + 1)]
    assert [quartiles.count(q) for q in (1, 2, 3, 4)] == sizes
    positions = phe_quantile([float(v) for v in range(n)], H)  # distinct values, highest best
    assert [sum(1 for p in positions if p.quartile == q) for q in (1, 2, 3, 4)] == sizes


@pytest.mark.parametrize("n", [21, 24, 25, 26, 27])
def test_quartile_table_with_ties_and_missing(n):
    """n non-null values plus two missing; the 2nd and 3rd best tie (both rank 2); the 6th and 7th best tie."""
    values: list[float | None] = [100.0 - i for i in range(n)]
    values[2] = values[1]
    values[6] = values[5]
    values += [None, None]
    positions = phe_quantile(values, H)
    assert positions[-2:] == [None, None]
    ranks = [p.rank for p in positions[:-2]]
    assert ranks[:8] == [1, 2, 2, 4, 5, 6, 6, 8]
    assert all(p.n == n for p in positions[:-2])
    # the 7th of n: quartile 1 when 7 <= bucket size of quartile 1 (25, 26 and 27), else 2
    assert positions[7].quartile == quartile_from_rank(8, n)
    assert positions[5].quartile == positions[6].quartile == (1 if n >= 21 else 2)


def test_real_plan_statement_rank_7_of_26_is_best_quartile():
    assert quartile_from_rank(7, 26) == 1
    assert quartile_from_rank(8, 26) == 2
    assert quartile_from_rank(6, 21) == 1 and quartile_from_rank(7, 21) == 2


def test_phe_quantile_ties_missing_and_polarity():
    values = [10.0, 20.0, 20.0, None, 5.0, 1.0]
    high = phe_quantile(values, H)
    assert high[3] is None
    assert [p.rank for p in high if p] == [3, 1, 1, 4, 5]
    low = phe_quantile(values, L)
    assert [p.rank for p in low if p] == [3, 4, 4, 2, 1]
    assert [p.rank for p in phe_quantile(values, N) if p] == [3, 1, 1, 4, 5]
    assert phe_quantile([1.0, 2.0, 3.0, None], H) == [None, None, None, None]
    assert high[1].label(H) == "Best 25%" and high[1].label(N) == "Highest 25%"
    assert high[5].label(L) == "Worst 25%" and high[5].label(N) == "Lowest 25%"


def test_comparator_summary_is_type_7_and_position_against_median():
    summary = comparator_summary([1.0, 2.0, 3.0, 4.0, None, 10.0])
    # Excel QUARTILE.INC({1,2,3,4,10}, 1) = 2, median 3, Q3 = 4
    assert (summary.n, summary.minimum, summary.q1, summary.median, summary.q3, summary.maximum) == (
        5, 1.0, 2.0, 3.0, 4.0, 10.0)
    assert summary.mean == pytest.approx(4.0)
    assert comparator_summary([1.0, 2.0, 3.0, 4.0]).q1 == pytest.approx(1.75)
    assert position_against_median(5.0, 3.0, H) == "Better than comparator median"
    assert position_against_median(5.0, 3.0, L) == "Worse than comparator median"
    assert position_against_median(1.0, 3.0, N) == "Below comparator median"
    assert position_against_median(3.0, 3.0, L) == "Same as comparator median"


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]


# --- direction of travel (section 4) --------------------------------------------------------------------

def _fy(year: int, value: float | None, lower: float | None = None, upper: float | None = None) -> Reading:
    p = financial_year(year)
    return Reading(p.label, p.start, p.end, p.type.value, value, lower, upper)


def test_direction_at_published_precision_and_significance():
    series = [_fy(2021, 10.04, 9.0, 11.0), _fy(2022, 10.01, 9.1, 10.9)]
    assert series_direction(series, H, 1).change.label == "No change"  # 10.0 and 10.0 at 1 dp
    assert series_direction(series, H, 2).change.label == "Worsening"
    assert series_direction(series, L, 2).change.label == "Improving"
    assert series_direction(series, N, 2).change.label == "Decreasing"
    assert series_direction(series, H, 2).change.significance == "not significant"
    apart = [_fy(2021, 10.0, 9.0, 11.0), _fy(2022, 12.5, 11.5, 13.5)]
    assert series_direction(apart, H, 1).change.significance == "significant"
    no_ci = [_fy(2021, 10.0), _fy(2022, 12.5)]
    assert series_direction(no_ci, H, 1).change.significance == "not tested: no confidence intervals"


def test_direction_skips_missing_previous_and_respects_breaks_and_group_changes():
    series = [_fy(2019, 8.0), _fy(2020, None), _fy(2021, 9.0)]
    result = series_direction(series, H, 1)
    assert (result.previous.period, result.change.label) == ("2019/20", "Improving")
    broken = series_direction(series, H, 1, break_starts=[date(2021, 4, 1)])
    assert (broken.change.label, broken.change.significance) == ("Not comparable", None)
    left_group = series_direction(series, H, 1, member_on=lambda day: day < date(2021, 4, 1))
    assert left_group.change.label == "Not comparable"


def test_quarterly_direction_year_on_year():
    def q(year, quarter, value):
        p = fiscal_quarter(year, quarter)
        return Reading(p.label, p.start, p.end, "quarter", value)

    series = [q(2023, 2, 80.0), q(2023, 3, 79.0), q(2024, 1, 85.0), q(2024, 2, 82.0)]
    result = series_direction(series, H, 1)
    assert (result.previous.period, result.change.label) == ("2024/25 Q1", "Worsening")
    assert (result.year_ago.period, result.year_on_year.label) == ("2023/24 Q2", "Improving")
    annual = series_direction([_fy(2021, 1.0), _fy(2022, 2.0)], H, 1)
    assert annual.year_ago is None and annual.year_on_year is None


def test_round_half_away_from_zero_like_duckdb():
    assert round_half_away(2.5, 0) == 3.0 and round_half_away(-2.5, 0) == -3.0
    assert round_half_away(0.125, 2) == 0.13 and round_half_away(1.005, 2) == 1.0  # 1.005 is 1.00499999...


# --- England comparison (section 5) ---------------------------------------------------------------------

def test_england_comparison_one_and_two_level():
    assert compare_with_benchmark(12.0, 10.0, 14.0, 9.0, H) == "Better"
    assert compare_with_benchmark(12.0, 10.0, 14.0, 9.0, L) == "Worse"
    assert compare_with_benchmark(12.0, 10.0, 14.0, 9.0, N) == "Higher"
    assert compare_with_benchmark(12.0, 10.0, 14.0, 10.0, H) == "Similar"  # on the limit: inside
    assert compare_with_benchmark(12.0, 10.0, 14.0, 15.0, H) == "Worse"
    assert compare_with_benchmark(12.0, None, None, 15.0, H) == "Not compared"
    assert compare_with_benchmark(12.0, 10.0, 14.0, None, H) == "Not compared"
    assert compare_two_level(12.0, 10.0, 14.0, 9.5, 14.5, 9.0, H) == "Best"
    assert compare_two_level(12.0, 10.0, 14.0, 8.5, 15.5, 9.0, H) == "Better"
    assert compare_two_level(12.0, 10.0, 14.0, 8.5, 15.5, 16.0, L) == "Best"
    assert compare_two_level(12.0, 10.0, 14.0, 9.5, 14.5, 15.0, N) == "Lower (99.8%)"
    assert compare_two_level(12.0, 10.0, 14.0, None, None, 9.0, H) == "Not compared"


# --- targets and freshness (section 7) ------------------------------------------------------------------

def _start(label: str) -> date:
    return parse_period(label).start


def test_council_emissions_trajectory():
    """Baseline 2016/17 = 1.0 of the observed value, 0.36 by 2024/25, 0 by 2029/30."""
    rule = TargetRule("trajectory", "at_most", 0, points=(
        TargetPoint(_start("2016/17"), 1.0), TargetPoint(_start("2024/25"), 0.36), TargetPoint(_start("2029/30"), 0.0)),
        baseline_relative=True, tolerance_abs=500)
    baseline = 40000.0
    assert rule.target_at(_start("2020/21"), baseline, None)[0] == pytest.approx(40000 * (1 - 0.64 / 2))
    assert rule.target_at(_start("2024/25"), baseline, None)[0] == pytest.approx(14400.0)
    assert rule.target_at(_start("2031/32"), baseline, None)[0] == 0.0
    assert rule.target_at(_start("2015/16"), baseline, None) == (None, "period before the target's baseline or start")
    assert rule.target_at(_start("2020/21"), None, None) == (None, "no observed value at the baseline period")
    assert rule.status(14400.0, _start("2024/25"), baseline).status == "Green"
    assert rule.status(14900.0, _start("2024/25"), baseline).status == "Amber"
    assert rule.status(14901.0, _start("2024/25"), baseline).status == "Red"
    assert rule.status(None, _start("2024/25"), baseline).reason == "no value for this period"


def test_cumulative_dwellings_trajectory_and_value_targets():
    points = (TargetPoint(_start("2011/12"), 0.0), TargetPoint(_start("2030/31"), 96580.0),
              TargetPoint(_start("2049/50"), 187096.0))
    assert trajectory_value(points, _start("2020/21")) == pytest.approx(96580 * 9 / 19)
    assert trajectory_value(points, _start("2040/41")) == pytest.approx(96580 + (187096 - 96580) * 10 / 19)
    at_least = TargetRule("trajectory", "at_least", 0, points=points)
    on_track = 96580 * 9 / 19
    assert at_least.status(on_track + 1, _start("2020/21")).status == "Green"
    assert at_least.status(on_track * 0.96, _start("2020/21")).status == "Amber"  # 5% tolerance
    assert at_least.status(on_track * 0.94, _start("2020/21")).status == "Red"
    fixed = TargetRule("value", "at_least", 1, value=80.0, value_start=_start("2023/24"))
    assert fixed.status(79.96, _start("2023/24")).status == "Green"  # 80.0 at one decimal
    assert fixed.status(76.0, _start("2024/25")).status == "Amber"
    assert fixed.status(75.9, _start("2024/25")).status == "Red"
    assert fixed.status(90.0, _start("2022/23")).status is None


def test_national_average_target():
    rule = TargetRule("national_average", "at_most", 1)
    assert rule.status(5.2, _start("2023/24"), england=5.5).status == "Green"
    assert rule.status(5.7, _start("2023/24"), england=5.5).status == "Amber"  # within 5% of 5.5
    assert rule.status(5.8, _start("2023/24"), england=5.5).status == "Red"
    assert rule.status(5.8, _start("2023/24"), england=None).reason == "no England value for this period"


@pytest.mark.parametrize(("kind", "lag", "run", "expected"), [
    ("financial_year", 6, date(2024, 10, 1), "2023/24"),
    ("financial_year", 6, date(2024, 9, 30), "2022/23"),
    ("academic_year", 4, date(2025, 1, 1), "2023/24"),
    ("academic_year", 3, date(2024, 12, 15), "2023/24"),
    ("calendar_year", 15, date(2025, 4, 1), "2023"),
    ("multi_year", 15, date(2025, 4, 1), "2021-23"),
    ("fiscal_quarter", 2, date(2024, 9, 1), "2024/25 Q1"),
    ("fiscal_quarter", 2, date(2024, 8, 31), "2023/24 Q4"),
    ("calendar_quarter", 0, date(2024, 1, 1), "2023 Q4"),
    ("month", 1, date(2024, 3, 1), "2024-01"),
])
def test_expected_period(kind, lag, run, expected):
    assert expected_period(kind, lag, run).label == expected


def test_period_kind_and_overdue():
    assert period_kind("annual", None) == "financial_year"
    assert period_kind("annual", "academic") == "academic_year"
    assert period_kind("annual", None, "calendar_year") == "calendar_year"
    assert period_kind("quarterly", None) == "fiscal_quarter"
    assert period_kind("quarterly", None, "quarter", "2024 Q1") == "calendar_quarter"
    expected = expected_period("financial_year", 6, date(2024, 10, 1))
    assert is_overdue(financial_year(2022).end, expected)
    assert not is_overdue(financial_year(2023).end, expected)
    assert is_overdue(None, expected)


# --- derived values: aggregate areas and running totals ---------------------------------------------------

def test_aggregate_values_by_value_type():
    parts = [Component(1200.0, 30, 1000), Component(3100.0, 10, 3000)]
    assert aggregate_value("count", parts, 2) == 4300.0
    assert aggregate_value("proportion", parts, 2, multiplier=100) == pytest.approx(1.0)  # 40 of 4000
    assert aggregate_value("dsr", parts, 2) is None  # cannot be summed from published rates
    assert aggregate_value("count", parts[:1], 2) is None  # a component lacks the period
    assert aggregate_value("count", [Component(None), Component(5.0)], 2) is None


def test_running_totals_stop_at_a_gap():
    years = [financial_year(2010 + i).start for i in range(6)]
    series = [(years[0], 9.0), (years[1], 1.0), (years[2], 2.0), (years[3], None), (years[4], 4.0), (years[5], 5.0)]
    assert running_totals(series, years[1]) == [(years[1], 1.0), (years[2], 3.0), (years[3], None), (years[4], None),
                                                (years[5], None)]
    missing_year = [(years[1], 1.0), (years[3], 2.0)]
    assert running_totals(missing_year, years[1]) == [(years[1], 1.0), (years[3], None)]
