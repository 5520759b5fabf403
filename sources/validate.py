"""Read, scope, parse and validate one file: every unit ends accepted, rejected or skipped, and is counted.

This is the single place a file's rows are judged. The Dagster asset checks, the ``validate`` command and
the warehouse loader all use the :class:`FileResult` it returns, so nothing is validated twice.

The order matters and is deliberate:
1. rows the adapter flagged while reading (shifted cells) are rejected with the adapter's words;
2. scope: a row no catalogue selector of this source picks is skipped (another source is the indicator's
   source of record, or the indicator is not in the catalogue); so is a blank cell of a wide table;
3. periods are parsed (their end date decides which council a name means, e.g. Dorset in 2018 or 2020);
4. areas: a code the register does not hold (a district, a Welsh council, an ITL region) is skipped, a
   name is matched to a council, a malformed or missing code or an ambiguous name is rejected;
5. numbers are parsed explicitly, then the pandera schema checks every rule at once (lazy);
6. rows with the same indicator, area, period and breakdown are all rejected (which one is right is
   unknown).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.areas import AreaRegister
from indicators.catalogue import Catalogue, Indicator, ValueType
from indicators.catalogue.model import SELECTOR_FIELDS, SourceSelector, selector_text
from sources.adapters.base import ROW, VALUE_CELL, Adapter
from sources.adapters.desnz_emissions import MYSOCIETY_SCHEME
from sources.canonical import CANONICAL_COLUMNS, KEY_COLUMNS, NUMERIC_COLUMNS, SELECTOR_COLUMNS, empty_canonical
from sources.files import CSV_SUFFIXES, FileRejected, check_input, file_checksum, max_input_bytes, read_csv_rows
from sources.parse import not_a_number_reason, numbers_sql, parse_periods
from sources.rawtable import drop_tables, fetch_count, quoted, sql_text, table_from_frame, unique_name
from sources.registry import detect_adapter
from sources.schema import CHECK_REASONS, RULE_FAILS_SQL, ObservationModel

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
ITL_CODE = re.compile(r"^TL[A-N][0-9A-Z]{0,3}$")  # ITL regions in ONS files: real areas, not in the register
COMPARED_AREA_TYPES = frozenset({"county", "unitary", "metropolitan_district", "london_borough", "region",
                                 "country", "aggregate"})
REJECTED_COLUMNS = ["source_file", "source_row", "source_location", "column", "value", "reason"]
EXAMPLES_PER_REASON = 5
CHANGED_WHILE_READ = "~changed-while-read"  # appended to the checksum of a file that changed while it was read

SKIP_UNKNOWN_INDICATOR = "indicator not in the catalogue for this source"
SKIP_NOT_SOURCE_OF_RECORD = "source is not this indicator's source of record"
SKIP_AREA_OUTSIDE_REGISTER = "area outside the register (e.g. a district or a non-English area)"
SKIP_AREA_TYPE = "area of a type the catalogue does not compare"
SKIP_AREA_NAME_UNKNOWN = "area name matches no council in the register (e.g. a waste partnership)"
SKIP_EMPTY_CELL = "empty cell in a wide table (no value published)"


@dataclass(frozen=True)
class ValidationContext:
    catalogue: Catalogue
    areas: AreaRegister

    @cached_property
    def rules(self) -> pd.DataFrame:
        """Per indicator: its declared period convention ("" = the adapter's) and the bounds of its range
        rule (sources.schema), joined to every row in the judgement."""
        records = []
        for ind in self.catalogue:
            low, high = ind.value_range()
            records.append((ind.id, ind.period_convention or "", low, high, ind.value_type is ValueType.COUNT,
                            ind.value_type is ValueType.PROPORTION and ind.multiplier == 1))
        return pd.DataFrame.from_records(records, columns=["indicator_id", "declared", "_min", "_max", "_integer",
                                                          "_fraction"]).astype(
            {"indicator_id": object, "declared": object, "_min": "float64", "_max": "float64", "_integer": bool,
             "_fraction": bool})

    @cached_property
    def rules_table(self) -> str:
        """The name of :attr:`rules` as a table on a judging connection (made once per connection)."""
        return unique_name("rules")


def _rules_table(con: duckdb.DuckDBPyConnection, context: ValidationContext) -> str:
    name = context.rules_table
    try:
        con.execute(f"SELECT 1 FROM {name} LIMIT 0")
    except duckdb.CatalogException:
        view = unique_name("view")
        con.register(view, context.rules)
        try:
            con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {view}")
        finally:
            con.unregister(view)
    return name


class AcceptedRows:
    """The accepted rows of one judged file, kept in a DuckDB table on the connection that judged them,
    so that the loader inserts them from there (no round trip through pandas). Read them as pandas with
    :meth:`frame`; :meth:`release` drops the table once loaded."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, count: int):
        self.con = con
        self.table = table
        self.count = count
        self.released = False

    def frame(self) -> pd.DataFrame:
        if self.released:
            raise RuntimeError("these accepted rows were loaded and released: read them from the warehouse")
        columns = ", ".join(quoted(c) for c in CANONICAL_COLUMNS)
        frame = self.con.execute(f"SELECT {columns} FROM {self.table} ORDER BY uid").df()
        for column in ("period_start", "period_end"):  # dates as datetime.date, as the adapters' frames hold them
            frame[column] = pd.Series([d.date() for d in frame[column]], index=frame.index, dtype=object)
        text = [c for c in CANONICAL_COLUMNS if c not in NUMERIC_COLUMNS and c not in (
            "period_start", "period_end", "source_row")]
        return ObservationModel.validate(frame.astype({c: "str" for c in text}))

    def release(self) -> None:
        if not self.released:
            self.con.execute(f"DROP TABLE IF EXISTS {self.table}")
            self.released = True


class FileResult:
    """What happened to one file. rows_read = rows_accepted + rows_rejected + rows_skipped, always.

    A "row" is the file's unit (``unit``): a row of a long file, a value cell of a wide one.
    ``accepted`` is the accepted rows as a pandas frame (given, or read on first use from the DuckDB table
    the judgement left them in, ``accepted_rows``); ``rejected`` has one line per problem (a unit may have
    several); ``skipped`` counts units by reason and ``skipped_examples`` keeps the first few (distinct)
    row numbers of each reason.
    """

    def __init__(self, path: Path, checksum: str, adapter_id: str | None, rows_read: int,
                 accepted: pd.DataFrame | AcceptedRows, rejected: pd.DataFrame, skipped: dict[str, int] | None = None,
                 file_error: str | None = None, unit: str = ROW, skipped_examples: dict[str, list[int]] | None = None):
        self.path = path
        self.checksum = checksum
        self.adapter_id = adapter_id
        self.rows_read = rows_read
        self.accepted_rows = accepted if isinstance(accepted, AcceptedRows) else None
        self._accepted = None if isinstance(accepted, AcceptedRows) else accepted
        self.rejected = rejected
        self.skipped = skipped or {}
        self.file_error = file_error
        self.unit = unit
        self.skipped_examples = skipped_examples or {}

    @property
    def accepted(self) -> pd.DataFrame:
        if self._accepted is None:
            self._accepted = self.accepted_rows.frame()
        return self._accepted

    @property
    def rows_accepted(self) -> int:
        return self.accepted_rows.count if self.accepted_rows is not None else len(self._accepted)

    @property
    def rows_rejected(self) -> int:
        if self.file_error is not None:
            return self.rows_read
        if not len(self.rejected):
            return 0
        return len(self.rejected[["source_row", "source_location"]].drop_duplicates())

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def status(self) -> str:
        if self.file_error is not None:
            return "rejected"
        return "accepted_with_rejections" if self.rows_rejected else "accepted"

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_accepted + self.rows_rejected + self.rows_skipped

    def rejection_reasons(self) -> dict[str, int]:
        if self.file_error is not None:
            return {self.file_error: 1}
        return dict(Counter(self.rejected["reason"]))

    def summary(self) -> str:
        units = f"{self.unit}s" if self.unit != ROW else "rows"
        line = (f"{self.path.name}: {self.rows_read:,} {units} read, {self.rows_accepted:,} accepted, "
                f"{self.rows_rejected:,} rejected, {self.rows_skipped:,} skipped")
        if self.adapter_id:
            line += f" [{self.adapter_id}]"
        if self.file_error:
            line += f"\n  FILE REJECTED: {self.file_error}"
        return line


def _rejected_frame(records: list[dict]) -> pd.DataFrame:
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS}).astype({"source_row": "int64"})
    frame = pd.DataFrame.from_records(records, columns=REJECTED_COLUMNS)
    for column in ("value", "column", "source_location"):
        frame[column] = frame[column].map(lambda v: "" if v is None or v is np.nan else str(v))
    return frame.astype({"source_row": "int64"})


