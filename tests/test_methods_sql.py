"""The set-based SQL of every method against the Python reference (indicators.methods), on hand-made and
random (hypothesis) data: quartiles, recent trends, direction of travel, England comparison, derived
confidence limits, aggregate areas and running totals, targets and freshness."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.areas import ComparatorGroups, Membership
from indicators.catalogue import Polarity
from indicators.methods.benchmark import compare_two_level, compare_with_benchmark
from indicators.methods.confidence import Z998, byar_count, byar_rate, wilson
from indicators.methods.derived import Component, aggregate_value, running_totals
from indicators.methods.direction import Reading, series_direction
from indicators.methods.freshness import expected_period, is_overdue, period_kind
from indicators.methods.quartiles import (
    comparator_summary,
    phe_quantile,
    position_against_median,
    quartile_from_rank,
)
from indicators.methods.targets import TargetPoint, TargetRule
from indicators.methods.trend import TrendPoint, _fit, recent_trend  # _fit: leave-one-out slopes, to spot float ties
from indicators.periods import financial_year, fiscal_quarter, parse_period
from tests.methods_warehouse import (
    indicator,
    insert_observations,
    method_catalogue,
    observation_frame,
    open_warehouse,
    run_methods,
    table,
)
from warehouse.compute import compute_step

HOME = "E10000018"
ENGLAND = "E92000001"
POLARITIES = {"m_high": Polarity.HIGH_IS_GOOD, "m_low": Polarity.LOW_IS_GOOD, "m_none": Polarity.NO_JUDGEMENT}
SLOW_OK = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def base_entries():
    return [indicator("m_high"), indicator("m_low", "low_is_good"), indicator("m_none", "no_judgement")]


@pytest.fixture
def warehouse_for(catalogue, areas, groups, settings):
    """One warehouse per catalogue within a test, reused across hypothesis examples (each reloads)."""
    opened: dict[tuple, object] = {}

    def get(entries):
        key = tuple(repr(e) for e in entries)
        if key not in opened:
            opened[key] = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
        con = opened[key]
        con.execute("DELETE FROM core.observation")
        return con

    yield get
    for con in opened.values():
        con.close()


@pytest.fixture
def warehouse(catalogue, areas, groups, settings, base_entries):
    con = open_warehouse(method_catalogue(catalogue, base_entries), areas, groups, settings)
    yield con
    con.close()


def none(x):
    """SQL NULL as pandas shows it (None, NaN or NA) -> None."""
    return None if x is None or pd.isna(x) else x


def _reload(con, rows, run_date=None):
    con.execute("DELETE FROM core.observation")
    insert_observations(con, observation_frame(rows))
    run_methods(con, run_date)


# --- quartiles ------------------------------------------------------------------------------------------

values_21 = st.lists(st.one_of(st.none(), st.integers(0, 40).map(lambda v: v / 4)), min_size=21, max_size=21)


@SLOW_OK
@given(values=values_21, shift=st.integers(-50, 50))
def test_quartiles_sql_equal_reference_and_ignore_a_constant_shift(warehouse, groups, values, shift):
    """21 county councils in 2023/24 (ties and missing values drawn at random), all three polarities."""
    counties = groups.members("county_councils", date(2024, 3, 31))
    rows = [{"indicator_id": ind, "area_code": code, "period": period,
             "value": None if v is None else v + (shift if period == "2024/25" else 0)}
            for ind in POLARITIES for period in ("2023/24", "2024/25")
            for code, v in zip(counties, values, strict=True)]
    _reload(warehouse, rows)
    got = table(warehouse, "SELECT * FROM quartile_positions WHERE group_id = 'county_councils'")
    for ind, polarity in POLARITIES.items():
        expected = dict(zip(counties, phe_quantile(values, polarity), strict=True))
        summary = comparator_summary(values)
        for period in ("2023/24", "2024/25"):
            part = got[(got.indicator_id == ind) & (got.period == period)].set_index("area_code")
            assert set(part.index) == {c for c, v in zip(counties, values, strict=True) if v is not None}
            for code, row in part.iterrows():
                want = expected[code]
                if want is None:  # fewer than 4 values
                    assert pd.isna(row.quartile)
                    assert row.quartile_label == "Not ranked: fewer than 4 comparators"
                    continue
                assert (row["rank"], row.n_comparators, row.quartile) == (want.rank, want.n, want.quartile)
                assert row.quartile_label == want.label(polarity)
                add = shift if period == "2024/25" else 0
                assert row.comparator_median == pytest.approx(summary.median + add)
                assert row.comparator_q1 == pytest.approx(summary.q1 + add)
                assert row.comparator_q3 == pytest.approx(summary.q3 + add)
                assert row.comparator_mean == pytest.approx(summary.mean + add)
                assert row.position_against_median == position_against_median(
                    values[counties.index(code)], summary.median, polarity)
    ranks = got.set_index(["indicator_id", "area_code", "period"])["rank"]
    for (ind, code, period), rank in ranks.items():  # adding a constant changes no rank
        assert ranks[(ind, code, "2024/25" if period == "2023/24" else "2023/24")] == rank


@SLOW_OK
@given(values=st.lists(st.integers(0, 30).map(float), min_size=4, max_size=21))
def test_reversing_polarity_reverses_rank_order(warehouse, groups, values):
    counties = groups.members("county_councils", date(2024, 3, 31))[:len(values)]
    if HOME not in counties:
        counties[-1] = HOME
    rows = [{"indicator_id": ind, "area_code": c, "period": "2023/24", "value": v}
            for ind in ("m_high", "m_low") for c, v in zip(counties, values, strict=True)]
    _reload(warehouse, rows)
    got = table(warehouse, "SELECT indicator_id, area_code, rank FROM quartile_positions WHERE is_indicator_group"
                ).pivot(
        index="area_code", columns="indicator_id", values="rank")
    n = len(values)
    for code in counties:  # with ties = min, high-rank r of a tie group of size k becomes n + 2 - r - k
        k = values.count(values[counties.index(code)])
        assert got.loc[code, "m_low"] == n + 2 - got.loc[code, "m_high"] - k


def test_membership_by_period_and_home_always_ranked(catalogue, areas, groups, settings):
    """27 county councils up to 2018/19, 26 in 2019/20, 25 in 2020/21, 24 in 2021/22, 21 from 2023/24,
    from one file that carries every code in every year; the home area counts when the list omits it."""
    entries = [indicator("m_high")]
    everyone = sorted({m.area_code for m in groups.memberships})
    rows = [{"indicator_id": "m_high", "area_code": code, "period": period, "value": float(i)}
            for period in ("2018/19", "2019/20", "2020/21", "2021/22", "2023/24")
            for i, code in enumerate(everyone)]
    con = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
    insert_observations(con, observation_frame(rows))
    run_methods(con)
    n = dict(con.execute("SELECT period, max(n_comparators) FROM quartile_positions WHERE group_id = "
                         "'county_councils' GROUP BY period").fetchall())
    assert n == {"2018/19": 27, "2019/20": 26, "2020/21": 25, "2021/22": 24, "2023/24": 21}
    con.execute("DELETE FROM ref.comparator_group WHERE area_code = ?", [HOME])
    run_methods(con)
    home = con.execute("SELECT n_comparators, listed_in_group FROM quartile_positions WHERE area_code = ? "
                       "AND period = '2023/24' AND group_id = 'county_councils'", [HOME]).fetchall()
    assert home == [(21, False)]
    con.close()


def test_ranked_in_the_groups_the_catalogue_and_settings_name(catalogue, areas, groups, settings):
    """Every compared indicator is ranked in each group a catalogue indicator names and in the settings'
    default group, and in no other (a region: nobody reads it, and at national scale each such group adds a
    row per observation). The ranks within a group do not depend on which other groups are ranked."""
    entries = [indicator("m_high", comparator_group="all_upper_tier"), indicator("m_low", "low_is_good")]
    everyone = sorted({m.area_code for m in groups.memberships})
    rows = [{"indicator_id": ind, "area_code": code, "period": "2023/24", "value": float(i)}
            for ind in ("m_high", "m_low") for i, code in enumerate(everyone)]
    con = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
    insert_observations(con, observation_frame(rows))
    run_methods(con)
    ranked = set(con.execute("SELECT DISTINCT indicator_id, group_id FROM quartile_positions").fetchall())
    assert settings.comparator_group == "county_councils"
    assert ranked == {(i, g) for i in ("m_high", "m_low") for g in ("all_upper_tier", "county_councils")}
    upper_tier = groups.members("all_upper_tier", date(2024, 3, 31))
    n = con.execute("SELECT DISTINCT n_comparators FROM quartile_positions WHERE group_id = 'all_upper_tier'"
                    ).fetchall()
    assert n == [(len(set(upper_tier) & set(everyone)),)]
    con.close()


@SLOW_OK
@given(sizes=st.lists(st.integers(1, 120), min_size=1, max_size=12, unique=True))
def test_quartile_bucket_sizes_follow_the_rule_for_every_n(catalogue, areas, settings, sizes):
    """For any n >= 4 the SQL's buckets are what phe_quantile's formula gives, and each holds floor(n/4) or
    ceil(n/4) areas (distinct values); below 4 comparators nothing is ranked."""
    codes = [f"X{i:07d}" for i in range(max(sizes))]
    group = ComparatorGroups(Membership("big", "Big group", c, None, None) for c in codes)
    entries = [indicator("m_high", comparator_group="big")]
    con = open_warehouse(method_catalogue(catalogue, entries), areas, group, settings)
    rows = [{"indicator_id": "m_high", "area_code": c, "period": str(2000 + i), "value": float(j)}
            for i, n in enumerate(sizes) for j, c in enumerate(codes[:n])]
    insert_observations(con, observation_frame(rows))
    compute_step(con, "observations")
    compute_step(con, "quartile_positions")
    got = table(con, "SELECT period, quartile, count(*) AS k FROM quartile_positions GROUP BY ALL")
    for i, n in enumerate(sizes):
        part = got[got.period == str(2000 + i)]
        if n < 4:
            assert part.quartile.isna().all()
            continue
        counts = dict(zip(part.quartile, part.k, strict=True))
        expected = [quartile_from_rank(r, n) for r in range(1, n + 1)]
        assert [counts.get(q, 0) for q in (1, 2, 3, 4)] == [expected.count(q) for q in (1, 2, 3, 4)]
        assert all(n // 4 <= counts[q] <= -(-n // 4) for q in (1, 2, 3, 4))
    con.close()


# --- recent trend ---------------------------------------------------------------------------------------

point = st.one_of(
    st.none(),  # suppressed
    st.tuples(st.integers(100, 9000).map(lambda v: v / 100), st.integers(20, 600).map(lambda v: v / 100),
              st.integers(20, 600).map(lambda v: v / 100)),
)
series_strategy = st.lists(st.lists(point, min_size=0, max_size=9), min_size=1, max_size=30)


def _loo_slopes(p: list[TrendPoint]) -> list[float]:
    fitted = [(float(t), q.value, (3.92 / (q.upper - q.lower)) ** 2) for t, q in enumerate(p, start=1)]
    return [_fit([x for i, x in enumerate(fitted) if i != drop])[0] for drop in range(5)]


@SLOW_OK
@given(all_series=series_strategy, shift=st.integers(-20, 20))
def test_trend_sql_equals_reference_and_ignores_a_constant_shift(warehouse, groups, all_series, shift):
    counties = groups.members("county_councils", date(2019, 3, 31))
    keys = [(ind, code, sex) for ind in POLARITIES for sex in ("Persons", "Female") for code in counties]
    rows, expected = [], {}
    for (ind, code, sex), series in zip(keys, all_series, strict=False):
        points = []
        for i, p in enumerate(series):
            period = financial_year(2012 + i).label
            row = {"indicator_id": ind, "area_code": code, "sex": sex, "period": period, "value": None,
                   "lower_ci95": None, "upper_ci95": None}
            if p is not None:
                value, below, above = p
                row.update(value=value + shift, lower_ci95=value + shift - below, upper_ci95=value + shift + above)
            rows.append(row)
            points.append(TrendPoint(period, row["value"], row["lower_ci95"], row["upper_ci95"]))
        unshifted = [TrendPoint(q.period, *(None if x is None else x - shift for x in (q.value, q.lower, q.upper)))
                     for q in points]
        expected[(ind, code, sex)] = (points, recent_trend(points, POLARITIES[ind]),
                                      recent_trend(unshifted, POLARITIES[ind]))
    if not rows:
        return
    _reload(warehouse, rows)
    got = table(warehouse, "SELECT * FROM trends").set_index(["indicator_id", "area_code", "sex"])
    compared = 0
    for key, (points, want, want_unshifted) in expected.items():
        if not points:
            continue
        row = got.loc[key]
        if want.slope is not None:
            assert row.trend_slope == pytest.approx(want.slope, rel=1e-7, abs=1e-9)
            assert row.trend_chi2 == pytest.approx(want.chi2, rel=1e-7, abs=1e-9)
            assert list(row.trend_periods) == list(want.periods)
            loo = _loo_slopes([q for q in points if q.valid][-5:])
            near_tie = abs(want.chi2 - 9.54953570608324) < 1e-6 or min(abs(x) for x in loo) < 1e-9 * (
                abs(want.slope) + 1) or abs(want.slope) < 1e-9
            if near_tie:  # a float tie at the threshold or a zero slope: either side is right
                continue
        assert (row.recent_trend, row.trend_direction, none(row.trend_reason)) == (want.label, want.direction,
                                                                                   want.reason)
        assert want.label == want_unshifted.label  # adding a constant changes no trend label
        compared += 1
    assert compared or not any(p for p, *_ in expected.values())


def test_trend_of_the_methods_vector_in_sql_and_published_trend_check(warehouse):
    values = [30.6, 30.2, 28, 24.6, 24.67]
    lower = [28.98, 28.63, 26.44, 23.15, 23.16]
    upper = [32.25, 31.9, 29.64, 26.19, 26.25]
    published = {"m_high": "Decreasing and getting worse", "m_low": "No significant change", "m_none": None}
    rows = [{"indicator_id": ind, "area_code": HOME, "period": financial_year(2019 + i).label, "value": v,
             "lower_ci95": lo, "upper_ci95": up,
             "published_trend": published[ind] if i == 4 else "Increasing"}  # only the latest row's counts
            for ind in POLARITIES for i, (v, lo, up) in enumerate(zip(values, lower, upper, strict=True))]
    _reload(warehouse, rows)
    got = table(warehouse, "SELECT * FROM trends ORDER BY indicator_id").set_index("indicator_id")
    assert got.loc["m_low", "trend_slope"] == pytest.approx(-1.751566, abs=1e-6)
    assert got.loc["m_low", "trend_chi2"] == pytest.approx(46.76532, abs=1e-5)
    assert dict(got.recent_trend) == {"m_high": "Decreasing and getting worse",
                                      "m_low": "Decreasing and getting better", "m_none": "Decreasing"}
    assert dict(got.trend_check) == {"m_high": "agrees", "m_low": "disagrees", "m_none": "not published"}
    assert dict(got.trend_disagrees) == {"m_high": False, "m_low": True, "m_none": False}


def test_trend_from_counts_uses_wilson_limits(warehouse):
    """A source that gives counts and denominators but no limits: Wilson first, then the regression."""
    counts = [1367, 1332, 1199, 1023, 994]
    denominators = [44701, 44064, 42811, 41527, 40299]
    rows = [{"indicator_id": "m_low", "area_code": HOME, "period": financial_year(2019 + i).label,
             "value": c / n * 100, "count": c, "denominator": n}
            for i, (c, n) in enumerate(zip(counts, denominators, strict=True))]
    _reload(warehouse, rows)
    assert table(warehouse, "SELECT trend_chi2 FROM trends").trend_chi2[0] == pytest.approx(48.6072, abs=1e-4)
    derived = table(warehouse, "SELECT * FROM mart.observation_current ORDER BY period")
    assert set(derived.ci_method) == {"wilson"}
    for row, c, n in zip(derived.itertuples(), counts, denominators, strict=True):
        assert (row.lower_ci95, row.upper_ci95) == pytest.approx(wilson(c, n), rel=1e-12)
        assert (row.lower_ci998, row.upper_ci998) == pytest.approx(wilson(c, n, z=Z998), rel=1e-12)


def test_byar_limits_for_crude_rates_and_counts(catalogue, areas, groups, settings):
    entries = [indicator("m_rate", value_type="crude_rate", multiplier=1000, unit="per 1,000"),
               indicator("m_count", value_type="count", multiplier=1, unit="people", decimals=0)]
    con = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
    rows = [{"indicator_id": "m_rate", "area_code": HOME, "period": "2022/23", "value": 2.5, "count": 5,
             "denominator": 2000},
            {"indicator_id": "m_rate", "area_code": HOME, "period": "2023/24", "value": 20.0, "count": 40,
             "denominator": 2000, "lower_ci95": 14.0, "upper_ci95": 27.0},
            {"indicator_id": "m_count", "area_code": HOME, "period": "2023/24", "value": 40, "count": 40}]
    insert_observations(con, observation_frame(rows))
    compute_step(con, "observations")
    got = table(con, "SELECT * FROM mart.observation_current ORDER BY indicator_id, period")
    assert list(got.ci_method) == ["byar", "byar", "published"]
    assert (got.lower_ci95[0], got.upper_ci95[0]) == pytest.approx(byar_count(40), rel=1e-12)
    assert (got.lower_ci95[1], got.upper_ci95[1]) == pytest.approx(byar_rate(5, 2000, multiplier=1000), rel=1e-12)
    assert (got.lower_ci95[2], got.upper_ci95[2]) == (14.0, 27.0)  # published limits are kept
    assert (got.lower_ci998[2], got.upper_ci998[2]) == pytest.approx(byar_rate(40, 2000, z=Z998, multiplier=1000))
    con.close()


def test_pooled_and_quarterly_series_are_not_tested(catalogue, areas, groups, settings):
    entries = [indicator("m_pooled", frequency="multi_year", period_convention="pooled"),
               indicator("m_quarterly", frequency="quarterly")]
    con = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
    rows = [{"indicator_id": "m_pooled", "area_code": HOME, "period": f"{2010 + i} - {(12 + i) % 100:02d}",
             "value": 60.0 + i, "lower_ci95": 59.0 + i, "upper_ci95": 61.0 + i} for i in range(6)]
    rows += [{"indicator_id": "m_quarterly", "area_code": HOME, "value": 60.0 + i, "lower_ci95": 59.5 + i,
              "upper_ci95": 60.5 + i, "period": fiscal_quarter(2022 + i // 4, i % 4 + 1).label} for i in range(8)]
    insert_observations(con, observation_frame(rows))
    run_methods(con)
    got = table(con, "SELECT recent_trend, trend_reason FROM trends")
    assert set(got.recent_trend) == {"Cannot be calculated"}
    assert set(got.trend_reason) == {"recent trends are tested on annual, non-overlapping periods only"}
    con.close()


# --- direction of travel ------------------------------------------------------------------------------------

reading = st.one_of(st.none(), st.tuples(st.integers(0, 400).map(lambda v: v / 40), st.booleans()))


@SLOW_OK
@given(annual=st.lists(st.lists(reading, max_size=6), min_size=1, max_size=12),
       quarterly=st.lists(st.lists(reading, max_size=9), min_size=1, max_size=12))
def test_direction_sql_equals_reference(warehouse_for, groups, annual, quarterly):
    """Annual series across a break note and across Northamptonshire leaving the group (2021), quarterly
    series with year-on-year comparisons; decimals 1, values on a 0.025 grid so rounding ties occur."""
    entries = [indicator("m_high", break_notes=[{"period": "2018/19", "note": "definition changed"}]),
               indicator("m_low", "low_is_good"), indicator("m_quarterly", "no_judgement", frequency="quarterly")]
    con = warehouse_for(entries)
    everyone = sorted({m.area_code for m in groups.memberships})
    rows, expected = [], {}
    plan = [(ind, code, s, [financial_year(2016 + i) for i in range(6)])
            for ind in ("m_high", "m_low") for code, s in zip(everyone, annual, strict=False)]
    plan += [("m_quarterly", code, s, [fiscal_quarter(2022 + i // 4, i % 4 + 1) for i in range(9)])
             for code, s in zip(everyone, quarterly, strict=False)]
    members = {m.area_code: m for m in groups.memberships}
    for ind, code, series, periods in plan:
        readings = []
        for period, r in zip(periods, series, strict=False):
            value, with_ci = (None, False) if r is None else r
            ci = {"lower_ci95": value - 0.3, "upper_ci95": value + 0.3} if with_ci and value is not None else {}
            rows.append({"indicator_id": ind, "area_code": code, "period": period.label, "value": value, **ci})
            readings.append(Reading(period.label, period.start, period.end, period.type.value, value,
                                    ci.get("lower_ci95"), ci.get("upper_ci95")))
        polarity = Polarity(next(e for e in entries if e["id"] == ind)["polarity"])
        breaks = [financial_year(2018).start] if ind == "m_high" else []
        expected[(ind, code)] = series_direction(readings, polarity, 1, breaks, members[code].valid_on)
    insert_observations(con, observation_frame(rows))
    compute_step(con, "observations")
    compute_step(con, "trends")
    got = table(con, "SELECT * FROM trends").set_index(["indicator_id", "area_code"])

    for key, want in expected.items():
        if want.latest is None:
            continue
        row = got.loc[key]
        assert row.latest_valued_period == want.latest.period
        assert none(row.previous_period) == (want.previous.period if want.previous else None)
        assert none(row.direction_of_travel) == (want.change.label if want.change else None)
        assert none(row.direction_significance) == (want.change.significance if want.change else None)
        assert none(row.year_ago_period) == (want.year_ago.period if want.year_ago else None)
        assert none(row.direction_year_on_year) == (want.year_on_year.label if want.year_on_year else None)
        assert none(row.year_on_year_significance) == (want.year_on_year.significance if want.year_on_year else None)


# --- England comparison -------------------------------------------------------------------------------------

@SLOW_OK
@given(cases=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 40), st.integers(0, 40), st.integers(0, 30),
                                st.integers(0, 200), st.booleans()), min_size=1, max_size=27))
def test_benchmark_sql_equals_reference(warehouse, groups, cases):
    everyone = sorted({m.area_code for m in groups.memberships})
    rows, expected = [], {}
    for ind, polarity in POLARITIES.items():
        england = float(cases[0][4])
        rows.append({"indicator_id": ind, "area_code": ENGLAND, "period": "2018/19", "value": england})
        for code, (v, below, above, extra, _, with_ci) in zip(everyone, cases, strict=False):
            value = float(v)
            ci = {}
            if with_ci:
                ci = {"lower_ci95": value - below, "upper_ci95": value + above,
                      "lower_ci998": value - below - extra, "upper_ci998": value + above + extra}
            rows.append({"indicator_id": ind, "area_code": code, "period": "2018/19", "value": value, **ci})
            args = (value, ci.get("lower_ci95"), ci.get("upper_ci95"))
            expected[(ind, code)] = (compare_with_benchmark(*args, england, polarity), compare_two_level(
                *args, ci.get("lower_ci998"), ci.get("upper_ci998"), england, polarity))
    _reload(warehouse, rows)
    got = table(warehouse, "SELECT * FROM benchmark_comparisons").set_index(["indicator_id", "area_code"])
    assert len(got) == len(expected)
    for key, (one, two) in expected.items():
        assert (got.loc[key, "compared_with_england"], got.loc[key, "compared_with_england_two_level"]) == (one, two)


# --- aggregates, running totals and targets ----------------------------------------------------------------

def test_aggregate_area_running_total_and_trajectory_target(catalogue, areas, groups, settings):
    """Cumulative net additional dwellings for Leicester + Leicestershire since 2011/12 against 96,580 by
    2030/31 and 187,096 by 2049/50 (Strategic Growth Plan), from annual counts for each component."""
    entries = [indicator(
        "m_dwellings", value_type="count", multiplier=1, unit="dwellings", decimals=0, comparator_group=None,
        cumulative_from="2011/12",
        target={"kind": "trajectory", "direction": "at_least", "description": "96,580 by 2030/31",
                "area": "AGG-LEICS", "baseline": {"period": "2010/11", "value": 0},
                "milestones": [{"period": "2049/50", "value": 187096}, {"period": "2030/31", "value": 96580}]})]
    con = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
    city = [1200, 1100, 1500, 1400, 1600, 1700, 1300, 1250, 1800, 1900, 2000, 1950]
    county = [3800, 4100, 4300, 4500, 4900, 5100, 5200, 4950, 5300, 5400, 5000, 4800]
    rows = [{"indicator_id": "m_dwellings", "area_code": code, "period": financial_year(2010 + i).label,
             "value": float(v)} for code, series in (("E06000016", city), (HOME, county))
            for i, v in enumerate(series)]
    rows = [r for r in rows if not (r["area_code"] == HOME and r["period"] == "2015/16")]  # a missing year
    insert_observations(con, observation_frame(rows))
    run_methods(con, date(2023, 1, 1))
    agg = table(con, "SELECT * FROM mart.observation_current WHERE area_code = 'AGG-LEICS' ORDER BY period_start")
    assert agg.period.iloc[0] == "2011/12"  # 2010/11 is before the running total starts
    assert agg.value.iloc[0] == city[1] + county[1]
    assert agg.value.iloc[3] == sum(city[1:5]) + sum(county[1:5])
    assert agg.value.iloc[4:].isna().all()  # 2015/16 lacks Leicestershire: no sum, so no running total
    assert set(agg.derivation) == {"aggregate of components, running total"}
    by_period: dict = {}
    for r in rows:
        by_period.setdefault(parse_period(r["period"]).start, []).append(Component(r["value"]))
    annual = [(start, aggregate_value("count", parts, 2)) for start, parts in by_period.items()]
    reference = dict(running_totals(annual, financial_year(2011).start))
    computed = {s: None if math.isnan(v) else v for s, v in zip(agg.period_start.dt.date, agg.value, strict=True)}
    assert computed == {s: None if v is None else pytest.approx(v) for s, v in reference.items() if s in computed}
    assert all(reference[s] is None for s in set(reference) - set(computed))  # no aggregate row: no total
    status = table(con, "SELECT * FROM target_status ORDER BY period")
    rule = TargetRule("trajectory", "at_least", 0, points=(
        TargetPoint(financial_year(2010).start, 0.0), TargetPoint(financial_year(2030).start, 96580.0),
        TargetPoint(financial_year(2049).start, 187096.0)))
    for row in status.itertuples():
        value = None if math.isnan(row.value) else row.value
        want = rule.status(value, parse_period(row.period).start)
        assert row.target_value == pytest.approx(want.target_value)
        assert (none(row.target_status), none(row.target_reason)) == (want.status, want.reason)
    assert list(status.target_status[:4]) == ["Green", "Green", "Green", "Green"]
    board = table(con, "SELECT area_code, target_status, target_description, status FROM outcome_board")
    assert board.iloc[0].tolist() == ["AGG-LEICS", None, "96,580 by 2030/31", "data"]
    con.close()


@SLOW_OK
@given(values=st.lists(st.one_of(st.none(), st.integers(50, 1500).map(lambda v: v / 10)), min_size=12, max_size=12),
       england=st.lists(st.one_of(st.none(), st.integers(50, 1500).map(lambda v: v / 10)), min_size=12, max_size=12))
def test_targets_sql_equal_reference(warehouse_for, values, england):
    entries = [
        indicator("m_value", target={"kind": "value", "direction": "at_least", "description": "80 by 2020/21",
                                     "value": 80.0, "period": "2020/21"}),
        indicator("m_relative", "low_is_good", value_type="amount", unit="t", target={
            "kind": "trajectory", "direction": "at_most", "description": "-64% by 2024/25, net zero by 2029/30",
            "baseline": {"period": "2016/17", "value": 1.0}, "baseline_relative": True, "tolerance_abs": 5,
            "milestones": [{"period": "2024/25", "value": 0.36}, {"period": "2029/30", "value": 0.0}]}),
        indicator("m_national", "low_is_good", target={"kind": "national_average", "direction": "at_most",
                                                       "description": "Below England", "tolerance_pct": 2.5}),
    ]
    con = warehouse_for(entries)
    periods = [financial_year(2014 + i) for i in range(12)]
    rows = [{"indicator_id": e["id"], "area_code": HOME, "period": p.label, "value": v}
            for e in entries for p, v in zip(periods, values, strict=True)]
    rows += [{"indicator_id": e["id"], "area_code": ENGLAND, "period": p.label, "value": v}
             for e in entries for p, v in zip(periods, england, strict=True)]
    insert_observations(con, observation_frame(rows))
    run_methods(con)
    rules = {
        "m_value": TargetRule("value", "at_least", 1, value=80.0, value_start=financial_year(2020).start),
        "m_relative": TargetRule("trajectory", "at_most", 1, points=(
            TargetPoint(financial_year(2016).start, 1.0), TargetPoint(financial_year(2024).start, 0.36),
            TargetPoint(financial_year(2029).start, 0.0)), baseline_relative=True, tolerance_abs=5),
        "m_national": TargetRule("national_average", "at_most", 1, tolerance_pct=2.5),
    }
    got = table(con, "SELECT * FROM target_status").set_index(["indicator_id", "period"])
    baseline = values[2]
    for ind, rule in rules.items():
        for p, v, e in zip(periods, values, england, strict=True):
            want = rule.status(v, p.start, baseline, e)
            row = got.loc[(ind, p.label)]
            target = None if math.isnan(row.target_value) else row.target_value
            assert target == (pytest.approx(want.target_value, rel=1e-12) if want.target_value is not None else None)
            assert (none(row.target_status), none(row.target_reason)) == (want.status, want.reason)


# --- freshness --------------------------------------------------------------------------------------------

KINDS = [("annual", None), ("annual", "academic"), ("annual", "calendar"), ("quarterly", None),
         ("quarterly", "calendar"), ("monthly", "month"), ("multi_year", "pooled")]


@SLOW_OK
@given(run_date=st.dates(date(2015, 1, 1), date(2035, 12, 31)), lags=st.lists(st.integers(0, 30), min_size=7,
                                                                              max_size=7))
def test_freshness_sql_equals_reference(catalogue, areas, groups, settings, run_date, lags):
    entries = [indicator(f"m_kind_{i}", frequency=f, period_convention=c, publication_lag_months=lag)
               for i, ((f, c), lag) in enumerate(zip(KINDS, lags, strict=True))]
    entries.append(indicator("m_observed", frequency="annual", publication_lag_months=lags[0]))
    con = open_warehouse(method_catalogue(catalogue, entries), areas, groups, settings)
    observed = parse_period("2019")  # a calendar-year series although the catalogue has no convention
    insert_observations(con, observation_frame([{"indicator_id": "m_observed", "area_code": HOME, "period": "2019",
                                                 "value": 1.0}]))
    compute_step(con, "observations")
    compute_step(con, "freshness", run_date)
    got = table(con, "SELECT * FROM freshness").set_index("indicator_id")
    for e in entries:
        observed_type = "calendar_year" if e["id"] == "m_observed" else None
        kind = period_kind(e["frequency"], e.get("period_convention"), observed_type)
        want = expected_period(kind, e["publication_lag_months"], run_date)
        row = got.loc[e["id"]]
        assert (row.expected_period, row.expected_end.date()) == (want.label, want.end)
        latest = observed.end if e["id"] == "m_observed" else None
        assert bool(row.overdue) == is_overdue(latest, want)
    con.close()
