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
from sources.rawtable import drop_tables, judging_table, quoted, sql_text, table_from_frame, unique_name
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


# A catalogue look-up, not a query of the view: a failing statement would abort the loader's transaction.
_VIEW_EXISTS = "SELECT count(*) FROM duckdb_views() WHERE database_name = $database AND view_name = $view"


class AcceptedRows:
    """The accepted rows of one judged file, kept in DuckDB in the judging database of the connection that
    judged them (``relation``, a view over the judgement's table), so that the loader inserts them from
    there (no round trip through pandas), on that connection or any other cursor of the same instance.
    ``indicators``: the indicator ids they can hold (the loader compares them with the current revisions
    of these indicators only). Read them as pandas with :meth:`frame`; :meth:`release` drops the
    judgement's tables once loaded."""

    def __init__(self, con: duckdb.DuckDBPyConnection, relation: str, count: int, indicators: list[str],
                 tables: list[str], views: list[str]):
        self.con = con
        self.relation = relation
        self.count = count
        self.indicators = indicators
        self._tables = tables
        self._views = views
        self.released = False

    def frame(self) -> pd.DataFrame:
        if self.released:
            raise RuntimeError("these accepted rows were loaded and released: read them from the warehouse")
        columns = ", ".join(quoted(c) for c in CANONICAL_COLUMNS)
        frame = self.con.execute(f"SELECT {columns} FROM {self.relation} ORDER BY uid").df()
        for column in ("period_start", "period_end"):  # dates as datetime.date, as the adapters' frames hold them
            frame[column] = pd.Series([d.date() for d in frame[column]], index=frame.index, dtype=object)
        text = [c for c in CANONICAL_COLUMNS if c not in NUMERIC_COLUMNS and c not in (
            "period_start", "period_end", "source_row")]
        return ObservationModel.validate(frame.astype({c: "str" for c in text}))

    def visible_on(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Whether ``con`` sees the accepted rows (the judging connection, or a cursor of its instance)."""
        if self.released:
            return False
        database, view = self.relation.split(".")
        return bool(con.execute(_VIEW_EXISTS, {"database": database, "view": view}).fetchall()[0][0])

    def release(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        """Drop the judgement's tables, on ``con`` (any connection that sees them; default the judging one,
        which another thread may be using meanwhile: the loader passes its own)."""
        if not self.released:
            (con or self.con).execute("; ".join([*(f"DROP VIEW IF EXISTS {v}" for v in self._views),
                                        *(f"DROP TABLE IF EXISTS {t}" for t in self._tables)]))
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
    from where they are; default a private in-memory one); ``checksum`` if the caller has it already."""
    checksum = checksum or file_checksum(path)
    con = con if con is not None else duckdb.connect()
    read = read_file(path, con, adapter, checksum)
    if isinstance(read, FileResult):
        return read
    adapter, raw = read
    return judge_raw(con, raw, path, checksum, adapter, context)


def read_file(path: Path, con: duckdb.DuckDBPyConnection, adapter: Adapter | None,
              checksum: str) -> tuple[Adapter, RawTable] | FileResult:
    """The first half of :func:`validate_file`: ``path`` read into a raw table on ``con`` with its adapter
    (``adapter``, or the one that recognises the file), or the file's rejection. The benchmark times the
    halves apart.

    The checksum is taken before and after reading: a file replaced or rewritten while it was read is not
    judged (what was read may be neither version). It is recorded with nothing loaded, under a checksum no
    file has (so neither version counts as loaded), and filing leaves it in the landing folder for the next
    run to judge."""
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
    if problem is not None or raw is None or adapter is None:
        return file_rejected(path, checksum, getattr(adapter, "id", None), problem or "")
    return adapter, raw


def _still(path: Path, checksum: str) -> bool:
    """The file at ``path`` still has the bytes whose checksum is ``checksum``."""
    try:
        return file_checksum(path) == checksum
    except OSError:  # removed or replaced by something unreadable meanwhile
        return False