def file_rejected(path: Path, checksum: str, adapter_id: str | None, message: str,
                  rows_read: int | None = None) -> FileResult:
    """A file that cannot be used: one message, and every row it holds (as far as it can be read as text)
    counted as rejected, so the loads table shows what was lost."""
    if rows_read is None:
        rows_read = _countable_rows(path)
    return FileResult(path, checksum, adapter_id, rows_read, empty_canonical(), _rejected_frame([]), {},
                      file_error=message)


def _countable_rows(path: Path) -> int:
    """Data rows of a CSV that could not be used (non-blank records after the header); 0 if unreadable.
    A link is never read through; a file over the input size limit is counted by its non-blank lines,
    streamed, so that counting it cannot exhaust memory either."""
    if path.suffix.lower() not in CSV_SUFFIXES or path.is_symlink():
        return 0
    try:
        if path.stat().st_size > max_input_bytes():
            return max(_nonblank_lines(path) - 1, 0)
        rows = read_csv_rows(path)
    except (FileRejected, OSError):
        return 0
    return max(sum(1 for r in rows if any(c.strip() for c in r)) - 1, 0)


def _nonblank_lines(path: Path, chunk_bytes: int = 1 << 22) -> int:
    """Lines holding anything but white space, reading ``chunk_bytes`` at a time."""
    count, tail = 0, b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_bytes), b""):
            lines = (tail + chunk).split(b"\n")
            tail = lines.pop()
            count += sum(1 for line in lines if line.strip())
    return count + (1 if tail.strip() else 0)


