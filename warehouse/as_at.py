"""As-at queries: the warehouse as it stood at an earlier moment, rebuilt from the revision history.

Every revision records when it became current (loaded_at) and when it stopped (superseded_at), and every
load when it was withdrawn, so the observations current at time T are exactly those with
loaded_at <= T < superseded_at. ``warehouse_as_at`` takes a private copy of a published file, removes what
happened after T (warehouse/sql/as_at.sql), recomputes the method tables (quartiles, trends, comparisons,
outcome board) and yields the rebuilt file: every view then shows what it showed at T, provided the
catalogue and the methods have not changed since (for figures exactly as signed off, read the quarter's
frozen snapshot instead). Analysts can also ask SQL directly: ``SELECT * FROM observations_as_at(...)``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

from warehouse.connection import WarehouseMissing, connect_working
from warehouse.rebuild import rebuild_methods
from warehouse.schema import apply_views
from warehouse.sqlfiles import named_queries, run, transaction

AS_AT_SQL = "as_at.sql"


def parse_as_at(text: str) -> datetime:
    """``2024-07-01`` = the end of that day (everything loaded on it counts); ``2024-07-01T09:30`` = that moment."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), time.max)
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"as-at {text!r} is not a date (2024-07-01) or a date and time (2024-07-01T09:30)") from None


@contextmanager
def warehouse_as_at(published: Path, as_at: datetime) -> Iterator[Path]:
    """A temporary warehouse file showing what ``published`` said at ``as_at``; deleted afterwards."""
    if not published.is_file():
        raise WarehouseMissing(f"no published warehouse at {published}; run `outcomes run` first")
    with tempfile.TemporaryDirectory(prefix="outcomes-as-at-") as folder:
        copy = Path(folder) / "as_at.duckdb"
        shutil.copyfile(published, copy)
        with connect_working(copy) as con:
            with transaction(con):
                for sql in named_queries(AS_AT_SQL).values():
                    run(con, sql, {"as_at": as_at}).fetchall()
            rebuild_methods(con)
            apply_views(con)
            con.execute("CHECKPOINT")
        yield copy