# What became of each unit in the judged table (column ``status``), in the order the module docstring gives.
SKIPPED, ROW_PROBLEM, AREA_REJECTED, JUDGED = 0, 1, 2, 3
SKIP_AREA_REASONS = (SKIP_AREA_OUTSIDE_REGISTER, SKIP_AREA_TYPE, SKIP_AREA_NAME_UNKNOWN)


class _Tables:
    """The working tables of one judgement (our own names, never file text): raw -> the small lookup tables
    the Python rules fill (sel, per, area) -> ``judged``, one row per unit with its status, typed values and
    every rule's verdict. All are dropped at the end except ``judged`` (and the accepted rows' view over it),
    which the loader reads."""

    def __init__(self, con: duckdb.DuckDBPyConnection, raw: str, rules: str):
        self.con = con
        self.names = {"raw": raw, "rules": rules, **{n: judging_table(con, n) for n in (
            "sel", "per", "area", "judged", "units", "rejected", "acc")}}

    def __getattr__(self, name: str) -> str:
        return self.__dict__["names"][name]

    def sql(self, text: str) -> str:
        return text.format(**self.names)

    def run(self, sql: str, params: dict | None = None) -> None:
        self.con.execute(self.sql(sql), params or {})

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(self.sql(sql), params or {}).fetchall()

    def put(self, name: str, frame: pd.DataFrame, select: str = "*") -> None:
        """A small pandas frame as table ``name``."""
        view = unique_name("view")
        self.con.register(view, frame)
        try:
            self.con.execute(f"CREATE TABLE {self.names[name]} AS SELECT {select} FROM {view}")
        finally:
            self.con.unregister(view)

    def drop(self, keep: tuple[str, ...] = ()) -> None:
        if "acc" not in keep:
            self.con.execute(f"DROP VIEW IF EXISTS {self.acc}")
        drop_tables(self.con, [n for k, n in self.names.items() if k not in (*keep, "rules", "acc")])


def _distinct(t: _Tables, columns: list[str], source: str, where: str = "true",
              params: dict | None = None) -> pd.DataFrame:
    """Distinct combinations of ``columns`` as Python objects (dates stay datetime.date)."""
    names = ", ".join(quoted(c) for c in columns)
    rows = t.rows(f"SELECT DISTINCT {names} FROM {source} WHERE {where}", params)
    return pd.DataFrame.from_records(rows, columns=columns).astype(object)


def judge_raw(con: duckdb.DuckDBPyConnection, raw: RawTable, path: Path, checksum: str, adapter: Adapter,
              context: ValidationContext) -> FileResult:
    """The judgement of one file's raw table, in the order the module docstring gives, as SQL over the
    whole file; Python rules (selectors, periods, area names) run on distinct values only. The raw table
    is dropped; the accepted rows stay in DuckDB (FileResult.accepted_rows)."""
    t = _Tables(con, raw.table, _rules_table(con, context))
    kept: tuple[str, ...] = ()
    try:
        result = _judge_tables(t, raw.labels, path, checksum, adapter, context)
        kept = ("judged", "rejected", "acc")
        return result
    finally:
        t.drop(keep=kept)