@dataclass(frozen=True)
class RawTable:
    """A file's raw frame as a DuckDB table (sources.rawtable), with the file's own column labels."""

    table: str
    labels: dict[str, str]


def read_raw(path: Path, con: duckdb.DuckDBPyConnection, adapter: Adapter) -> RawTable:
    """Read ``path`` with ``adapter`` into a raw table on ``con``: straight into DuckDB where the adapter can
    (``read_into``, large CSV formats), else through its pandas raw frame. Raises FileRejected."""
    read_into = getattr(adapter, "read_into", None)
    if read_into is not None:
        return RawTable(*read_into(path, con))
    return RawTable(*table_from_frame(con, adapter.read(path)))


def validate_file(path: Path, context: ValidationContext, adapter: Adapter | None = None,
                  con: duckdb.DuckDBPyConnection | None = None, checksum: str | None = None) -> FileResult:
    """Judge every row of ``path``. File-level problems reject the file with one message; never raises
    for bad input. ``con``: the DuckDB connection to judge on (the loader's, so accepted rows are inserted
    from where they are; default a private in-memory one); ``checksum`` if the caller has it already.

    The checksum is taken before and after reading: a file replaced or rewritten while it was read is not
    judged (what was read may be neither version). It is recorded with nothing loaded, under a checksum no
    file has (so neither version counts as loaded), and filing leaves it in the landing folder for the next
    run to judge."""
    checksum = checksum or file_checksum(path)
    con = con if con is not None else duckdb.connect()
    raw, problem = None, None
    try:
        check_input(path)
        adapter = adapter or detect_adapter(path)
        raw = read_raw(path, con, adapter)
    except FileRejected as exc:
        problem = str(exc)
    if not _still(path, checksum):
        if raw is not None:
            drop_tables(con, [raw.table])
        return file_rejected(path, checksum + CHANGED_WHILE_READ, getattr(adapter, "id", None),
                             f"{path.name}: the file changed while it was being read, so what was read may be neither "
                             "version; nothing from it was loaded. It stays in the landing folder and the next run "
                             "judges it again.", rows_read=0)
    if problem is not None:
        return file_rejected(path, checksum, getattr(adapter, "id", None), problem)
    return judge_raw(con, raw, path, checksum, adapter, context)


def _still(path: Path, checksum: str) -> bool:
    """The file at ``path`` still has the bytes whose checksum is ``checksum``."""
    try:
        return file_checksum(path) == checksum
    except OSError:  # removed or replaced by something unreadable meanwhile
        return False


def validate_frame(raw: pd.DataFrame, path: Path, checksum: str, adapter: Adapter, context: ValidationContext,
                   con: duckdb.DuckDBPyConnection | None = None) -> FileResult:
    """Judge an adapter's raw frame (already read) as :func:`validate_file` judges a file."""
    con = con if con is not None else duckdb.connect()
    return judge_raw(con, RawTable(*table_from_frame(con, raw)), path, checksum, adapter, context)


