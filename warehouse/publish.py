"""Publishing: a checkpointed copy of the working database, renamed atomically onto the published file.

Analysts holding the old snapshot keep reading it (on the same host the rename leaves their open file
intact); new connections see the new one. The whole publish happens while the pipeline holds the working
database's write lock, so two runs can never interleave their copies, and a run killed at any point leaves
the published file as it was: the copy is written by DuckDB (``COPY FROM DATABASE``, consistent and
compact) to a temporary file beside the published one, and only ``os.replace`` makes it visible.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.connection import connect_working
from warehouse.paths import WarehousePaths
from warehouse.schema import apply_views
from warehouse.sqlfiles import fetch_one, transaction

CLEAR_PUBLICATION = "DELETE FROM core.publication"
RECORD_PUBLICATION = "INSERT INTO core.publication (published_at) VALUES ($published_at)"


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(temporary: Path, target: Path) -> Path:
    """Make a complete ``temporary`` file visible as ``target`` in one step, durably."""
    fsync_path(temporary)
    os.replace(temporary, target)
    fsync_path(target.parent)
    return target


def temporary_name(target: Path) -> Path:
    """Hidden, per-process name beside ``target`` (same filesystem, so the rename is atomic)."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def remove_leftovers(target: Path) -> list[Path]:
    """Temporary copies (and their WAL) left by a publisher that was killed. Only call while holding the
    lock that serialises publishers of ``target``: then no other publisher can be writing one."""
    found = sorted(target.parent.glob(f".{target.name}.*.tmp*"))
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def copy_database(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Write everything in ``con``'s database (tables, views, macros, sequences, comments) to a new file."""
    target.unlink(missing_ok=True)
    source = fetch_one(con, "SELECT current_database()")[0]
    con.execute("ATTACH $path AS publish_copy", {"path": str(target)})
    try:
        con.execute(f"COPY FROM DATABASE {_quoted(source)} TO publish_copy")  # our own database's name
    finally:
        con.execute("DETACH publish_copy")


def publish(paths: WarehousePaths, now: datetime | None = None) -> Path:
    """Record the publication, refresh the documented views, and atomically replace the published file."""
    paths.ensure()
    with connect_working(paths.working) as con:
        remove_leftovers(paths.published)
        with transaction(con):
            con.execute(CLEAR_PUBLICATION)
            con.execute(RECORD_PUBLICATION, {"published_at": now or datetime.now()})
            apply_views(con)
        con.execute("CHECKPOINT")
        temporary = temporary_name(paths.published)
        try:
            copy_database(con, temporary)
            replace_atomically(temporary, paths.published)
        finally:
            temporary.unlink(missing_ok=True)
    return paths.published