def _judge_tables(t: _Tables, labels: dict[str, str], path: Path, checksum: str, adapter: Adapter,
                  context: ValidationContext) -> FileResult:
    unit = getattr(adapter, "unit", ROW)
    params = {"default": adapter.period_convention.value if adapter.period_convention else ""}
    # Each indicator's declared period convention ("" = the adapter's) and range rule bounds.
    conv = t.sql("(SELECT indicator_id, CASE WHEN declared = '' THEN $default ELSE declared END AS convention, "
                 "_min, _max, _integer, _fraction FROM {rules})")

    # 2. Scope: which indicator, decided once per distinct combination of the selector cells (rows the
    #    adapter flagged, step 1, are judged by nothing else).
    mine = [(i, i.source) for i in context.catalogue.for_source(adapter.id)]
    others = context.catalogue.also_published_by(adapter.id)
    breakdowns = sorted({c for _, sel in [*mine, *others] for c in sel.breakdown})
    keys = [*SELECTOR_COLUMNS, *(c for c in breakdowns if c not in SELECTOR_COLUMNS)]
    combos = _distinct(t, keys, "{raw}", "row_problem = ''")
    combos["indicator_id"] = _assign(combos, mine).astype(object)
    combos["other_source"] = (_assign(combos, others) != "").astype(bool)
    t.put("sel", combos)
    joined = t.sql("{raw} r JOIN {sel} s USING (" + ", ".join(quoted(k) for k in keys) + f") JOIN {conv} c "
                   "USING (indicator_id)")
    in_scope = "r.row_problem = '' AND s.indicator_id <> ''" + (" AND r.value <> ''" if unit == VALUE_CELL else "")

    # 3. Periods, read with the indicator's declared convention (else the adapter's), once per distinct text.
    pairs = _distinct(t, ["period", "convention"], joined, in_scope, params)
    parsed, problems = parse_periods(pairs["period"], pairs["convention"].where(pairs["convention"] != "", None))
    problem_by_index = {p["index"]: p["reason"] for p in problems}
    t.put("per", pd.DataFrame({
        "period": pairs["period"], "convention": pairs["convention"], "p_label": parsed["period"],
        "p_start": parsed["period_start"], "p_end": parsed["period_end"], "p_type": parsed["period_type"],
        "p_problem": pd.Series([problem_by_index.get(i) for i in pairs.index], index=pairs.index, dtype=object)},
    ).astype(object), "period::VARCHAR AS period, convention::VARCHAR AS convention, p_label::VARCHAR AS p_label, "
       "p_start::DATE AS p_start, p_end::DATE AS p_end, p_type::VARCHAR AS p_type, p_problem::VARCHAR AS p_problem")

    # 4. Areas: codes, alternative codes and names resolved against the register, once per distinct triple.
    places = _distinct(t, ["area_code", "area_name", "p_end"],
                       joined + t.sql(" JOIN {per} p ON p.period = r.period AND p.convention = c.convention"),
                       in_scope, params)
    codes, outcome = _resolve_areas(places, places["p_end"], context.areas)
    places["resolved"] = codes.astype(object)
    places["outcome"] = outcome.astype(object)
    t.put("area", places, "area_code::VARCHAR AS area_code, area_name::VARCHAR AS area_name, p_end::DATE AS p_end, "
                          "resolved::VARCHAR AS resolved, outcome::VARCHAR AS outcome")

    # Every unit's status and, for those judged by the rules, its typed values and every rule's verdict:
    # 5. numbers parsed explicitly (sources.parse.numbers_sql), then every row rule (sources.schema).
    t.con.execute(_judged_sql(t, keys, conv, unit), {
        **params, "other": SKIP_NOT_SOURCE_OF_RECORD, "unknown": SKIP_UNKNOWN_INDICATOR,
        **({"empty": SKIP_EMPTY_CELL} if unit == VALUE_CELL else {}), "source_id": adapter.id,
        "source_file": path.name})
    rows_read, judged, problem_units, skipped_units = t.rows(
        "SELECT count(*), count(*) FILTER (status = $judged), count(*) FILTER (problem), "
        "count(*) FILTER (status = $skipped) FROM {judged}", {"judged": JUDGED, "skipped": SKIPPED})[0]
    rejections = _problems(t) if problem_units else []

    # 6. Duplicated keys within the file (among units no rule rejected): every copy is rejected.
    if problem_units:
        t.run("CREATE TABLE {units} AS SELECT DISTINCT source_row, source_location FROM {judged} WHERE problem")
        clean = t.sql(f"status = {JUDGED} AND NOT EXISTS (SELECT 1 FROM {{units}} u WHERE u.source_row = "
                      "j.source_row AND u.source_location = j.source_location)")
    else:
        clean = f"status = {JUDGED}"
    keys_sql = ", ".join(KEY_COLUMNS)
    duplicates = t.rows(f"""
        WITH copies AS (SELECT {keys_sql}, min(source_row) AS first_row FROM {{judged}} j WHERE {clean}
                        GROUP BY {keys_sql} HAVING count(*) > 1)
        SELECT j.uid, j.source_row, j.source_location, j.period, c.first_row
        FROM {{judged}} j JOIN copies c USING ({keys_sql}) WHERE {clean} ORDER BY j.uid""")
    rejections += [(6, 0, uid, row, location, "period", period,
                    f"duplicate of another row with the same indicator, area, period and breakdown (first at row "
                    f"{first}); which one is right is unknown") for uid, row, location, period, first in duplicates]

    # Accepted: every unit judged by the rules whose unit (row, or cell of a wide file) has no rejection.
    accept = f"status = {JUDGED}"
    rejected_judged = 0
    if rejections:
        view = unique_name("view")
        t.con.register(view, pd.DataFrame({"source_row": [r[3] for r in rejections],
                                           "source_location": [r[4] for r in rejections]}, dtype=object))
        try:
            t.run(f"CREATE TABLE {{rejected}} AS SELECT uid FROM {{judged}} j WHERE status = {JUDGED} AND "
                  f"EXISTS (SELECT 1 FROM {view} r WHERE r.source_row::BIGINT = j.source_row AND "
                  "r.source_location::VARCHAR = j.source_location)")
        finally:
            t.con.unregister(view)
        rejected_judged = t.rows("SELECT count(*) FROM {rejected}")[0][0]
        accept += t.sql(" AND uid NOT IN (SELECT uid FROM {rejected})")
    columns = ", ".join(["uid", *(quoted(c) for c in CANONICAL_COLUMNS)])
    t.run(f"CREATE VIEW {{acc}} AS SELECT {columns} FROM {{judged}} WHERE {accept}")
    accepted = AcceptedRows(t.con, t.acc, int(judged - rejected_judged),
                            sorted(i for i in combos["indicator_id"].unique() if i),
                            [t.judged, t.rejected], [t.acc])
    skipped, examples = _skips(t) if skipped_units else ({}, {})
    return FileResult(path, checksum, adapter.id, int(rows_read), accepted,
                      _rejections(rejections, labels, unit, path.name), skipped, unit=unit,
                      skipped_examples=examples)


