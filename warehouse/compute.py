"""Run the methods of METHODS.md as set-based SQL over every indicator, area and period at once.

Each step is one .sql file under sql/methods; labels and thresholds are bound from
indicators.methods so SQL and the Python reference use the same words and numbers.
"""

from __future__ import annotations

import duckdb

from indicators.methods import labels
from indicators.methods.trend import CHI2_THRESHOLD
from warehouse.sqlfiles import fetch_one, run, sql_text

# step -> (SQL file that rebuilds it, the table it builds)
STEPS: dict[str, tuple[str, str]] = {
    "observations": ("methods/00_current_observations.sql", "mart.observation_current"),
    "quartile_positions": ("methods/10_quartile_positions.sql", "mart.quartile_position"),
    "trends": ("methods/20_trends.sql", "mart.trend"),
    "benchmark_comparisons": ("methods/30_benchmark_comparisons.sql", "mart.benchmark_comparison"),
    "outcome_board": ("methods/90_outcome_board.sql", "mart.outcome_board"),
}

PARAMS = {
    "not_ranked": labels.NOT_RANKED,
    "quartile_method": labels.QUARTILE_METHOD,
    "trend_method": labels.TREND_METHOD,
    "direction_method": labels.DIRECTION_METHOD,
    "benchmark_method": labels.BENCHMARK_METHOD,
    "cannot": labels.CANNOT_BE_CALCULATED,
    "no_change": labels.NO_SIGNIFICANT_CHANGE,
    "not_comparable": labels.NOT_COMPARABLE,
    "chi2_threshold": CHI2_THRESHOLD,
}


def compute_step(con: duckdb.DuckDBPyConnection, step: str) -> int:
    """Rebuild one method table; returns its row count."""
    file, table = STEPS[step]
    run(con, sql_text(file), PARAMS)
    return int(fetch_one(con, f"SELECT count(*) FROM {table}")[0])  # table names are constants
