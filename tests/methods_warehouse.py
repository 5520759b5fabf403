"""A small in-memory warehouse for method tests: reference tables from a catalogue, observations inserted
directly (the loader is tested elsewhere), then every method step run as the pipeline runs it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, Indicator
from indicators.periods import Convention, parse_period
from indicators.settings import Settings
from warehouse.compute import STEPS, compute_step
from warehouse.reference import write_reference
from warehouse.sqlfiles import run_script

ORDER = ["observations", "quartile_positions", "trends", "benchmark_comparisons", "outcome_board"]
OBSERVATION_COLUMNS = [
    "load_id", "indicator_id", "area_code", "period", "period_start", "period_end", "period_type", "sex", "age",
    "category_type", "category", "value", "lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998", "count",
    "denominator", "value_note", "published_trend", "published_comparison", "commentary", "source_id",
    "source_file", "source_row", "file_checksum", "loaded_at", "superseded_at",
]
DEFAULTS: dict[str, Any] = {"load_id": 0, "sex": "Persons", "age": "All ages", "category_type": "", "category": "",
                            "value_note": "", "source_id": "test", "source_file": "test.csv", "source_row": 2,
                            "file_checksum": "test", "loaded_at": datetime(2025, 1, 1)}


def open_warehouse(catalogue: Catalogue, areas: AreaRegister, groups: ComparatorGroups,
                   settings: Settings) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    write_reference(con, catalogue, areas, groups, settings)
    for step in ORDER:
        compute_step(con, step)
    run_script(con, "views.sql")  # the analyst views (and their COMMENT ON) over the method tables
    return con


def observation_frame(rows: Iterable[Mapping[str, Any]], convention: Convention | None = None) -> pd.DataFrame:
    """Canonical observation rows from dicts holding at least indicator_id, area_code, period and value;
    period dates and type are parsed from the label as the adapters do."""
    out = []
    for row in rows:
        full = {c: None for c in OBSERVATION_COLUMNS} | DEFAULTS | dict(row)
        period = parse_period(full["period"], convention)
        full.update(period=period.label, period_start=period.start, period_end=period.end,
                    period_type=period.type.value)
        out.append(full)
    frame = pd.DataFrame(out, columns=OBSERVATION_COLUMNS)
    for column in ("value", "lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998", "count", "denominator"):
        frame[column] = frame[column].astype("float64")
    return frame


def insert_observations(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    con.register("_test_observations", frame)
    try:
        columns = ", ".join(OBSERVATION_COLUMNS)
        con.execute(f"INSERT INTO core.observation (revision_id, change, {columns}) "
                    f"SELECT (SELECT coalesce(max(revision_id), 0) FROM core.observation) + row_number() OVER (), "
                    f"'new', {columns} FROM _test_observations")
    finally:
        con.unregister("_test_observations")


def run_methods(con: duckdb.DuckDBPyConnection, run_date: date | None = None) -> None:
    assert set(ORDER) <= set(STEPS)
    for step in ORDER:
        compute_step(con, step, run_date)


def table(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def indicator(ident: str, polarity: str = "high_is_good", **fields: Any) -> dict[str, Any]:
    """A catalogue entry for method tests (a test-only source, so it never clashes with a real selector)."""
    return {"id": ident, "name": ident.replace("_", " "), "outcome": "se", "success_measure": "test",
            "polarity": polarity, "value_type": "proportion", "unit": "%", "multiplier": 100, "decimals": 1,
            "frequency": "annual", "publication_lag_months": 6, "source": {"source": "method_test", "code": ident},
            "lead_board": "Test board"} | fields


def method_catalogue(base: Catalogue, entries: Iterable[Mapping[str, Any]]) -> Catalogue:
    """The packaged catalogue's outcomes with only the given test indicators."""
    indicators = {e["id"]: Indicator.model_validate(dict(e)) for e in entries}
    return Catalogue(base.outcomes, base.sub_outcomes, indicators)