def _judged_sql(t: _Tables, keys: list[str], conv: str, unit: str) -> str:
    """One statement: every unit of the raw table with the lookups joined, its status, numbers and rule
    verdicts (``problem``: the unit is rejected by one of steps 1-5)."""
    empty_cell = "WHEN r.value = '' THEN $empty " if unit == VALUE_CELL else ""
    status = (f"CASE WHEN r.row_problem <> '' THEN {ROW_PROBLEM} WHEN coalesce(s.indicator_id, '') = '' "
              f"THEN {SKIPPED} " + (f"WHEN r.value = '' THEN {SKIPPED} " if unit == VALUE_CELL else "")
              + f"WHEN a.outcome IN ({', '.join(sql_text(r) for r in SKIP_AREA_REASONS)}) THEN {SKIPPED} "
              f"WHEN starts_with(a.outcome, 'reject:') THEN {AREA_REJECTED} ELSE {JUDGED} END")
    skip_reason = ("CASE WHEN r.row_problem <> '' THEN NULL WHEN coalesce(s.indicator_id, '') = '' THEN "
                   "CASE WHEN s.other_source THEN $other ELSE $unknown END " + empty_cell
                   + f"WHEN a.outcome IN ({', '.join(sql_text(r) for r in SKIP_AREA_REASONS)}) THEN a.outcome END")
    located = t.sql(f"""
        SELECT r.uid, r.source_row, r.source_location, r.row_problem, {status} AS status,
            {skip_reason} AS skip_reason, a.outcome, r.area_code AS raw_area_code, r.area_name AS raw_area_name,
            r.period AS raw_period, p.p_problem, coalesce(s.indicator_id, '') AS indicator_id,
            a.resolved AS area_code, p.p_label AS period, p.p_start AS period_start, p.p_end AS period_end,
            p.p_type AS period_type, r.sex, r.age, r.category_type, r.category,
            {", ".join(f"r.{quoted(c)}" for c in NUMERIC_COLUMNS)},
            r.value_note, r.published_trend, r.published_comparison, r.commentary,
            $source_id AS source_id, $source_file AS source_file, c._min, c._max, c._integer, c._fraction
        FROM {{raw}} r
        LEFT JOIN {{sel}} s USING ({", ".join(quoted(k) for k in keys)})
        LEFT JOIN {conv} c ON c.indicator_id = s.indicator_id
        LEFT JOIN {{per}} p ON p.period = r.period AND p.convention = c.convention
        LEFT JOIN {{area}} a ON a.area_code = r.area_code AND a.area_name = r.area_name
            AND a.p_end IS NOT DISTINCT FROM p.p_end""")
    typed = (f"SELECT * REPLACE (CASE WHEN _fraction AND value__percent THEN value / 100 ELSE value END AS value, "
             f"CASE WHEN value__marker <> '' THEN CASE WHEN value_note <> '' THEN value__marker || '; ' || value_note "
             f"ELSE value__marker END ELSE value_note END AS value_note) "
             f"FROM ({numbers_sql(NUMERIC_COLUMNS, '(' + located + ')')})")
    verdicts = ", ".join(f"coalesce({condition}, false) AS {quoted('fails__' + check)}"
                         for check, condition in RULE_FAILS_SQL.items())
    bad = " OR ".join([*(quoted(c + "__bad") for c in NUMERIC_COLUMNS),
                       *(quoted("fails__" + check) for check in RULE_FAILS_SQL)])
    problem = (f"status IN ({ROW_PROBLEM}, {AREA_REJECTED}) "
               f"OR (status = {JUDGED} AND (p_problem IS NOT NULL OR {bad}))")
    # Every problem of steps 1-5 of a rejected unit, as a list of (step, order, column, value, reason); the
    # reason of a cell that is not a number is worded in Python (sources.parse.not_a_number_reason).
    found = [
        _problem(f"status = {ROW_PROBLEM}", 1, 0, "''", "''", "row_problem"),
        _problem(f"status = {AREA_REJECTED}", 2, 0, _AREA_COLUMN, _AREA_VALUE, "substr(outcome, 8)"),
        _problem(f"status = {JUDGED} AND p_problem IS NOT NULL", 3, 0, "'period'", "raw_period", "p_problem"),
        *(_problem(f"status = {JUDGED} AND {quoted(c + '__bad')}", 4, k, sql_text(c), quoted(c + "__text"), "NULL")
          for k, c in enumerate(NUMERIC_COLUMNS)),
        *(_problem(f"status = {JUDGED} AND {quoted('fails__' + check)}", 5, k, sql_text(CHECK_REASONS[check][0]),
                   quoted(CHECK_REASONS[check][0] + "__text"), sql_text(CHECK_REASONS[check][1]))
          for k, check in enumerate(RULE_FAILS_SQL)),
    ]
    kept = ", ".join(["uid", "source_row", "source_location", "status", "skip_reason",
                      *(quoted(c) for c in CANONICAL_COLUMNS if c != "source_row")])
    return (f"""
        CREATE TABLE {t.judged} AS
        SELECT {kept}, problem,
            CASE WHEN problem THEN list_filter([{", ".join(found)}], lambda p: p IS NOT NULL) END AS problems
        FROM (SELECT *, {problem} AS problem FROM (SELECT *, {verdicts} FROM ({typed})))""")


