"""Warehouse load time and size: the SAMPLE DATA, then synthetic deliveries at scale with revisions.

    python -m bench warehouse_load [--rows 1000000] [--naive-sample 5000] [--keep DIR]

Part 1 runs the warehouse steps of a pipeline run over the generated SAMPLE DATA (validate, load, methods,
publish, a second load of the same files) and prints each stage's time and the size of every file.
Part 2 loads synthetic canonical rows straight into the load path (no adapters): a first delivery of
--rows new values, a second delivery of the same keys with 10% revised, a third identical to the second
(all unchanged), then withdraws the second and rebuilds the warehouse as at the first. Beside each it
prints two references measured in the same run: a bare bulk INSERT of the same frame into a plain table
(no history: the floor) and a naive row-by-row INSERT, timed on --naive-sample rows and scaled linearly
(said so where printed). Publishing is compared with a plain file copy of the same database.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import load_catalogue
from indicators.settings import Settings
from sources.canonical import CANONICAL_COLUMNS
from sources.sample import write_sample
from sources.validate import FileResult, ValidationContext, validate_file
from warehouse.as_at import warehouse_as_at
from warehouse.connection import connect_working
from warehouse.ingest import ingest
from warehouse.load import load_file
from warehouse.paths import WarehousePaths
from warehouse.publish import publish
from warehouse.rebuild import rebuild_methods
from warehouse.reference import write_reference
from warehouse.withdraw import withdraw_load

SEXES = ["Persons", "Male", "Female"]
DECILES = ["", *(f"Decile {d}" for d in range(1, 11))]
AGES = ["All ages", *(f"{a}-{a + 4} yrs" for a in range(0, 95, 5))]


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:8.2f} MB"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@contextmanager
def _timed(label: str, rows: int | None = None) -> Iterator[None]:
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    rate = f"  {rows / elapsed:12,.0f} rows/s" if rows else ""
    print(f"  {label:58s} {elapsed:8.2f} s{rate}", flush=True)


def sample_run(folder: Path) -> None:
    print("Part 1: the SAMPLE DATA through the warehouse steps of a run")
    catalogue, areas, groups, settings = load_catalogue(include_env=False), AreaRegister.load(), \
        ComparatorGroups.load(), Settings()
    landing = folder / "landing"
    files = write_sample(landing, catalogue, areas, groups, settings)
    context = ValidationContext(catalogue, areas)
    paths = WarehousePaths(folder / "sample" / "outcomes.duckdb")
    paths.ensure()
    with _timed("validate every file (adapters + pandera)"):
        results = [validate_file(p, context) for p in files]
    rows = sum(r.rows_read for r in results)
    with connect_working(paths.working) as con:
        with _timed("reference tables (catalogue, areas, groups)"):
            write_reference(con, catalogue, areas, groups, settings)
        with _timed(f"load {len(results)} files, one transaction each", rows):
            for result in results:
                load_file(con, result)
        with _timed("methods (quartiles, trends, comparisons, board)"):
            rebuild_methods(con)
    with _timed("publish (views, checkpoint, copy, atomic rename)"):
        publish(paths)
    with connect_working(paths.working) as con, _timed("the same files again (checksums only: nothing loaded)"):
        again = ingest(con, files, context)
    assert all(d.result is None for d in again)
    input_size = sum(p.stat().st_size for p in files)
    print(f"  rows read {rows:,}; input files {input_size / 1e6:.2f} MB")
    print(f"  working database   {_mb(paths.working)}\n  published snapshot {_mb(paths.published)}")


def synthetic_frame(catalogue_ids: list[str], area_codes: list[str], rows: int, seed: int = 1) -> pd.DataFrame:
    """``rows`` canonical observations over indicator x area x age x year x sex x decile, realistic rates."""
    per_series = 25 * len(SEXES) * len(DECILES)
    series_needed = -(-rows // per_series)
    combos = [(i, a, age) for i in catalogue_ids for a in area_codes for age in AGES]
    if series_needed > len(combos):
        raise SystemExit(f"--rows {rows} needs {series_needed} indicator x area x age series; at most {len(combos)}")
    keys = pd.MultiIndex.from_product(
        [range(series_needed), range(2000, 2025), SEXES, DECILES], names=["series", "year", "sex", "category"]
    ).to_frame(index=False).head(rows)
    rng = np.random.default_rng(seed)
    value = rng.uniform(5, 60, len(keys)).round(3)
    half = rng.uniform(0.5, 3, len(keys)).round(3)
    series = np.array(combos, dtype=object)[keys["series"].to_numpy()]
    start = pd.to_datetime(keys["year"].astype(str) + "-04-01").dt.date
    frame = pd.DataFrame({
        "indicator_id": series[:, 0], "area_code": series[:, 1],
        "period": keys["year"].astype(str) + "/" + ((keys["year"] + 1) % 100).astype(str).str.zfill(2),
        "period_start": start, "period_end": [d.replace(year=d.year + 1) - timedelta(days=1) for d in start],
        "period_type": "financial_year", "sex": keys["sex"], "age": series[:, 2],
        "category_type": np.where(keys["category"] == "", "", "Deprivation decile"), "category": keys["category"],
        "value": value, "lower_ci95": value - half, "upper_ci95": value + half, "lower_ci998": np.nan,
        "upper_ci998": np.nan, "count": np.nan, "denominator": np.nan, "value_note": "", "published_trend": "",
        "published_comparison": "", "commentary": "", "source_id": "fingertips_csv",
        "source_file": "BENCH.csv", "source_row": np.arange(2, len(keys) + 2),
    })
    return frame[CANONICAL_COLUMNS]


def _delivery(name: str, frame: pd.DataFrame) -> FileResult:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ["source_file", "source_row", "column", "value",
                                                                 "reason"]}).astype({"source_row": "int64"})
    return FileResult(Path(name), f"bench-{name}", "fingertips_csv", len(frame), frame.assign(source_file=name),
                      empty, {})


def _reference_inserts(frame: pd.DataFrame, naive_sample: int) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE plain AS SELECT * FROM frame LIMIT 0")
    with _timed("  reference: bare bulk INSERT, no history (floor)", len(frame)):
        con.execute("INSERT INTO plain SELECT * FROM frame")
    sample = frame.head(naive_sample)
    placeholders = ", ".join("?" for _ in CANONICAL_COLUMNS)
    records = [tuple(None if isinstance(v, float) and np.isnan(v) else v for v in row)
               for row in sample.itertuples(index=False)]
    started = time.perf_counter()
    con.executemany(f"INSERT INTO plain VALUES ({placeholders})", records)
    per_row = (time.perf_counter() - started) / len(records)
    print(f"  {f'  reference: row-by-row INSERT ({len(records):,} rows, scaled)':58s} "
          f"{per_row * len(frame):8.2f} s  {1 / per_row:12,.0f} rows/s  (estimate)")
    con.close()


def _reference_copy_database(working: Path, target: Path) -> None:
    """The alternative publish copy: DuckDB rewriting the database into a new file (compact, slower)."""
    with connect_working(working) as con, _timed("  reference: COPY FROM DATABASE into a new file"):
        con.execute("ATTACH $path AS copy_target", {"path": str(target)})
        con.execute("COPY FROM DATABASE working TO copy_target")
        con.execute("DETACH copy_target")
    print(f"  {'    (its size)':58s} {_mb(target)}")
    target.unlink()


def synthetic_run(folder: Path, rows: int, naive_sample: int) -> None:
    print(f"\nPart 2: synthetic deliveries of {rows:,} rows (no adapters; the load path only)")
    catalogue, areas, groups, settings = load_catalogue(include_env=False), AreaRegister.load(), \
        ComparatorGroups.load(), Settings()
    codes = [a.code for a in areas if a.type in ("county", "unitary", "metropolitan_district", "london_borough")]
    first = synthetic_frame([i.id for i in catalogue], codes, rows)
    revised = first.copy()
    changed = np.arange(len(revised)) % 10 == 0
    revised.loc[changed, ["value", "lower_ci95", "upper_ci95"]] *= 1.05
    paths = WarehousePaths(folder / "synthetic" / "outcomes.duckdb")
    paths.ensure()
    t0 = datetime(2024, 4, 1)
    steps: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], object], int | None]] = [
        ("delivery 1: every row new", lambda c: load_file(c, _delivery("d1.csv", first), t0), rows),
        ("delivery 2: same keys, 10% revised", lambda c: load_file(c, _delivery("d2.csv", revised),
                                                                   t0 + timedelta(days=90)), rows),
        ("delivery 3: same values, new file (all unchanged)", lambda c: load_file(
            c, _delivery("d3.csv", revised.assign(source_row=revised.source_row + 1)), t0 + timedelta(days=91)), rows),
        ("withdraw 3 (nothing current), then 2 (10% back to 1)", lambda c: (
            withdraw_load(c, 3, "bench", "bench", t0 + timedelta(days=92)),
            withdraw_load(c, 2, "bench", "bench", t0 + timedelta(days=93))), None),
        ("methods over every series", rebuild_methods, None),
    ]
    with connect_working(paths.working) as con:
        write_reference(con, catalogue, areas, groups, settings)
        for label, step, n in steps:
            with _timed(label, n):
                step(con)
        revisions, deliveries = con.execute(
            "SELECT (SELECT count(*) FROM core.observation), (SELECT count(*) FROM core.delivery)").fetchall()[0]
    _reference_inserts(first, naive_sample)
    with _timed("publish (views, checkpoint, file copy, check, rename)"):
        publish(paths)
    _reference_copy_database(paths.working, paths.folder / "copy_from_database.duckdb")
    with _timed("as-at rebuild at delivery 1 (copy, cut history, methods)"), \
            warehouse_as_at(paths.published, t0 + timedelta(days=1)):
        pass
    print(f"  revisions stored {revisions:,}; deliveries {deliveries:,}")
    print(f"  working database   {_mb(paths.working)}\n  published snapshot {_mb(paths.published)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench warehouse_load", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows per synthetic delivery")
    parser.add_argument("--naive-sample", type=int, default=5_000, help="rows timed for the row-by-row reference")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases in DIR (default: a temporary folder)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-warehouse-") as temporary:
        folder = Path(args.keep) if args.keep else Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        sample_run(folder)
        synthetic_run(folder, args.rows, args.naive_sample)
    print(f"\nTotal {time.perf_counter() - started:.1f} s; peak memory of this process {_peak_mb():,.0f} MB "
          f"(DuckDB {duckdb.__version__})")
    return 0
