"""The data dictionary of the analyst views, written from the warehouse's own COMMENT ON text.

The comments in views.sql and comments.sql are the single source: the DuckDB CLI and DBeaver show them,
``views_markdown`` turns them into the Markdown section of docs/data_dictionary.md (``outcomes docs``), and
the Parquet snapshots carry the same text. Without a published file at hand, ``documented_warehouse`` builds
an empty in-memory warehouse with every view, so the dictionary never needs real data.
"""

from __future__ import annotations

import duckdb

from warehouse.rebuild import rebuild_methods
from warehouse.schema import apply_views, ensure_schema

# The warehouse contract's order (ARCHITECTURE.md); any other view follows alphabetically.
VIEW_ORDER = ["indicators", "areas", "comparator_groups", "observations", "observation_history",
              "quartile_positions", "trends", "benchmark_comparisons", "target_status", "outcome_board",
              "rejected_rows", "loads", "snapshot_info"]

VIEWS_SQL = """SELECT view_name, comment FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal"""
COLUMNS_SQL = """SELECT column_name, data_type, comment FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $view
ORDER BY column_index"""
MACROS_SQL = """SELECT DISTINCT function_name, comment, parameters FROM duckdb_functions()
WHERE database_name = current_database() AND schema_name = 'main' AND function_type = 'table_macro'
ORDER BY function_name"""

INTRO = """## Analyst views

The published warehouse (`--warehouse PATH`, default `build/warehouse/outcomes.duckdb`) holds these views in
its main schema; their names and columns are stable. Open it read-only without external access (see the
README, "Querying the warehouse"). The text below is the views' own `COMMENT ON` documentation, which the
DuckDB CLI (`SELECT * FROM duckdb_columns()`) and DBeaver also show.
"""


def documented_warehouse() -> duckdb.DuckDBPyConnection:
    """An empty in-memory warehouse with every table, method table, view and comment."""
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    rebuild_methods(con)
    apply_views(con)
    return con


def analyst_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The views in main, in the contract's order."""
    names = [r[0] for r in con.execute(VIEWS_SQL).fetchall()]
    rank = {name: i for i, name in enumerate(VIEW_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def _cell(text: object) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def views_markdown(con: duckdb.DuckDBPyConnection | None = None) -> str:
    """The views' section of the data dictionary, as Markdown (from ``con``, else an empty warehouse)."""
    own = con is None
    con = con or documented_warehouse()
    try:
        comments = dict(con.execute(VIEWS_SQL).fetchall())
        parts = [INTRO]
        for view in analyst_views(con):
            parts.append(f"### `{view}`\n\n{_cell(comments[view])}\n\n| column | type | description |\n|---|---|---|")
            for column, data_type, comment in con.execute(COLUMNS_SQL, {"view": view}).fetchall():
                parts.append(f"| `{column}` | {_cell(data_type)} | {_cell(comment)} |")
            parts.append("")
        for name, comment, parameters in con.execute(MACROS_SQL).fetchall():
            parts.append(f"### `{name}({', '.join(parameters)})` (table macro)\n\n{_cell(comment)}\n")
        return "\n".join(parts).rstrip() + "\n"
    finally:
        if own:
            con.close()
