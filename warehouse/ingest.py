"""Ingest files: skip bytes already loaded, otherwise judge each file (sources.validate) and load it.

The checksum is looked up before validation, so a file delivered twice costs one hash, not a second
validation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from sources.adapters.base import Adapter
from sources.files import file_checksum
from sources.validate import FileResult, ValidationContext, file_rejected, validate_file
from warehouse.load import LoadOutcome, load_file, load_query
from warehouse.sqlfiles import fetch_one


@dataclass(frozen=True)
class Ingested:
    path: Path
    result: FileResult | None  # None when the same bytes were loaded before
    outcome: LoadOutcome


def already_loaded(con: duckdb.DuckDBPyConnection, checksum: str) -> int | None:
    found = fetch_one(con, load_query("find_loaded_checksum"), {"checksum": checksum})
    return None if found is None else int(found[0])


def ingest(con: duckdb.DuckDBPyConnection, paths: Iterable[Path], context: ValidationContext,
           adapter: Adapter | None = None, progress: Callable[[int, int, Path], None] | None = None,
           now: datetime | None = None) -> list[Ingested]:
    """Judge and load each file in its own transaction; ``now`` fixes the load time (tests, replays)."""
    paths = list(paths)
    done: list[Ingested] = []
    for n, path in enumerate(paths, start=1):
        checksum = file_checksum(path)
        previous = already_loaded(con, checksum)
        if previous is not None:
            done.append(Ingested(path, None, LoadOutcome(None, previous, 0, 0, 0)))
        else:
            result = validate_file(path, context, adapter, con=con, checksum=checksum)
            done.append(Ingested(path, result, load_file(con, result, now)))
        if progress:
            progress(n, len(paths), path)
    return done


def record_unreadable(con: duckdb.DuckDBPyConnection, path: Path, message: str) -> Ingested:
    """A file no adapter reads is recorded as a rejected load, so it is counted and reported."""
    checksum = file_checksum(path)
    previous = already_loaded(con, checksum)
    if previous is not None:
        return Ingested(path, None, LoadOutcome(None, previous, 0, 0, 0))
    result = file_rejected(path, checksum, None, message)
    return Ingested(path, result, load_file(con, result))
