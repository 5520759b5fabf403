"""The raw frame of one file as a DuckDB table: where every file's units are judged (sources.validate).

Why DuckDB: a national file holds hundreds of thousands of rows, and judging them cell by cell in Python
took about 45 microseconds a row (4.5 s for 94,000 rows; bench/pipeline.py). The raw frame keeps the
layout of :mod:`sources.canonical` (text cells, "" for missing, the breakdown defaults), plus ``uid``, the
unit's position in the file, which keeps the file's order.

Two ways in, one table out:

* :func:`table_from_frame`: an adapter's pandas raw frame (XLSX and wide formats, small files);
* :func:`csv_into_table`: a long CSV read by DuckDB's CSV reader straight into the table. Files DuckDB
  reads differently from Python's ``csv`` module (blank lines, a short or long row, text that is not UTF-8,
  binary data) are read by the Python reader instead (:func:`sources.adapters.base.csv_table`), so row
  numbers, padding and "shifted cells" problems are exactly those of the Python reader.

Python functions that clean cell text (HTML in Fingertips notes, selector spelling, periods, area names)
run once per distinct value (:func:`map_distinct`), never once per row.

Where the tables live: an in-memory database attached as ``judging`` (:func:`judging_table`), not the
connection's temporary schema. Every connection (cursor) of the same DuckDB instance sees it, so one
cursor can judge the next file while another loads the last one's accepted rows from it
(warehouse.ingest): a file of 100,000 rows is one DuckDB row group, which one thread processes, so two
files at once are what keeps both cores busy.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from sources.canonical import (
    BREAKDOWN_DEFAULTS,
    LOCATION_COLUMNS,
    RAW_TEXT_COLUMNS,
    SELECTOR_COLUMNS,
    normalise_raw,
)
from sources.files import FileRejected, cell_text, csv_header, mapped_positions, normalise_header

RAW_COLUMNS = [*SELECTOR_COLUMNS, *RAW_TEXT_COLUMNS, *LOCATION_COLUMNS]
# What Python's str.strip() removes (cell_text strips every cell of the Python reader so): the two readers trim
# and blank the same cells.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # the last is U+3000
# The record-level tests of csv_into_table. The cells the adapter keeps are joined with U+0001 (not WHITESPACE),
# which concat_ws leaves out around a NULL cell; the record's kept cells are trimmed when one starts or ends with
# WHITESPACE (the character next to the start, the end or a separator: one RE2 search per record, not one per
# cell; DuckDB's trim with a character list costs about four times a plain copy and most records need none; a
# cell's own U+0001 can only make a record trimmed that needs none, which changes no cell). Cells nobody keeps are
# never trimmed, so they are not joined. A record is blank when every cell, kept or not, is empty or WHITESPACE.
# One comparison settles it for nearly every record: a cell (the first required one) whose first character is
# printable ASCII ('!' to '~') does not start with WHITESPACE, so the record is not blank; every other record is
# tested cell by cell (trim with a character list on every cell of every record cost about a fifth of the read).
_SEPARATOR = 1
_SPACE = "[" + "".join(f"\\x{{{ord(c):04X}}}" for c in WHITESPACE) + "]"
_EDGE_SPACE = f"(^|\\x{{{_SEPARATOR:04X}}}){_SPACE}|{_SPACE}($|\\x{{{_SEPARATOR:04X}}})"
_names = itertools.count(1)


JUDGING = "judging"
_ATTACH_JUDGING = f"ATTACH IF NOT EXISTS ':memory:' AS {JUDGING}"
_ATTACHING = threading.Lock()


def unique_name(stem: str) -> str:
    """A name no other judgement in this process uses (our own text, never a file's): for a pandas frame
    registered on one connection."""
    return f"_{stem}_{next(_names)}"


def judging_table(con: duckdb.DuckDBPyConnection, stem: str) -> str:
    """A new table's qualified name in the judging database, which is attached to ``con``'s instance here
    if it is not yet (once per instance; every cursor of it then sees the table). The lock: two cursors
    attaching at once would both find it missing, and the second would fail."""
    with _ATTACHING:
        con.execute(_ATTACH_JUDGING)
    return f"{JUDGING}.{unique_name(stem)}"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _trimmed(cell: str) -> str:
    """SQL for a cell of DuckDB's CSV reader as text ("" for NULL), with surrounding WHITESPACE removed in a
    record that needs it (``trim_record``, see _EDGE_SPACE)."""
    return (f"CASE WHEN trim_record THEN trim(coalesce({cell}, ''), {sql_text(WHITESPACE)}) "
            f"ELSE coalesce({cell}, '') END")


def _stripped(text: str) -> str:
    """SQL for the text ``text`` (SQL of ours) without WHITESPACE at either end, as Python's str.strip() gives.
    DuckDB's trim with a character list cost about 25 times a plain copy (3 s for the 2 million cells of an XLSX
    of 96,700 rows, against 0.1 s), so it runs only on a cell whose first or last character is not printable ASCII
    (0.35 s; a regular expression per cell 0.41-0.46 s)."""
    return (f"CASE WHEN {text} = '' OR (({text})[1] BETWEEN '!' AND '~' AND ({text})[-1] BETWEEN '!' AND '~') "
            f"THEN {text} ELSE trim({text}, {sql_text(WHITESPACE)}) END")


def _raw_columns_sql(cell: Callable[[str], str | None]) -> str:
    """The SELECT list of a raw table's text columns (RAW_COLUMNS, in order): ``cell(column)`` is SQL of ours for
    the column's trimmed text, or None where the file has no such column; an empty breakdown cell takes its
    default (BREAKDOWN_DEFAULTS), as for every reader."""
    parts = []
    for column in RAW_COLUMNS:
        text, default = cell(column), BREAKDOWN_DEFAULTS.get(column, "")
        if text is None:
            parts.append(f"{sql_text(default)} AS {quoted(column)}")
        elif default:
            parts.append(f"CASE WHEN {text} = '' THEN {sql_text(default)} ELSE {text} END AS {quoted(column)}")
        else:
            parts.append(f"{text} AS {quoted(column)}")
    return ", ".join(parts)


def table_from_frame(con: duckdb.DuckDBPyConnection, raw: pd.DataFrame) -> tuple[str, dict[str, str]]:
    """An adapter's pandas raw frame as a raw table; returns (table, the file's column labels)."""
    labels = dict(raw.attrs.get("source_columns", {}))
    frame = normalise_raw(raw).reset_index(drop=True)
    frame = frame[[*RAW_COLUMNS, "source_row"]].astype({c: object for c in RAW_COLUMNS})
    frame["source_row"] = frame["source_row"].astype("int64")
    frame["uid"] = np.arange(len(frame), dtype="int64")
    table = judging_table(con, "raw")
    view = unique_name("frame")
    con.register(view, frame)
    try:
        columns = _raw_columns_sql(lambda c: _stripped(f"{quoted(c)}::VARCHAR"))
        con.execute(f"CREATE TABLE {table} AS SELECT uid, source_row::BIGINT AS source_row, {columns} "
                    f"FROM {view} ORDER BY uid")
    finally:
        con.unregister(view)
    return table, labels


_BLANK_LINE = re.compile(rb"\n\r?\n")


def _duckdb_can_read(path: Path) -> bool:
    """True when DuckDB's reader gives the same records and row numbers as Python's csv module: UTF-8
    text without NUL bytes and without blank lines (Python counts a blank line as a record, DuckDB skips it).
    One regular-expression search per 16 MB (a blank line anywhere, also across two reads)."""
    with path.open("rb") as fh:
        previous = b""
        first = True
        while chunk := fh.read(1 << 24):
            if first and (b"\x00" in chunk[:4096] or chunk.startswith((b"\n", b"\r\n", b"\xef\xbb\xbf\n"))):
                return False
            first = False
            if _BLANK_LINE.search(previous + chunk[:2]) or _BLANK_LINE.search(chunk):
                return False
            previous = chunk[-2:]
    return True


def csv_records_sql(path: str, width: int) -> str:
    """A SELECT of every record of a CSV of ``width`` columns as text cells c0, c1... numbered by ``record``
    from 1 (the header), read by DuckDB as the take-in reads every long CSV. ``path``: SQL of ours (a quoted
    literal or a parameter); the cells are named by position, so no text of the file enters the statement."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    return (f"SELECT row_number() OVER () AS record, * FROM read_csv({path}, header = false, all_varchar = true, "
            f"auto_detect = false, columns = {columns}, delim = ',', quote = '\"', escape = '\"', strict_mode = true)")


