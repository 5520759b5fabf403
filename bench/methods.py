"""Set-based method SQL against the Python reference on 1 million series (quartiles, trends, direction, England).

Input: a synthetic national-scale warehouse built inside DuckDB (deterministic: values come from hashes of
the series and period numbers, not a random generator): ``--indicators`` indicators x areas, one headline
breakdown, ``--periods`` financial years per series, about 3% of points suppressed, 95% and 99.8% limits,
an England row per indicator and period, and every area in a comparator group of 25. Then:

* the SQL: every method step as the pipeline runs it (warehouse.compute.compute_step), over all series;
* the Python reference (indicators.methods) on a sample of series / partitions, timed and scaled linearly
  to the full size (said so in the output), and checked against the SQL on that sample.

Usage: ``python -m bench methods [--series 1000000] [--sample 2000] [--periods 6] [--indicators 200]``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from indicators.areas import Area, AreaRegister, ComparatorGroups, Membership
from indicators.catalogue import Catalogue, Indicator, Polarity, load_catalogue
from indicators.methods.benchmark import compare_with_benchmark
from indicators.methods.direction import Reading, series_direction
from indicators.methods.quartiles import phe_quantile
from indicators.methods.trend import TrendPoint, recent_trend
from indicators.settings import Settings
from warehouse.compute import compute_step
from warehouse.reference import write_reference

ENGLAND = "E92000001"
GROUP_SIZE = 25
POLARITIES = [Polarity.HIGH_IS_GOOD, Polarity.LOW_IS_GOOD, Polarity.NO_JUDGEMENT]
SETTINGS_SQL = "SELECT current_setting('threads'), current_setting('memory_limit')"
STEPS = ["observations", "quartile_positions", "trends", "benchmark_comparisons", "outcome_board"]

# One row per series x period: uniform numbers from hashes (DuckDB's hash() is deterministic).
OBSERVATIONS_SQL = """
INSERT INTO core.observation
WITH grid AS (
    SELECT s.range AS s, p.range AS p, s.range % $n_indicators AS ind, s.range // $n_indicators AS area,
        (hash(s.range * 31 + p.range) % 1000000) / 1e6 AS u1,
        (hash(s.range * 37 + p.range + 7) % 1000000) / 1e6 AS u2,
        (hash(s.range) % 1000000) / 1e6 AS level
    FROM range($n_series) s CROSS JOIN range($periods) p
    UNION ALL
    SELECT -1 - i.range, p.range, i.range, -1, 0.5, 0.5, 0.5 FROM range($n_indicators) i CROSS JOIN range($periods) p
)
SELECT 0, 'b_' || ind, CASE WHEN area < 0 THEN 'E92000001' ELSE 'X' || lpad(area::VARCHAR, 7, '0') END,
    (2015 + p) || '/' || lpad(((2016 + p) % 100)::VARCHAR, 2, '0'),
    make_date(2015 + p, 4, 1), make_date(2016 + p, 3, 31), 'financial_year',
    'Persons', 'All ages', '', '',
    CASE WHEN u1 < 0.03 AND area >= 0 THEN NULL ELSE 40 + 20 * level + p * (level - 0.5) * 2 + 3 * (u1 - 0.5) END,
    NULL, NULL, NULL, NULL, NULL, NULL, '', '', '', '', 'bench', 'bench.csv', s, 'bench', TIMESTAMP '2025-01-01', NULL
FROM grid
"""
LIMITS_SQL = """
UPDATE core.observation SET
    lower_ci95 = value - (0.5 + 3 * (hash(source_row * 41 + year(period_start)) % 1000000) / 1e6),
    upper_ci95 = value + (0.5 + 3 * (hash(source_row * 43 + year(period_start)) % 1000000) / 1e6)
WHERE value IS NOT NULL;
UPDATE core.observation SET lower_ci998 = value - (value - lower_ci95) * 1.58,
    upper_ci998 = value + (upper_ci95 - value) * 1.58 WHERE value IS NOT NULL;
