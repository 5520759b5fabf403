"""Publishing: a checkpointed copy of the working database, renamed atomically onto the published file.

Analysts holding the old snapshot keep reading it (the rename leaves their open file intact on the same
host); new connections see the new one. A killed run never leaves a half-written published file: the copy
is written to a temporary name first and only an atomic ``os.replace`` makes it visible.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from warehouse.connection import connect_working
from warehouse.paths import WarehousePaths
from warehouse.sqlfiles import run_script


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_copy(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` so that ``target`` is always either the old or the new file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def publish(paths: WarehousePaths) -> Path:
    """Refresh the analyst views, checkpoint, close, and atomically replace the published file."""
    with connect_working(paths.working) as con:
        run_script(con, "views.sql")
        con.execute("CHECKPOINT")
    return atomic_copy(paths.working, paths.published)
