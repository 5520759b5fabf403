"""Read-only lookups the orchestration reports, never recomputes: an earlier load of the same bytes, which
catalogue indicators the Outcome Board lists without data for the home area, and which are overdue.

Why a module of its own: the Dagster checks and the filing of landing files read what the warehouse
already decided (load status, outcome_board.status); the SQL for that lives in sql/status.sql.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from sources.filing import EarlierLoad
from warehouse.sqlfiles import fetch_one, named_queries, run

STATUS_SQL = "status.sql"


def earlier_load(con: duckdb.DuckDBPyConnection, load_id: int) -> EarlierLoad:
    found = fetch_one(con, named_queries(STATUS_SQL)["earlier_load"], {"load_id": load_id})
    if found is None:
        raise LookupError(f"load {load_id} is not in core.load")
    load, source_file, status, message = found
    return EarlierLoad(int(load), str(source_file), status == "rejected", message)


@dataclass(frozen=True)
class MissingIndicator:
    indicator_id: str
    indicator_name: str
    outcome_name: str
    source_id: str


@dataclass(frozen=True)
class HomeCoverage:
    """outcome_board as the warehouse computed it: how many indicators, which have no home-area data."""

    indicators: int
    missing: list[MissingIndicator]


def home_area_coverage(con: duckdb.DuckDBPyConnection) -> HomeCoverage:
    queries = named_queries(STATUS_SQL)
    missing = [MissingIndicator(*row) for row in run(con, queries["indicators_without_home_data"]).fetchall()]
    return HomeCoverage(int(fetch_one(con, queries["outcome_board_size"])[0]), missing)


@dataclass(frozen=True)
class OverdueIndicator:
    indicator_id: str
    indicator_name: str
    outcome_name: str
    latest_period: str | None
    expected_period: str | None
    source_id: str


def overdue_indicators(con: duckdb.DuckDBPyConnection) -> list[OverdueIndicator]:
    """Indicators outcome_board flags overdue (the freshness method's decision, read as it stands)."""
    return [OverdueIndicator(*row) for row in run(con, named_queries(STATUS_SQL)["overdue_indicators"]).fetchall()]
