"""Taking data out: any analyst view to Parquet or CSV, and versioned Parquet snapshots of every view.

Exports use their own connection (read-only, allowed to write files) and fixed statements: the view name is
checked against the views that exist in the file and quoted, the output path is a bound parameter. Each
file is written under a temporary name and renamed, so a reader never sees half a file.

Versioned Parquet snapshots are for readers who cannot use the rename swap of the published DuckDB file:
over a network share or on Windows a file that is open cannot be replaced. ``export_snapshot`` writes every
view to a new folder named after the snapshot's publication time, with the data dictionary beside them, and
then points ``LATEST`` at it; folders are never overwritten, so an open file is never pulled away.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.connection import connect_export
from warehouse.dictionary import analyst_views, views_markdown
from warehouse.sqlfiles import fetch_one

FORMATS = ("parquet", "csv")
COPY_SQL = {
    "parquet": "COPY (SELECT * FROM {view}) TO $path (FORMAT parquet, COMPRESSION zstd)",
    "csv": "COPY (SELECT * FROM {view}) TO $path (FORMAT csv, HEADER true)",
}
LATEST = "LATEST"
PUBLISHED_AT = "SELECT max(published_at) FROM snapshot_info"


class ExportError(ValueError):
    """Unknown view or format; the message lists the ones that exist."""


def _copy_view(con: duckdb.DuckDBPyConnection, view: str, fmt: str, output: Path) -> int:
    views = analyst_views(con)
    if view not in views:
        raise ExportError(f"no analyst view {view!r}; the views are: {', '.join(views)}")
    if fmt not in COPY_SQL:
        raise ExportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    quoted = '"' + view.replace('"', '""') + '"'  # a name that exists in the file, quoted
    rows = con.execute(COPY_SQL[fmt].format(view=quoted), {"path": str(output)}).fetchall()
    return int(rows[0][0]) if rows else 0


def export_view(published: Path, view: str, fmt: str, output: Path) -> int:
    """Write one view of ``published`` to ``output``; returns the number of rows written."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with connect_export(published) as con:
            rows = _copy_view(con, view, fmt, temporary)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return rows


def export_snapshot(published: Path, out_dir: Path) -> Path:
    """Every view of ``published`` as Parquet in ``out_dir/<published_at>/``; returns that folder.

    Exporting the same published snapshot again finds its folder and writes nothing.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with connect_export(published) as con:
        published_at = fetch_one(con, PUBLISHED_AT)[0] or datetime.now()
        version = out_dir / f"{published_at:%Y%m%dT%H%M%S}"
        if not version.is_dir():
            building = out_dir / f".{version.name}.{os.getpid()}.tmp"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            try:
                for view in analyst_views(con):
                    _copy_view(con, view, "parquet", building / f"{view}.parquet")
                (building / "data_dictionary.md").write_text(views_markdown(con), encoding="utf-8")
                os.replace(building, version)
            finally:
                shutil.rmtree(building, ignore_errors=True)
    pointer = out_dir / f".{LATEST}.{os.getpid()}.tmp"
    pointer.write_text(version.name + "\n", encoding="utf-8")
    os.replace(pointer, out_dir / LATEST)
    return version
