"""Creating the warehouse's tables and its documented analyst views.

``ensure_schema`` runs at the start of every pipeline step that writes (idempotent). It refuses a working
database written by an incompatible version of this code with a message that says what to do, rather than
loading new rows into tables of another shape. ``apply_views`` (re)creates the analyst views, the
``observations_as_at`` macro and every COMMENT ON; it runs at publish, so the published file and every
snapshot taken from it carry their own documentation.
"""

from __future__ import annotations

import duckdb

from warehouse.sqlfiles import fetch_one, run_script, transaction

# Version 2: revision ids, deliveries, withdrawals, publication info (issue 5). Bump on any change to the
# core tables that an existing working database would not have.
SCHEMA_VERSION = 2


class WarehouseSchemaMismatch(RuntimeError):
    """The working database was written by a version of the code with another table layout."""


def _database_path(con: duckdb.DuckDBPyConnection) -> str:
    found = fetch_one(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    return str(found[0]) if found and found[0] else "(in memory)"


def _existing_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """None for an empty database; 1 for one made before versions were recorded."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'core'").fetchall()}
    if "observation" not in tables:
        return None
    if "schema_version" not in tables:
        return 1
    found = fetch_one(con, "SELECT max(version) FROM core.schema_version")
    return int(found[0]) if found and found[0] is not None else None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    version = _existing_version(con)
    if version is not None and version != SCHEMA_VERSION:
        raise WarehouseSchemaMismatch(
            f"{_database_path(con)} has warehouse schema version {version}; this code writes version "
            f"{SCHEMA_VERSION}. Move that working database aside and run the pipeline again over the source "
            f"files (from the landing folder and landing/processed/) to rebuild it.")
    with transaction(con):
        run_script(con, "schema.sql")
        if version is None:
            con.execute("DELETE FROM core.schema_version")
            con.execute("INSERT INTO core.schema_version VALUES ($v)", {"v": SCHEMA_VERSION})
        run_script(con, "macros.sql")


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """The analyst views with their view comments, then every column comment."""
    run_script(con, "views.sql")
    run_script(con, "comments.sql")