class _Tables:
    """The working tables of one judgement, all dropped at the end except the accepted rows."""

    def __init__(self, con: duckdb.DuckDBPyConnection, raw: str):
        self.con = con
        self.raw = raw
        self.names = {n: unique_name(n) for n in ("live", "sel", "conv", "per", "area", "nums", "typed", "rej",
                                                   "skip", "acc")}
        self.views: list[str] = []

    def __getattr__(self, name: str) -> str:
        return self.__dict__["names"][name]

    def run(self, sql: str, params: dict | None = None) -> None:
        self.con.execute(sql.format(raw=self.raw, **self.names), params or {})

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(sql.format(raw=self.raw, **self.names), params or {}).fetchall()

    def frame(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql.format(raw=self.raw, **self.names)).df()

    def put(self, name: str, frame: pd.DataFrame) -> None:
        """A small pandas frame as table ``name``."""
        view = unique_name("view")
        self.con.register(view, frame)
        try:
            self.con.execute(f"CREATE TEMP TABLE {self.names[name]} AS SELECT * FROM {view}")
        finally:
            self.con.unregister(view)

    def drop(self) -> None:
        drop_tables(self.con, [self.raw, *(n for k, n in self.names.items() if k != "acc")])


def _distinct(t: _Tables, columns: list[str], source: str, where: str = "true") -> pd.DataFrame:
    """Distinct combinations of ``columns`` as Python objects (dates stay datetime.date)."""
    names = ", ".join(quoted(c) for c in columns)
    rows = t.rows(f"SELECT DISTINCT {names} FROM {source} WHERE {where}")
    return pd.DataFrame.from_records(rows, columns=columns).astype(object)


def judge_raw(con: duckdb.DuckDBPyConnection, raw: RawTable, path: Path, checksum: str, adapter: Adapter,
              context: ValidationContext) -> FileResult:
    """The judgement of one file's raw table, in the order the module docstring gives, as SQL over the
    whole file; Python rules (selectors, periods, area names) run on distinct values only. The raw table
    is dropped; the accepted rows stay in a table of their own (FileResult.accepted_rows)."""
    t = _Tables(con, raw.table)
    try:
        return _judge_tables(t, raw.labels, path, checksum, adapter, context)
    finally:
        t.drop()


