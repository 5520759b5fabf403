"""Load one judged file into the working database in one transaction, keeping every revision.

The same bytes loaded twice change nothing (checksum). A value that differs from the current revision
supersedes it (the old one stays in observation_history); an identical value stores no new revision but is
recorded as a delivery of the current one, so that withdrawing the file that first brought a value cannot
drop a value a later file confirmed (warehouse.withdraw). A process killed mid-load leaves nothing: the
transaction never commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

import duckdb

from sources.sample import SAMPLE_PREFIX
from sources.validate import FileResult
from warehouse.sqlfiles import fetch_one, named_queries, run_named, transaction

LOAD_SQL = "load.sql"


def load_query(name: str) -> str:
    return named_queries(LOAD_SQL)[name]


@dataclass(frozen=True)
class LoadOutcome:
    load_id: int | None
    duplicate_of: int | None
    rows_new: int
    rows_revised: int
    rows_unchanged: int


def load_file(con: duckdb.DuckDBPyConnection, result: FileResult, now: datetime | None = None) -> LoadOutcome:
    """Record ``result`` (accepted rows, rejected rows, counts) as one load, atomically."""
    now = now or datetime.now()
    try:
        outcome = _load(con, result, now)
    except BaseException:
        with suppress(duckdb.Error):  # the load's own error is the one to report, not a failed clean-up
            _release(con, result)
        raise
    _release(con, result)
    return outcome


def _release(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """Loaded (or refused): the judgement's tables are not needed again."""
    if result.accepted_rows is not None and result.accepted_rows.visible_on(con):
        result.accepted_rows.release(con)


@contextmanager
def _incoming(con: duckdb.DuckDBPyConnection, result: FileResult) -> Iterator[list[str]]:
    """The accepted rows as the relation ``incoming`` (with a unique ``uid``) for load.sql; yields the
    indicators they hold. Judged on this connection or another cursor of its instance: a view over the
    judgement's own table (no round trip through pandas); otherwise the pandas frame, numbered."""
    judged = result.accepted_rows
    if judged is not None and judged.visible_on(con):
        con.execute(f"CREATE OR REPLACE TEMP VIEW incoming AS SELECT * FROM {judged.relation}")
        try:
            yield judged.indicators
        finally:
            con.execute("DROP VIEW IF EXISTS incoming")
        return
    frame = result.accepted
    con.register("incoming_frame", frame)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE incoming AS SELECT row_number() OVER () AS uid, * "
                    "FROM incoming_frame")
    finally:
        con.unregister("incoming_frame")
    try:
        yield sorted(frame["indicator_id"].unique().tolist())
    finally:
        con.execute("DROP TABLE IF EXISTS incoming")


def _classify(con: duckdb.DuckDBPyConnection, indicators: list[str]) -> None:
    """Fill ``incoming_revisions``: compared with the current revisions of ``indicators`` when there are
    any, else every row new without a comparison (the same table either way; a test holds them equal)."""
    if fetch_one(con, load_query("any_current_revision"), {"indicators": indicators})[0]:
        run_named(con, LOAD_SQL, "classify_incoming", {"indicators": indicators})
    else:
        run_named(con, LOAD_SQL, "classify_all_new")


def _load(con: duckdb.DuckDBPyConnection, result: FileResult, now: datetime) -> LoadOutcome:
    with transaction(con):
        found = fetch_one(con, load_query("find_loaded_checksum"), {"checksum": result.checksum})
        if found is not None:
            return LoadOutcome(None, int(found[0]), 0, 0, 0)
        load_id = int(fetch_one(con, load_query("next_load_id"))[0])
        run_named(con, LOAD_SQL, "insert_load", {
            "load_id": load_id, "source_file": result.path.name, "source_path": str(result.path),
            "checksum": result.checksum, "adapter": result.adapter_id, "rows_read": result.rows_read,
            "rows_accepted": result.rows_accepted, "rows_rejected": result.rows_rejected,
            "rows_skipped": result.rows_skipped,
            "skip_entries": [{"key": k, "value": v} for k, v in sorted(result.skipped.items())],
            "status": result.status, "message": result.file_error, "is_sample":
            result.path.name.startswith(SAMPLE_PREFIX), "started_at": now,
        })
        new = revised = unchanged = 0
        if result.rows_accepted:
            with _incoming(con, result) as indicators:
                _classify(con, indicators)
                new, revised, unchanged = (int(x) for x in fetch_one(con, load_query("count_changes")))
                if revised:
                    run_named(con, LOAD_SQL, "supersede_revised", {"loaded_at": now, "load_id": load_id})
                if new or revised:
                    run_named(con, LOAD_SQL, "insert_changed",
                              {"load_id": load_id, "checksum": result.checksum, "loaded_at": now})
                run_named(con, LOAD_SQL, "insert_deliveries", {"load_id": load_id})
                run_named(con, LOAD_SQL, "drop_incoming")
        if len(result.rejected):
            con.register("rejected_incoming", result.rejected)
            run_named(con, LOAD_SQL, "insert_rejected", {"load_id": load_id})
            con.unregister("rejected_incoming")
        run_named(con, LOAD_SQL, "finish_load", {"load_id": load_id, "rows_new": new, "rows_revised": revised,
                                                 "rows_unchanged": unchanged, "finished_at": datetime.now()})
    return LoadOutcome(load_id, None, new, revised, unchanged)