_AREA_COLUMN = "CASE WHEN raw_area_code = '' AND raw_area_name <> '' THEN 'area_name' ELSE 'area_code' END"
_AREA_VALUE = "CASE WHEN raw_area_code = '' AND raw_area_name <> '' THEN raw_area_name ELSE raw_area_code END"


def _problem(when: str, step: int, order: int, column: str, value: str, reason: str) -> str:
    """SQL for one problem as a struct when ``when`` holds, else NULL (the arguments are SQL of ours)."""
    return (f"CASE WHEN {when} THEN {{'step': {step}, 'ord': {order}, 'column': {column}, 'value': {value}, "
            f"'reason': {reason}::VARCHAR}} END")


def _problems(t: _Tables) -> list[tuple]:
    """Every problem of steps 1-5 as (step, order, uid, row, location, column, value, reason), in the order
    the steps found them (a unit may have several)."""
    rows = t.rows("SELECT p.step, p.ord, uid, source_row, source_location, p.\"column\", p.value, p.reason "
                  "FROM (SELECT uid, source_row, source_location, unnest(problems) AS p FROM {judged} "
                  "WHERE problem) ORDER BY 1, 2, 3")
    return [(step, order, uid, row, location, column, value,
             not_a_number_reason(column, value) if step == 4 else reason)
            for step, order, uid, row, location, column, value, reason in rows]