def _judge_tables(t: _Tables, labels: dict[str, str], path: Path, checksum: str, adapter: Adapter,
                  context: ValidationContext) -> FileResult:
    unit = getattr(adapter, "unit", ROW)
    rows_read = fetch_count(t.con, t.raw)
    t.run("CREATE TEMP TABLE {rej} (step INTEGER, ord INTEGER, uid BIGINT, \"column\" VARCHAR, value VARCHAR, "
          "reason VARCHAR)")
    t.run("CREATE TEMP TABLE {skip} (reason VARCHAR, uid BIGINT, source_row BIGINT)")

    # 1. Problems the adapter found while reading a row.
    t.run("INSERT INTO {rej} SELECT 1, 0, uid, '', '', row_problem FROM {raw} WHERE row_problem <> ''")

    # 2. Scope: which indicator, decided once per distinct combination of the selector cells.
    mine = [(i, i.source) for i in context.catalogue.for_source(adapter.id)]
    others = context.catalogue.also_published_by(adapter.id)
    breakdowns = sorted({c for _, sel in [*mine, *others] for c in sel.breakdown})
    keys = [*SELECTOR_COLUMNS, *(c for c in breakdowns if c not in SELECTOR_COLUMNS)]
    combos = _distinct(t, keys, "{raw}", "row_problem = ''")
    combos["indicator_id"] = _assign(combos, mine).astype(object)
    combos["other_source"] = (_assign(combos, others) != "").astype(bool)
    t.put("sel", combos)
    t.run("CREATE TEMP TABLE {live} AS SELECT r.*, s.indicator_id, s.other_source FROM {raw} r JOIN {sel} s USING ("
          + ", ".join(quoted(k) for k in keys) + ") WHERE r.row_problem = ''")
    t.run("INSERT INTO {skip} SELECT CASE WHEN other_source THEN $other ELSE $unknown END, uid, source_row "
          "FROM {live} WHERE indicator_id = ''",
          {"other": SKIP_NOT_SOURCE_OF_RECORD, "unknown": SKIP_UNKNOWN_INDICATOR})
    t.run("DELETE FROM {live} WHERE indicator_id = ''")
    if unit == VALUE_CELL:
        t.run("INSERT INTO {skip} SELECT $reason, uid, source_row FROM {live} WHERE value = ''",
              {"reason": SKIP_EMPTY_CELL})
        t.run("DELETE FROM {live} WHERE value = ''")

    # 3. Periods, read with the indicator's declared convention (else the adapter's), once per distinct text.
    default = adapter.period_convention.value if adapter.period_convention else ""
    rules = _rules_table(t.con, context)
    t.run(f"CREATE TEMP TABLE {{conv}} AS SELECT indicator_id, CASE WHEN declared = '' THEN $default ELSE declared "
          f"END AS convention, _min, _max, _integer, _fraction FROM {rules}", {"default": default})
    pairs = _distinct(t, ["period", "convention"], "{live} JOIN {conv} USING (indicator_id)")
    parsed, problems = parse_periods(pairs["period"], pairs["convention"].where(pairs["convention"] != "", None))
    problem_by_index = {p["index"]: p["reason"] for p in problems}
    t.put("per", pd.DataFrame({
        "period": pairs["period"], "convention": pairs["convention"], "p_label": parsed["period"],
        "p_start": parsed["period_start"], "p_end": parsed["period_end"], "p_type": parsed["period_type"],
        "p_problem": pd.Series([problem_by_index.get(i) for i in pairs.index], index=pairs.index, dtype=object)},
    ).astype(object))
    t.run("CREATE OR REPLACE TEMP TABLE {live} AS SELECT l.*, p.p_label, p.p_start::DATE AS p_start, "
          "p.p_end::DATE AS p_end, p.p_type, p.p_problem FROM {live} l JOIN {conv} c USING (indicator_id) "
          "JOIN {per} p ON p.period = l.period AND p.convention = c.convention")

    # 4. Areas: codes, alternative codes and names resolved against the register, once per distinct triple.
    places = _distinct(t, ["area_code", "area_name", "p_end"], "{live}")
    codes, outcome = _resolve_areas(places, places["p_end"], context.areas)
    places["resolved"] = codes.astype(object)
    places["outcome"] = outcome.astype(object)
    t.put("area", places)
    t.run("CREATE OR REPLACE TEMP TABLE {live} AS SELECT l.*, a.resolved, a.outcome FROM {live} l JOIN {area} a "
          "ON a.area_code = l.area_code AND a.area_name = l.area_name AND a.p_end IS NOT DISTINCT FROM l.p_end")
    t.run("INSERT INTO {skip} SELECT outcome, uid, source_row FROM {live} WHERE outcome IN ($a, $b, $c)",
          {"a": SKIP_AREA_OUTSIDE_REGISTER, "b": SKIP_AREA_TYPE, "c": SKIP_AREA_NAME_UNKNOWN})
    t.run("""INSERT INTO {rej}
             SELECT 2, 0, uid, CASE WHEN area_code = '' AND area_name <> '' THEN 'area_name' ELSE 'area_code' END,
                    CASE WHEN area_code = '' AND area_name <> '' THEN area_name ELSE area_code END,
                    substr(outcome, 8)
             FROM {live} WHERE starts_with(outcome, 'reject:')""")
    t.run("DELETE FROM {live} WHERE outcome <> ''")
    t.run("INSERT INTO {rej} SELECT 3, 0, uid, 'period', period, p_problem FROM {live} WHERE p_problem IS NOT NULL")

    # 5. Numbers, parsed explicitly (sources.parse.numbers_sql), then every rule at once (sources.schema).
    t.con.execute(f"CREATE TEMP TABLE {t.nums} AS {numbers_sql(NUMERIC_COLUMNS, t.live)}")  # no format(): regex braces
    bad_cells = " UNION ALL ".join(
        f"SELECT {k} AS k, l.uid, {sql_text(c)} AS c, l.{quoted(c)} AS text FROM {{live}} l JOIN {{nums}} n "
        f"USING (uid) WHERE n.{quoted(c + '__bad')}" for k, c in enumerate(NUMERIC_COLUMNS))
    for order, uid, column, text in t.rows(f"SELECT * FROM ({bad_cells}) ORDER BY k, uid"):
        t.run("INSERT INTO {rej} VALUES (4, $ord, $uid, $column, $value, $reason)",
              {"ord": order, "uid": uid, "column": column, "value": text,
               "reason": not_a_number_reason(column, text)})
    numbers = ", ".join(f"n.{quoted(c)}" for c in NUMERIC_COLUMNS if c != "value")
    t.run(f"""CREATE TEMP TABLE {{typed}} AS
              SELECT l.uid, l.source_row, l.source_location, l.indicator_id, l.resolved AS area_code,
                  l.p_label AS period, l.p_start AS period_start, l.p_end AS period_end, l.p_type AS period_type,
                  l.sex, l.age, l.category_type, l.category,
                  CASE WHEN b._fraction AND n.value__percent THEN n.value / 100 ELSE n.value END AS value,
                  {numbers},
                  CASE WHEN n.value__marker <> '' THEN
                           CASE WHEN l.value_note <> '' THEN n.value__marker || '; ' || l.value_note
                                ELSE n.value__marker END
                       ELSE l.value_note END AS value_note,
                  l.published_trend, l.published_comparison, l.commentary, b._min, b._max, b._integer,
                  {", ".join(f"l.{quoted(c)} AS text_{c}" for c in NUMERIC_COLUMNS)}
              FROM {{live}} l JOIN {{nums}} n USING (uid) JOIN {{conv}} b ON b.indicator_id = l.indicator_id""")
    failures = " UNION ALL ".join(
        f"SELECT 5, {order}, uid, {sql_text(CHECK_REASONS[check][0])}, text_{CHECK_REASONS[check][0]}, "
        f"{sql_text(CHECK_REASONS[check][1])} FROM {{typed}} WHERE coalesce({condition}, false)"
        for order, (check, condition) in enumerate(RULE_FAILS_SQL.items()))
    t.run(f"INSERT INTO {{rej}} {failures}")

    # 6. Duplicated keys within the file: every copy is rejected.
    keys_sql = ", ".join(KEY_COLUMNS)
    t.run(f"""INSERT INTO {{rej}}
              SELECT 6, 0, uid, 'period', period,
                  'duplicate of another row with the same indicator, area, period and breakdown (first at row '
                  || first_row || '); which one is right is unknown'
              FROM (SELECT uid, period, count(*) OVER k AS copies, min(source_row) OVER k AS first_row
                    FROM {{typed}} d
                    WHERE NOT EXISTS (SELECT 1 FROM {{rej}} r JOIN {{raw}} u USING (uid)
                                      WHERE u.source_row = d.source_row AND u.source_location = d.source_location)
                    WINDOW k AS (PARTITION BY {keys_sql}))
              WHERE copies > 1""")
    t.run(f"""CREATE TEMP TABLE {{acc}} AS
              SELECT d.uid, {", ".join(f"d.{quoted(c)}" for c in CANONICAL_COLUMNS if c not in (
                  "source_id", "source_file"))}, $source_id AS source_id, $source_file AS source_file
              FROM {{typed}} d
              WHERE NOT EXISTS (SELECT 1 FROM {{rej}} r JOIN {{raw}} u USING (uid)
                                WHERE u.source_row = d.source_row AND u.source_location = d.source_location)
              ORDER BY d.uid""", {"source_id": adapter.id, "source_file": path.name})
    accepted = AcceptedRows(t.con, t.acc, fetch_count(t.con, t.acc))
    skipped, examples = _skips(t)
    return FileResult(path, checksum, adapter.id, rows_read, accepted, _rejections(t, labels, unit, path.name),
                      skipped, unit=unit, skipped_examples=examples)


