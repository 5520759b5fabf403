"""Recompute every method table in order, outside Dagster.

The pipeline runs these steps as separate assets; a withdrawal (``outcomes withdraw``) and an as-at
reconstruction change which observations are current and must rebuild the same tables in the same order
before they publish or answer a query. The steps themselves are warehouse.compute's.
"""

from __future__ import annotations

import duckdb

from warehouse.compute import STEPS, compute_step, mark_computed


def rebuild_methods(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild each method table (warehouse.compute.STEPS, in order); returns the row count of each."""
    counts = {step: compute_step(con, step) for step in STEPS}
    mark_computed(con)
    return counts
