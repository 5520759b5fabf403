"""SQL lives in .sql files beside this module; this reads them and binds only the parameters they use.

Named blocks (``-- name: x``) let one file hold the small statements of one job (load.sql).
Parameters are always bound by DuckDB (``$name``), never formatted into the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_NAME = re.compile(r"^-- name: (\w+)\s*$", re.M)


@cache
def sql_text(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


@cache
def named_queries(relative: str) -> dict[str, str]:
    text = sql_text(relative)
    parts = _NAME.split(text)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


def bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The subset of ``params`` that ``sql`` uses; a missing one is an error naming it."""
    used = set(_PARAM.findall(sql))
    missing = used - set(params)
    if missing:
        raise KeyError(f"SQL parameter(s) not supplied: {sorted(missing)}")
    return {k: params[k] for k in used}


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None):
    bound = bind(sql, params or {})
    return con.execute(sql, bound) if bound else con.execute(sql)


def run_named(con: duckdb.DuckDBPyConnection, file: str, name: str, params: dict[str, Any] | None = None):
    return run(con, named_queries(file)[name], params)


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> tuple | None:
    """First row of a small result, fetched completely (DuckDB 2.0 refuses other work on a connection
    while a result is unfinished)."""
    rows = run(con, sql, params).fetchall()
    return rows[0] if rows else None


def run_script(con: duckdb.DuckDBPyConnection, relative: str) -> None:
    """A parameter-free multi-statement file (schema, views)."""
    con.execute(sql_text(relative))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends normally, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