def _rejections(t: _Tables, labels: dict[str, str], unit: str, name: str) -> pd.DataFrame:
    """Every problem found, in the order the steps found them, with the column named as the file names it
    (a wide file's value cell: the header of its column)."""
    rows = t.rows("SELECT u.source_row, u.source_location, r.\"column\", r.value, r.reason FROM {rej} r "
                  "JOIN {raw} u USING (uid) ORDER BY r.step, r.ord, r.uid")
    records = []
    for source_row, location, column, value, reason in rows:
        if column == "value" and unit == VALUE_CELL:
            label = str(location).rsplit("!", 1)[-1]
        else:
            label = labels.get(column, column) if column else ""
        records.append({"source_file": name, "source_row": int(source_row), "source_location": location,
                        "column": label, "value": value, "reason": reason})
    return _rejected_frame(records)


def _skips(t: _Tables) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Units skipped per reason, and the first few distinct row numbers of each (in file order)."""
    counts = dict(t.rows("SELECT reason, count(*) FROM {skip} GROUP BY reason ORDER BY min(uid)"))
    examples: dict[str, list[int]] = {}
    for reason, row in t.rows(f"""
            SELECT reason, source_row FROM (
                SELECT reason, source_row, row_number() OVER (PARTITION BY reason ORDER BY min(uid)) AS n
                FROM {{skip}} GROUP BY reason, source_row)
            WHERE n <= {EXAMPLES_PER_REASON} ORDER BY reason, n"""):
        examples.setdefault(reason, []).append(int(row))
    return {k: int(v) for k, v in counts.items() if v}, examples


def _normalised(raw: pd.DataFrame, column: str) -> pd.Series:
    values = raw[column].astype(str)
    uniques = pd.unique(values)
    return values.map(dict(zip(uniques, (selector_text(u) for u in uniques), strict=True)))


def _assign(raw: pd.DataFrame, selectors: list[tuple[Indicator, SourceSelector]]) -> pd.Series:
    """The indicator each row belongs to by the given selectors ("" where none selects it)."""
    assigned = pd.Series("", index=raw.index, dtype=object)
    if raw.empty or not selectors:
        return assigned
    cache: dict[str, pd.Series] = {}
    for indicator, sel in selectors:
        mask = pd.Series(True, index=raw.index)
        for name in SELECTOR_FIELDS:
            wanted = getattr(sel, name)
            if wanted is not None:
                if name not in cache:
                    cache[name] = _normalised(raw, name)
                mask &= cache[name] == selector_text(wanted)
        for column, wanted in sel.breakdown.items():
            mask &= raw[column].astype(str).map(selector_text) == selector_text(wanted)
        assigned = assigned.where(~mask | (assigned != ""), indicator.id)
    return assigned


def _resolve_areas(raw: pd.DataFrame, period_end: pd.Series, areas: AreaRegister) -> tuple[pd.Series, pd.Series]:
    """(GSS code per row, outcome per row): outcome "" = in scope, a SKIP_* reason, or "reject:<reason>"."""
    codes = raw["area_code"].astype(str).str.strip()
    names = raw["area_name"].astype(str).str.strip()
    resolved = codes.copy()
    outcome = pd.Series("", index=raw.index, dtype=object)

    alt = codes.str.startswith(MYSOCIETY_SCHEME)
    if alt.any():
        mapped = codes[alt].map(lambda c: areas.by_mysociety_code(c.removeprefix(MYSOCIETY_SCHEME)) or "")
        resolved[alt] = mapped
        outcome[alt & (resolved == "")] = SKIP_AREA_OUTSIDE_REGISTER

    by_name = (codes == "") & (names != "")
    if by_name.any():
        pairs = pd.DataFrame({"name": names[by_name], "end": period_end[by_name]})
        for (name, end), group in pairs.groupby(["name", "end"], dropna=False, sort=False):
            match = areas.match_name(name, end if isinstance(end, date) else None)
            if match.code:
                resolved[group.index] = match.code
            elif match.ambiguous:
                listed = ", ".join(f"{c} {areas.name(c)}" for c in match.candidates)
                outcome[group.index] = (f"reject:area name '{name}' fits more than one council ({listed}); "
                                        "give the area code instead")
            else:
                outcome[group.index] = SKIP_AREA_NAME_UNKNOWN
    missing = (codes == "") & (names == "")
    outcome[missing] = "reject:the area code is missing"

    pending = outcome == ""
    known_type = resolved[pending].map(lambda c: areas.get(c).type if c in areas else None)
    unknown = known_type.isna()
    well_formed = resolved[pending].str.match(GSS_CODE) | resolved[pending].str.match(ITL_CODE)
    outcome[known_type.index[(unknown & well_formed).to_numpy()]] = SKIP_AREA_OUTSIDE_REGISTER
    outcome[known_type.index[(unknown & ~well_formed).to_numpy()]] = (
        "reject:the area code is not a GSS code such as E10000018 (nor an area in the register)")
    wrong = known_type.notna() & ~known_type.isin(COMPARED_AREA_TYPES)
    outcome[known_type.index[wrong.to_numpy()]] = SKIP_AREA_TYPE
    return resolved, outcome
