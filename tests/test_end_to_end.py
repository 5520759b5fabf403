"""The whole asset graph through Dagster's materialize(), into a temporary folder with its own DuckDB file."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from indicators.catalogue import Polarity
from indicators.methods.quartiles import phe_quantile
from indicators.methods.trend import TrendPoint, recent_trend
from pipelines.assets import ALL_ASSETS
from pipelines.resources import pipeline_resources
from sources.sample import FINGERTIPS_HEADER
from sources.validate import validate_file

HOME = "E10000018"


def _materialize(landing: Path, root: Path) -> dg.ExecuteInProcessResult:
    resources = pipeline_resources(landing, root / "outcomes.duckdb", reports=root / "reports")
    return dg.materialize(ALL_ASSETS, resources=resources, partition_key="2024-04-01")


def _constructed_file(path: Path, counties: list[str]) -> None:
    """Child injury admissions (low is good) for 2023/24: Leicestershire 6th of 21; and a 5-year series that
    falls."""
    values = [30.6, 30.2, 28, 24.6, 24.67]
    lower = [28.98, 28.63, 26.44, 23.15, 23.16]
    upper = [32.25, 31.9, 29.64, 26.19, 26.25]
    periods = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    others = [c for c in counties if c != HOME]
    rows = []
    for period, v, lo, up in zip(periods, values, lower, upper, strict=True):
        rows.append([HOME, period, v, lo, up])
    for i, code in enumerate(others):  # 5 areas lower (better) than 24.67, 15 higher
        value = 20.0 + i if i < 5 else 25.0 + i
        rows.append([code, "2023/24", value, value - 1, value + 1])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(FINGERTIPS_HEADER)
        for code, period, v, lo, up in rows:
            row = dict.fromkeys(FINGERTIPS_HEADER, "")
            row.update({"Indicator ID": "90284", "Area Code": code, "Sex": "Persons", "Age": "<15 yrs",
                        "Time period": period, "Value": v, "Lower CI 95.0 limit": lo, "Upper CI 95.0 limit": up})
            writer.writerow([row[h] for h in FINGERTIPS_HEADER])


def test_sample_run_loads_every_generated_row(sample_dir, landing, tmp_path, context):
    result = _materialize(landing, tmp_path)
    assert result.success
    published = tmp_path / "outcomes.duckdb"
    assert published.is_file() and (tmp_path / "outcomes.d" / "working.duckdb").is_file()
    # What the validator makes of each generated file is what the warehouse must hold: the sample has
    # out-of-scope rows (districts, a waste partnership...) that are skipped, and nothing is rejected.
    results = [validate_file(p, context) for p in sorted(sample_dir.glob("SAMPLE_*"))]
    assert all(r.reconciles and r.rows_rejected == 0 and r.file_error is None for r in results)
    with duckdb.connect(str(published), read_only=True) as con:
        loaded = con.execute("SELECT sum(rows_read), sum(rows_accepted), sum(rows_rejected), sum(rows_skipped) "
                             "FROM loads").fetchall()[0]
        observations = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
        board = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'data') FROM outcome_board").fetchall()[0]
    assert loaded == (sum(r.rows_read for r in results), sum(r.rows_accepted for r in results), 0,
                      sum(r.rows_skipped for r in results))
    assert observations == sum(r.rows_accepted for r in results)
    assert board == (len(context.catalogue), len(context.catalogue))
    assert (tmp_path / "reports" / "scrutiny_2024-25_Q1.xlsx").is_file()


def test_quartile_and_trend_of_a_constructed_series(tmp_path, groups):
    landing = tmp_path / "landing"
    landing.mkdir()
    counties = groups.members("county_councils", date(2024, 3, 31))
    assert len(counties) == 21
    _constructed_file(landing / "neet.csv", counties)
    assert _materialize(landing, tmp_path / "wh").success
    with duckdb.connect(str(tmp_path / "wh" / "outcomes.duckdb"), read_only=True) as con:
        rank, n, quartile, label = con.execute(
            "SELECT rank, n_comparators, quartile, quartile_label FROM quartile_positions "
            "WHERE area_code = ? AND period = '2023/24' AND is_indicator_group", [HOME]).fetchall()[0]
        trend, slope, chi2 = con.execute(
            "SELECT recent_trend, trend_slope, trend_chi2 FROM trends WHERE area_code = ?", [HOME]).fetchall()[0]
        board = con.execute(
            "SELECT rank_text FROM outcome_board WHERE indicator_id = 'sw_child_injury_admissions'").fetchall()[0][0]
    assert (rank, n, quartile, label) == (6, 21, 1, "Best 25%")
    assert board == "6th of 21 county councils"
    assert trend == "Decreasing and getting better"
    assert slope == pytest.approx(-1.751566, abs=1e-6)
    assert chi2 == pytest.approx(46.76532, abs=1e-5)


def test_a_run_without_landing_files_still_computes_on_its_own_reference_tables(sample_dir, tmp_path):
    """The observations step writes the reference tables (once a run; source assets do not): reference data gone
    stale since the last run (here: emptied) is rewritten, and the methods recomputed on it, by a run to which no
    file arrived."""
    landing = tmp_path / "landing"
    landing.mkdir()
    name = "SAMPLE_returns_quarterly.csv"
    (landing / name).write_bytes((sample_dir / name).read_bytes())
    assert _materialize(landing, tmp_path / "wh").success
    assert not list(landing.glob("*.csv"))  # filed: the next run finds no file
    working = tmp_path / "wh" / "outcomes.d" / "working.duckdb"
    counts = "SELECT (SELECT count(*) FROM ref.indicator), (SELECT count(*) FROM outcome_board)"
    with duckdb.connect(str(working)) as con:
        indicators, board = con.execute(counts).fetchall()[0]
        con.execute("DELETE FROM ref.indicator")
    assert indicators > 50 and board > 0

    assert _materialize(landing, tmp_path / "wh").success
    with duckdb.connect(str(working), read_only=True) as con:
        assert con.execute(counts).fetchall()[0] == (indicators, board)


def test_sql_matches_python_reference_on_sample(landing, tmp_path, catalogue):
    """Every home-area quartile and trend computed in SQL equals the Python reference on the same rows."""
    assert _materialize(landing, tmp_path).success
    with duckdb.connect(str(tmp_path / "outcomes.duckdb"), read_only=True) as con:
        obs = con.execute("SELECT * FROM mart.observation_current").df()
        quartiles = con.execute("SELECT * FROM quartile_positions WHERE area_code = ?", [HOME]).df()
        trends = con.execute("SELECT * FROM trends WHERE area_code = ?", [HOME]).df()
        members = con.execute("SELECT * FROM comparator_groups").df()
    # the rows of each partition and series, found once (a boolean mask over every row per quartile was most of
    # this test's time)
    valued = obs[obs.value.notna()]
    partitions = dict(iter(valued.groupby(["indicator_id", "period", "sex", "age", "category"], sort=False)))
    group_members = dict(iter(members.groupby("group_id", sort=False)))
    home_series = dict(iter(obs[obs.area_code == HOME].groupby(["indicator_id", "sex", "age", "category"],
                                                                 sort=False)))
    checked = 0
    for q in quartiles.itertuples():
        period_rows = partitions[(q.indicator_id, q.period, q.sex, q.age, q.category)]
        end = period_rows.period_end.iloc[0]
        in_group = group_members[q.group_id]
        valid = in_group[(in_group.valid_from.isna() | (in_group.valid_from <= end))
                         & (in_group.valid_to.isna() | (in_group.valid_to >= end))].area_code
        group_rows = period_rows[period_rows.area_code.isin(set(valid) | {HOME})].reset_index(drop=True)
        polarity = Polarity(catalogue.get(q.indicator_id).polarity)
        positions = phe_quantile(list(group_rows.value), polarity)
        home = positions[group_rows.index[group_rows.area_code == HOME][0]]
        if home is None:  # fewer than 4 comparators: ranked but not placed in a quartile
            assert pd.isna(q.quartile) and q.n_comparators == len(group_rows) < 4
        else:
            assert (home.rank, home.n, home.quartile) == (q.rank, q.n_comparators, q.quartile)
        checked += 1
    assert checked > 20
    for t in trends.itertuples():
        series = home_series[(t.indicator_id, t.sex, t.age, t.category)].sort_values("period_start")
        indicator = catalogue.get(t.indicator_id)
        if indicator.frequency.value != "annual":
            assert t.recent_trend == "Cannot be calculated"
            continue
        points = [TrendPoint(r.period, r.value, r.lower_ci95, r.upper_ci95) for r in series.itertuples()]
        expected = recent_trend(points, indicator.polarity)
        assert t.recent_trend == expected.label
        if expected.chi2 is not None:
            assert t.trend_chi2 == pytest.approx(expected.chi2, rel=1e-9)