def _rejections(problems: list[tuple], labels: dict[str, str], unit: str, name: str) -> pd.DataFrame:
    """Every problem found, in the order the steps found them, with the column named as the file names it
    (a wide file's value cell: the header of its column)."""
    records = []
    for _, _, _, source_row, location, column, value, reason in sorted(problems, key=lambda p: p[:3]):
        if column == "value" and unit == VALUE_CELL:
            label = str(location).rsplit("!", 1)[-1]
        else:
            label = labels.get(column, column) if column else ""
        records.append({"source_file": name, "source_row": int(source_row), "source_location": location,
                        "column": label, "value": value, "reason": reason})
    return _rejected_frame(records)


def _skips(t: _Tables) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Units skipped per reason, and the first few distinct row numbers of each (in file order)."""
    counts = dict(t.rows(f"SELECT skip_reason, count(*) FROM {{judged}} WHERE status = {SKIPPED} "
                         "GROUP BY skip_reason ORDER BY min(uid)"))
    examples: dict[str, list[int]] = {}
    for reason, row in t.rows(f"""
            SELECT reason, source_row FROM (
                SELECT skip_reason AS reason, source_row,
                    row_number() OVER (PARTITION BY skip_reason ORDER BY min(uid)) AS n
                FROM {{judged}} WHERE status = {SKIPPED} GROUP BY skip_reason, source_row)
            WHERE n <= {EXAMPLES_PER_REASON} ORDER BY reason, n"""):
        examples.setdefault(reason, []).append(int(row))
    return {k: int(v) for k, v in counts.items() if v}, examples


def _normalised(raw: pd.DataFrame, column: str) -> pd.Series:
    values = raw[column].astype(str)
    uniques = pd.unique(values)
    return values.map(dict(zip(uniques, (selector_text(u) for u in uniques), strict=True)))


def _assign(raw: pd.DataFrame, selectors: list[tuple[Indicator, SourceSelector]]) -> pd.Series:
    """The indicator each row belongs to by the given selectors: the first in order that matches ("" where
    none does). Selectors are grouped by the fields they name, each group a dictionary from the wanted
    (normalised) text to its first selector, so a row costs one look-up per group whatever the catalogue's
    size (a national catalogue has thousands of selectors for one source)."""
    if raw.empty or not selectors:
        return pd.Series("", index=raw.index, dtype=object)
    groups: dict[tuple[str, ...], dict[tuple[str, ...], int]] = {}
    for order, (_, sel) in enumerate(selectors):
        wanted = {name: getattr(sel, name) for name in SELECTOR_FIELDS if getattr(sel, name) is not None}
        wanted |= {f"breakdown:{column}": value for column, value in sorted(sel.breakdown.items())}
        fields = tuple(wanted)
        groups.setdefault(fields, {}).setdefault(tuple(selector_text(v) for v in wanted.values()), order)
    columns = {f for fields in groups for f in fields}
    normalised = {f: list(_normalised(raw, f.removeprefix("breakdown:"))) for f in columns}
    first = [len(selectors)] * len(raw)
    for fields, table in groups.items():
        keys = zip(*(normalised[f] for f in fields), strict=True) if fields else [()] * len(raw)
        for row, key in enumerate(keys):
            found = table.get(key)
            if found is not None and found < first[row]:
                first[row] = found
    return pd.Series([selectors[n][0].id if n < len(selectors) else "" for n in first], index=raw.index,
                     dtype=object)


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