def csv_into_table(con: duckdb.DuckDBPyConnection, path: Path, mapping: dict[str, str], required: frozenset[str],
                   fallback: Callable[[], pd.DataFrame], describe: Callable[[list[str]], str],
                   what: str) -> tuple[str, dict[str, str]]:
    """A long CSV (header in the first record) as a raw table, read by DuckDB where it reads as Python would.

    ``mapping``/``required`` are the adapter's HeaderMap; ``fallback`` reads the file with the Python reader
    (same frame as :func:`sources.adapters.base.csv_table`). The messages for a missing column are the
    same either way.
    """
    header_text = [cell_text(h) for h in csv_header(path)]
    header = [normalise_header(h) for h in header_text]
    if not any(header) or not _duckdb_can_read(path):
        return table_from_frame(con, fallback())
    missing = sorted(required - set(header))
    if missing:
        found = ", ".join(f"'{h}'" for h in header_text if h) or "nothing"
        raise FileRejected(f"{path.name}: missing required column(s) {describe(missing)} for {what}; "
                           f"the header row has {found}")
    kept = mapped_positions(header, mapping)
    width = len(header)
    cells = {i: _trimmed(f"c{i}") for i in range(width)}
    select = _raw_columns_sql(lambda c: cells[kept[c]] if c in kept else None)
    joined = f"concat_ws(chr({_SEPARATOR}), " + ", ".join(f"c{i}" for i in sorted(set(kept.values()))) + ")"
    first = min(range(width), key=lambda i: (header[i] not in required, i))
    filled = " OR ".join(f"(c{i} IS NOT NULL AND trim(c{i}, {sql_text(WHITESPACE)}) <> '')" for i in range(width))
    filled = f"CASE WHEN c{first} >= '!' AND c{first} < chr(127) THEN true ELSE {filled} END"
    table = judging_table(con, "raw")
    try:
        # No ORDER BY: the records come out numbered in file order and DuckDB keeps insertion order (its default,
        # preserve_insertion_order), so the table is in file order already; sorting it again cost 7% of the read.
        con.execute(f"""
            CREATE TABLE {table} AS
            WITH records AS ({csv_records_sql(sql_text(str(path)), width)})
            SELECT record - 1 AS uid, record::BIGINT AS source_row, {select}
            FROM (SELECT *, regexp_matches({joined}, {sql_text(_EDGE_SPACE)}) AS trim_record FROM records
                  WHERE record > 1 AND {filled})""")
    except duckdb.Error:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        return table_from_frame(con, fallback())
    if not fetch_count(con, table):
        raise FileRejected(f"{path.name}: the file has a header but no data rows")
    return table, {name: header_text[i] for name, i in kept.items()}


