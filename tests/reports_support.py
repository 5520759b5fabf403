"""Helpers for the report tests: a published warehouse built from landing files through the domain packages
(the same calls the Dagster assets make, without Dagster, so each build takes about a second)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue
from indicators.settings import Settings
from sources.landing import landing_files
from sources.validate import ValidationContext
from warehouse.compute import STEPS, compute_step
from warehouse.connection import connect_working
from warehouse.ingest import ingest
from warehouse.paths import WarehousePaths
from warehouse.publish import publish
from warehouse.reference import write_reference

HOME = "E10000018"
RETURNS_CSV_HEADER = ["indicator_id", "area_code", "period", "value", "lower_ci95", "upper_ci95", "value_note",
                      "commentary"]


def run_pipeline(landing: Path, paths: WarehousePaths, catalogue: Catalogue, areas: AreaRegister,
                 groups: ComparatorGroups, settings: Settings) -> WarehousePaths:
    """Load every landing file (already-loaded bytes are skipped), recompute every method, publish."""
    paths.ensure()
    with connect_working(paths.working) as con:
        write_reference(con, catalogue, areas, groups, settings)
        ingest(con, landing_files(landing), ValidationContext(catalogue, areas))
        for step in STEPS:
            compute_step(con, step)
    publish(paths)
    return paths


def copy_landing(sample_dir: Path, target: Path) -> Path:
    shutil.copytree(sample_dir, target)
    return target


def write_returns_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=RETURNS_CSV_HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in RETURNS_CSV_HEADER})
    return path


def board_value(published: Path, indicator_id: str, column: str) -> object:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(f'SELECT "{column}" FROM outcome_board WHERE indicator_id = ?',  # column: test constant
                           [indicator_id]).fetchall()[0][0]


def set_board_values(published: Path, values: dict[str, dict[str, object]]) -> None:
    """Set outcome_board columns of some indicators in a (copied) published file, to show how the report
    renders states the sample data does not reach (e.g. a Red target). Column names come from the test."""
    with duckdb.connect(str(published)) as con:
        con.execute("UPDATE mart.outcome_board SET overdue = false")
        for indicator_id, changes in values.items():
            for column, value in changes.items():
                con.execute(f"UPDATE mart.outcome_board SET {column} = ? WHERE indicator_id = ?",
                            [value, indicator_id])
        con.execute("CHECKPOINT")


_BUILT: dict[str, WarehousePaths] = {}


def shared_sample_warehouse(tmp_path_factory, sample_dir: Path, catalogue: Catalogue, areas: AreaRegister,
                            groups: ComparatorGroups, settings: Settings) -> WarehousePaths:
    """One published warehouse of the SAMPLE DATA per test session; tests read it and never change it
    (a test that changes data copies it first)."""
    if "sample" not in _BUILT:
        root = tmp_path_factory.mktemp("reports-sample-warehouse")
        _BUILT["sample"] = run_pipeline(sample_dir, WarehousePaths(root / "outcomes.duckdb"), catalogue, areas,
                                        groups, settings)
    return _BUILT["sample"]