"""


def _catalogue(n_indicators: int) -> Catalogue:
    base = load_catalogue(include_env=False)
    indicators = {}
    for i in range(n_indicators):
        entry = Indicator.model_validate({
            "id": f"b_{i}", "name": f"bench indicator {i}", "outcome": "se", "success_measure": "bench",
            "polarity": POLARITIES[i % 3].value, "value_type": "score", "unit": "points", "decimals": 1,
            "frequency": "annual", "publication_lag_months": 6, "comparator_group": "bench_0",
            "source": {"source": "bench", "code": f"b_{i}"}, "lead_board": "Bench board"})
        indicators[entry.id] = entry
    return Catalogue(base.outcomes, base.sub_outcomes, indicators)


def _areas_and_groups(n_areas: int) -> tuple[AreaRegister, ComparatorGroups]:
    codes = [f"X{a:07d}" for a in range(n_areas)]
    areas = AreaRegister([Area(ENGLAND, "England", "country", None, None),
                          *(Area(c, c, "unitary", None, None) for c in codes)])
    groups = ComparatorGroups(Membership(f"bench_{a // GROUP_SIZE}", f"Bench group {a // GROUP_SIZE}", c, None, None)
                              for a, c in enumerate(codes))
    return areas, groups


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"  {label:32s} {seconds:9.2f} s   peak RSS {_peak_mb():8.0f} MB", flush=True)
    return seconds


def _reference_series(frame: pd.DataFrame, catalogue: Catalogue) -> tuple[dict, dict]:
    """Recent trend and direction of travel of each sampled series, the readable way (one at a time)."""
    trends, directions = {}, {}
    for (ind, area), rows in frame.groupby(["indicator_id", "area_code"], sort=False):
        rows = rows.sort_values("period_start")
        polarity = catalogue.indicators[ind].polarity
        points = [TrendPoint(r.period, _f(r.value), _f(r.lower_ci95), _f(r.upper_ci95)) for r in rows.itertuples()]
        trends[(ind, area)] = recent_trend(points, polarity)
        readings = [Reading(r.period, r.period_start, r.period_end, r.period_type, _f(r.value), _f(r.lower_ci95),
                            _f(r.upper_ci95)) for r in rows.itertuples()]
        directions[(ind, area)] = series_direction(readings, polarity, 1)
    return trends, directions


def _f(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench methods", description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2000, help="series run through the Python reference")
    parser.add_argument("--periods", type=int, default=6)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0 = DuckDB's default)")
    parser.add_argument("--memory-limit", default="", help="DuckDB memory_limit, e.g. 4GB (default: DuckDB's)")
    parser.add_argument("--in-memory", action="store_true",
                        help="an in-memory database (default: a temporary file, as the pipeline's working database)")
    args = parser.parse_args(argv)
    n_areas = -(-args.series // args.indicators)
    n_series = n_areas * args.indicators
    catalogue = _catalogue(args.indicators)
    areas, groups = _areas_and_groups(n_areas)
    print(f"bench methods: {n_series:,} series ({args.indicators} indicators x {n_areas:,} areas), "
          f"{args.periods} annual periods each, groups of {GROUP_SIZE}; synthetic data built in DuckDB")

    folder = tempfile.TemporaryDirectory(prefix="bench-methods-")
    database = ":memory:" if args.in_memory else str(Path(folder.name) / "bench.duckdb")
    config = {"threads": args.threads} if args.threads else {}
    if args.memory_limit:
        config["memory_limit"] = args.memory_limit
    con = duckdb.connect(database, config=config)
    threads, memory = con.execute(SETTINGS_SQL).fetchall()[0]
    print(f"database: {database}; threads {threads}, memory_limit {memory}")
    params = {"n_series": n_series, "n_indicators": args.indicators, "periods": args.periods}
    print("build")
    _timed("reference tables", lambda: write_reference(con, catalogue, areas, groups, Settings(home_area="X0000000")))
    _timed("observations (synthetic)", lambda: con.execute(OBSERVATIONS_SQL, params))
    _timed("confidence limits", lambda: con.execute(LIMITS_SQL))
    rows = con.execute("SELECT count(*) FROM core.observation").fetchall()[0][0]
    print(f"  {rows:,} observation rows")

    print("set-based SQL (all series)")
    sql_seconds = {step: _timed(step, lambda s=step: compute_step(con, s, date(2025, 1, 1))) for step in STEPS}
    sql_total = sum(sql_seconds.values())

    print(f"Python reference on a sample of {args.sample:,} series (then scaled linearly to {n_series:,})")
    sample_ids = [f"X{a:07d}" for a in range(-(-args.sample // args.indicators))]
    sample = con.execute("SELECT * FROM mart.observation_current WHERE area_code IN (SELECT unnest($ids))",
                         {"ids": sample_ids}).df()
    sampled_series = sample.groupby(["indicator_id", "area_code"]).ngroups
    start = time.perf_counter()
    trends, directions = _reference_series(sample, catalogue)
    series_seconds = time.perf_counter() - start

    partitions = sample.groupby(["indicator_id", "period"])  # the first group's members, every indicator x period
    group_rows = con.execute("SELECT * FROM mart.observation_current WHERE area_code IN (SELECT unnest($ids))",
                             {"ids": [f"X{a:07d}" for a in range(GROUP_SIZE)]}).df()
    start = time.perf_counter()
    quartiles = {}
    for (ind, period), part in group_rows.groupby(["indicator_id", "period"]):
        for code, pos in zip(part.area_code, phe_quantile([_f(v) for v in part.value],
                                                          catalogue.indicators[ind].polarity), strict=True):
            quartiles[(ind, period, code)] = pos
    quartile_seconds = time.perf_counter() - start
    n_partitions = con.execute("SELECT count(*) FROM (SELECT DISTINCT group_id, indicator_id, period "
                               "FROM mart.quartile_position)").fetchall()[0][0]
    sampled_partitions = group_rows.groupby(["indicator_id", "period"]).ngroups

    england = con.execute("SELECT indicator_id, period, value FROM mart.observation_current WHERE area_code = ?",
                          [ENGLAND]).df().set_index(["indicator_id", "period"]).value
    start = time.perf_counter()
    benchmarks = {(r.indicator_id, r.area_code, r.period): compare_with_benchmark(
        _f(r.value), _f(r.lower_ci95), _f(r.upper_ci95), england[(r.indicator_id, r.period)],
        catalogue.indicators[r.indicator_id].polarity) for r in sample.itertuples()}
    benchmark_seconds = time.perf_counter() - start
    del partitions

    scale_series = n_series / sampled_series
    scale_partitions = n_partitions / sampled_partitions
    scale_rows = (rows - args.indicators * args.periods) / len(sample)
    reference = {"trends + direction (per series)": series_seconds * scale_series,
                 "quartiles (per partition)": quartile_seconds * scale_partitions,
                 "England comparison (per row)": benchmark_seconds * scale_rows}
    print(f"  trends + direction: {series_seconds:.2f} s for {sampled_series:,} series -> "
          f"{reference['trends + direction (per series)']:,.0f} s scaled")
    print(f"  quartiles: {quartile_seconds:.2f} s for {sampled_partitions:,} group partitions -> "
          f"{reference['quartiles (per partition)']:,.0f} s scaled to {n_partitions:,}")
    print(f"  England comparison: {benchmark_seconds:.2f} s for {len(sample):,} rows -> "
          f"{reference['England comparison (per row)']:,.0f} s scaled")

    print("agreement on the sample (SQL = reference)")
    got_trends = con.execute("SELECT indicator_id, area_code, recent_trend, direction_of_travel FROM mart.trend "
                             "WHERE area_code IN (SELECT unnest($ids))", {"ids": sample_ids}).fetchall()
    trend_agree = sum(trends[(i, a)].label == t for i, a, t, _ in got_trends)
    direction_agree = sum((directions[(i, a)].change.label if directions[(i, a)].change else None) == d
                          for i, a, _, d in got_trends)
    got_q = con.execute("SELECT indicator_id, period, area_code, rank, quartile FROM mart.quartile_position "
                        "WHERE group_id = 'bench_0'").fetchall()
    quartile_agree = sum((quartiles[(i, p, a)].rank, quartiles[(i, p, a)].quartile) == (r, q)
                         for i, p, a, r, q in got_q)
    got_b = con.execute("SELECT indicator_id, area_code, period, compared_with_england FROM mart.benchmark_comparison "
                        "WHERE area_code IN (SELECT unnest($ids))", {"ids": sample_ids}).fetchall()
    benchmark_agree = sum(benchmarks[(i, a, p)] == c for i, a, p, c in got_b)
    print(f"  recent trend {trend_agree:,}/{len(got_trends):,}, direction {direction_agree:,}/{len(got_trends):,}, "
          f"quartiles {quartile_agree:,}/{len(got_q):,}, England {benchmark_agree:,}/{len(got_b):,}")

    ref_total = sum(reference.values())
    print("summary")
    print(f"  set-based SQL, every step, {n_series:,} series: {sql_total:,.1f} s")
    print(f"  Python reference for the same methods (scaled from the sample): {ref_total:,.0f} s "
          f"({ref_total / sql_total:,.0f}x the SQL time)")
    print(f"  peak RSS {_peak_mb():,.0f} MB")
    con.close()
    if not args.in_memory:
        print(f"  database file {Path(database).stat().st_size / 1e6:,.0f} MB")
    folder.cleanup()
    return 0
