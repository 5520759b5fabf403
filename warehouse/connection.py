"""Connections to the warehouse, opened and always closed here (try/finally), read-only for analysts.

Why our own: the stock Dagster DuckDB resource always opens read-write and retries for about 100 s, and
the DuckDB IO manager leaves connections open on error. Three kinds of connection, one function each:

- ``connect_working``: the pipeline's read-write connection to the working database (nobody else's), also
  used on private copies being prepared (a quarter's frozen snapshot, an as-at reconstruction);
- ``connect_read_only``: analysts, ``outcomes query`` and the reports. ``read_only=True`` alone still allows
  ``COPY ... TO`` and ``ATTACH``, so external access is disabled too: no file can be read or written;
- ``connect_export``: read-only but allowed to write files, used only by our own export code with fixed
  statements (``outcomes export``), never for analysts' SQL.

When DuckDB's file lock is met the error names the file and the process holding it (PID, program and,
where the system tells us, its command line), so the BI team knows which run to wait for.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

ANALYST_CONFIG = {"enable_external_access": False}
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseLocked(RuntimeError):
    """Another process holds the file lock; the message names the file and the holder."""


class WarehouseMissing(FileNotFoundError):
    pass


def lock_holder(message: str) -> str | None:
    """'PID 123 (/usr/bin/python3: outcomes run --landing ...)' from DuckDB's lock error, if it names one."""
    found = _HOLDER.search(message)
    if not found:
        return None
    pid, program = found["pid"], found["program"]
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:  # not Linux, or the holder has just exited
        command = ""
    return f"PID {pid} ({program}{': ' + command if command else ''})"


def _open(path: Path, read_only: bool, config: dict) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" not in text.lower():
            raise
        holder = lock_holder(text) or "another process"
        if read_only:
            advice = ("Someone has this file open read-write; analysts must open the published file with "
                      "read_only=True so that nobody blocks anybody.")
        else:
            advice = ("Only one pipeline run (or withdraw) writes the working database at a time: wait for that "
                      "one to finish. Analysts never open this file; they read the published file read-only.")
        raise WarehouseLocked(f"{path} is locked by {holder}. {advice}") from None


MEMORY_LIMIT_ENV = "OUTCOMES_DUCKDB_MEMORY_LIMIT"


def working_config() -> dict[str, str]:
    """DuckDB settings of the pipeline's connections: its own progress bar only on a terminal (in logs it is
    noise), and the memory limit from OUTCOMES_DUCKDB_MEMORY_LIMIT (e.g. ``3GB``; default DuckDB's, 80% of
    RAM): a national run stays within it by spilling to disk."""
    config: dict[str, str] = {}
    if os.environ.get(MEMORY_LIMIT_ENV):
        config["memory_limit"] = os.environ[MEMORY_LIMIT_ENV]
    return config


@contextmanager
def connect_working(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-write: the pipeline's working database, or a private copy that nobody else has opened."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False, config=working_config())
    con.execute(f"SET enable_progress_bar = {str(sys.stderr.isatty()).lower()}")  # a session setting only
    try:
        yield con
    finally:
        con.close()


def _require(path: Path) -> None:
    if not path.is_file():
        raise WarehouseMissing(f"no published warehouse at {path}; run `outcomes run` first")


@contextmanager
def connect_read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The analysts' connection: read-only and without external access (no COPY TO, no ATTACH, no file reads)."""
    _require(path)
    con = _open(path, read_only=True, config=dict(ANALYST_CONFIG))
    try:
        yield con
    finally:
        con.close()


@contextmanager
def connect_export(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only, but able to write files: for warehouse.export's fixed statements only."""
    _require(path)
    con = _open(path, read_only=True, config={})
    try:
        yield con
    finally:
        con.close()
