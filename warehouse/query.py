"""The read-only query entry point used by ``outcomes query`` and the reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.connection import connect_read_only


def query(path: Path, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """Run ``sql`` against the published warehouse, read-only, without external access."""
    with connect_read_only(path) as con:
        return con.execute(sql, params).df() if params else con.execute(sql).df()