def fetch_count(con: duckdb.DuckDBPyConnection, table: str, where: str = "true") -> int:
    return int(con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchall()[0][0])


def map_distinct(con: duckdb.DuckDBPyConnection, table: str, column: str, fn: Callable[[str], str],
                 where: str = "true") -> None:
    """Apply ``fn`` to each distinct value of ``column`` (where ``where`` holds) and write back the ones
    it changes: Python cleaning rules, run once per distinct value."""
    values = [v for (v,) in con.execute(
        f"SELECT DISTINCT {quoted(column)} FROM {table} WHERE {where}").fetchall()]
    changed = {v: fn(v) for v in values}
    changed = {k: v for k, v in changed.items() if v != k}
    if not changed:
        return
    view = unique_name("map")
    con.register(view, pd.DataFrame({"old": list(changed), "new": list(changed.values())}, dtype=object))
    try:
        con.execute(f"UPDATE {table} AS t SET {quoted(column)} = m.new::VARCHAR FROM {view} m "
                    f"WHERE t.{quoted(column)} = m.old::VARCHAR")
    finally:
        con.unregister(view)


def drop_tables(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    con.execute("; ".join(f"DROP TABLE IF EXISTS {table}" for table in tables))


def columns_containing(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], text: str) -> list[str]:
    """Which of ``columns`` hold ``text`` in any row (one pass over the table)."""
    if not columns:
        return []
    found = con.execute("SELECT " + ", ".join(f"bool_or(contains({quoted(c)}, {sql_text(text)}))" for c in columns)
                        + f" FROM {table}").fetchall()[0]
    return [c for c, hit in zip(columns, found, strict=True) if hit]
