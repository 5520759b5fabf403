"""Connections to the warehouse, opened and always closed here (try/finally), read-only for analysts.

Why our own: the stock Dagster DuckDB resource always opens read-write and retries for about 100 s, and
the DuckDB IO manager leaves connections open on error. Analysts must never be able to write: read-only
alone still allows COPY TO and ATTACH, so analyst connections also disable external access.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

ANALYST_CONFIG = {"enable_external_access": False}


class WarehouseLocked(RuntimeError):
    """Another process holds the write lock; the message names the file and the holder."""


class WarehouseMissing(FileNotFoundError):
    pass


def _open(path: Path, read_only: bool, config: dict) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise WarehouseLocked(
                f"{path} is locked by another process: {text}. Only the pipeline writes the working "
                "database; analysts should open the published file read-only."
            ) from None
        raise


@contextmanager
def connect_working(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The pipeline's read-write connection to the working database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False, config={})
    try:
        yield con
    finally:
        con.close()


@contextmanager
def connect_read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The analysts' connection: read-only and without external access (no COPY TO, no ATTACH)."""
    if not path.is_file():
        raise WarehouseMissing(f"no published warehouse at {path}; run `outcomes run` first")
    con = _open(path, read_only=True, config=dict(ANALYST_CONFIG))
    try:
        yield con
    finally:
        con.close()
