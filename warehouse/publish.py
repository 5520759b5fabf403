"""Publishing: a checkpointed copy of the working database, renamed atomically onto the published file.

Analysts holding the old snapshot keep reading it (on the same host the rename leaves their open file
intact); new connections see the new one. The whole publish happens while the pipeline holds the working
database's write lock and has no transaction open, after a CHECKPOINT: the file on disk is then the complete
database and nothing can write to it, so a plain file copy is consistent, and two runs can never interleave
their copies. (DuckDB's ``COPY FROM DATABASE`` would also do, but rewrites every table: an order of magnitude
slower at a million rows, see ``python -m bench warehouse_load``.) The copy is written to a temporary name
beside the published file, opened once to check that it is the snapshot just recorded, and only then
``os.replace`` makes it visible, so a run killed at any point leaves the published file as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from warehouse.connection import connect_read_only, connect_working
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


@contextmanager
def written_atomically(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write the new file to; when the block ends without error it
    replaces ``target`` in one step, so a reader (an analyst, a scrutiny officer opening a report) sees the
    old file or the new one, never a half-written one, even if the writer is killed. On error the temporary
    file is removed; a killed writer leaves it hidden beside the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_name(target)
    try:
        yield temporary
        replace_atomically(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def remove_leftovers(target: Path) -> list[Path]:
    """Temporary copies (and their WAL) left by a publisher that was killed. Only call while holding the
    lock that serialises publishers of ``target``: then no other publisher can be writing one."""
    found = sorted(target.parent.glob(f".{target.name}.*.tmp*"))
    for path in found:
        path.unlink(missing_ok=True)
    return found


class PublishCopyInvalid(RuntimeError):
    """The copy about to be published is not the snapshot just recorded; nothing was published."""


def _check_copy(copy: Path, published_at: datetime) -> None:
    with connect_read_only(copy) as con:
        found = fetch_one(con, "SELECT max(published_at) FROM core.publication")
    if not found or found[0] != published_at:
        raise PublishCopyInvalid(f"{copy} records publication {found}, expected {published_at}; not published")


def publish(paths: WarehousePaths, now: datetime | None = None) -> Path:
    """Record the publication, refresh the documented views, and atomically replace the published file."""
    paths.ensure()
    published_at = now or datetime.now()
    with connect_working(paths.working) as con:
        remove_leftovers(paths.published)
        with transaction(con):
            con.execute(CLEAR_PUBLICATION)
            con.execute(RECORD_PUBLICATION, {"published_at": published_at})
            apply_views(con)
        con.execute("CHECKPOINT")
        with written_atomically(paths.published) as temporary:
            shutil.copyfile(paths.working, temporary)
            _check_copy(temporary, published_at)
    return paths.published
