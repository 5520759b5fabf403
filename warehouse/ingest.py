"""Ingest files: skip bytes already loaded, otherwise judge each file (sources.validate) and load it.

The checksum is looked up before validation, so a file delivered twice costs one hash, not a second
validation.

Files are loaded one at a time, in order, each in its own transaction, while the next ones are judged
meanwhile on other cursors of the same DuckDB instance (threads; DuckDB releases the GIL). Why: a file of
100,000 rows is a single DuckDB row group, which one thread processes, so judging and loading one file at
a time kept one of the two cores idle (bench/pipeline.py). Judging only reads the file and writes the
judging database (sources.rawtable), so a failure or a kill while file n loads leaves the later files
untouched, exactly as before; a judgement that is not loaded is dropped.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from sources.adapters.base import Adapter
from sources.files import file_checksum
from sources.validate import FileResult, ValidationContext, file_rejected, validate_file
from warehouse.load import LoadOutcome, load_file, load_query
from warehouse.sqlfiles import fetch_one

# Files judged while one loads: one per core (2 on the machines this runs on; a third barely helps there, one
# leaves a core idle a third of the time), at most 8 (each holds a judged file in memory).
JUDGE_AHEAD = min(max(os.cpu_count() or 2, 2), 8)


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
    for n, one in enumerate(ingest_each(con, paths, context, adapter, now), start=1):
        done.append(one)
        if progress:
            progress(n, len(paths), one.path)
    return done


@dataclass(frozen=True)
class _Judged:
    checksum: str
    result: FileResult | None  # None: the worker found these bytes loaded already


class _Judges:
    """Worker threads that judge files ahead of the loader, each on its own cursor of ``con``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, context: ValidationContext, adapter: Adapter | None,
                 workers: int):
        self._con, self._context, self._adapter = con, context, adapter
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="judge")

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                cursor = self._local.cursor = self._con.cursor()
                self._cursors.append(cursor)
            cursor.execute("SET enable_progress_bar = false")  # the take-in's own bar counts the files
        return cursor

    def judge(self, path: Path) -> _Judged:
        con = self._cursor()
        checksum = file_checksum(path)
        if already_loaded(con, checksum) is not None:
            return _Judged(checksum, None)
        return _Judged(checksum, validate_file(path, self._context, self._adapter, con=con, checksum=checksum))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for cursor in self._cursors:
            cursor.close()


_THREADS = "SELECT current_setting('threads')"
_SET_THREADS = "SET threads = {threads:d}"  # an integer of ours (SET takes no parameters)


@contextmanager
def one_thread_per_statement(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's ``threads`` set to 1 (for the whole instance) until the block ends, then restored. Not nestable:
    one take-in at a time per DuckDB instance, as the pipeline runs.

    Why: while as many files as cores are taken in, the judges and the loader already keep every core busy, one
    statement each, and a file of 100,000 rows is one row group, so a second thread inside a statement only
    adds coordination. Measured on the 10-million-row benchmark input (40 files, two runs each, alternated):
    19.6 and 20.4 s with one thread per statement against 20.9 and 22.4 s without; a file's CSV read alone
    took 315 ms against 418 ms. The benchmark's bare load runs the same way."""
    before = int(con.execute(_THREADS).fetchall()[0][0])
    con.execute(_SET_THREADS.format(threads=1))
    try:
        yield
    finally:
        con.execute(_SET_THREADS.format(threads=before))


def ingest_each(con: duckdb.DuckDBPyConnection, paths: Iterable[Path], context: ValidationContext,
                adapter: Adapter | None = None, now: datetime | None = None,
                ahead: int = JUDGE_AHEAD) -> Iterator[Ingested]:
    """Each file judged and loaded (its own transaction), in order, yielded once loaded; the next ``ahead``
    files are judged meanwhile. A file's exception is raised when its turn comes, so it names that file.
    With at least as many files as judges (``ahead``, at least 2), each statement runs on one DuckDB thread
    (:func:`one_thread_per_statement`); fewer files keep every thread. The consumer closes the generator when it
    stops early (or at the end, to restore the threads at once)."""
    waiting = deque(paths)
    judges = _Judges(con, context, adapter, max(ahead, 1))
    queued: deque[tuple[Path, Future[_Judged]]] = deque()
    with one_thread_per_statement(con) if len(waiting) >= max(ahead, 2) else nullcontext():
        try:
            while waiting or queued:
                while waiting and len(queued) <= ahead:
                    path = waiting.popleft()
                    queued.append((path, judges.pool.submit(judges.judge, path)))
                path, future = queued.popleft()
                yield _load_judged(con, path, future.result(), context, adapter, now)
        finally:
            judges.close()
            for _, future in queued:  # judged but never loaded (an earlier file failed): drop the judgement
                if future.done() and not future.cancelled() and future.exception() is None:
                    result = future.result().result
                    if result is not None and result.accepted_rows is not None:
                        result.accepted_rows.release(con)


def _load_judged(con: duckdb.DuckDBPyConnection, path: Path, judged: _Judged, context: ValidationContext,
                 adapter: Adapter | None, now: datetime | None) -> Ingested:
    """Load a judged file, unless its bytes were loaded meanwhile (the same file twice in one run): the
    loader's connection decides, as the files before it are committed now."""
    previous = already_loaded(con, judged.checksum)
    result = judged.result
    if previous is not None:
        if result is not None and result.accepted_rows is not None:
            result.accepted_rows.release(con)
        return Ingested(path, None, LoadOutcome(None, previous, 0, 0, 0))
    if result is None:  # the load the worker saw is gone (withdrawn meanwhile): judge it here
        result = validate_file(path, context, adapter, con=con, checksum=judged.checksum)
    return Ingested(path, result, load_file(con, result, now))


def record_unreadable(con: duckdb.DuckDBPyConnection, path: Path, message: str) -> Ingested:
    """A file no adapter reads is recorded as a rejected load, so it is counted and reported."""
    checksum = file_checksum(path)
    previous = already_loaded(con, checksum)
    if previous is not None:
        return Ingested(path, None, LoadOutcome(None, previous, 0, 0, 0))
    result = file_rejected(path, checksum, None, message)
    return Ingested(path, result, load_file(con, result))
