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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from indicators.areas import AreaRegister
from indicators.catalogue import Catalogue, Indicator, ValueType
from indicators.catalogue.model import SELECTOR_FIELDS, SourceSelector, selector_text
from sources.adapters.base import ROW, VALUE_CELL, Adapter
from sources.adapters.desnz_emissions import MYSOCIETY_SCHEME
from sources.canonical import CANONICAL_COLUMNS, KEY_COLUMNS, empty_canonical, normalise_raw
from sources.files import CSV_SUFFIXES, FileRejected, check_input, file_checksum, max_input_bytes, read_csv_rows
from sources.parse import parse_all_numbers, parse_periods
from sources.registry import detect_adapter
from sources.schema import CHECK_REASONS, ObservationModel

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
ITL_CODE = re.compile(r"^TL[A-N][0-9A-Z]{0,3}$")  # ITL regions in ONS files: real areas, not in the register
COMPARED_AREA_TYPES = frozenset({"county", "unitary", "metropolitan_district", "london_borough", "region",
                                 "country", "aggregate"})
REJECTED_COLUMNS = ["source_file", "source_row", "source_location", "column", "value", "reason"]
EXAMPLES_PER_REASON = 5
COLUMN_CHECK_WORDS = {"not_nullable": "a required value is missing", "str_length": "a required value is empty"}
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


@dataclass
class FileResult:
    """What happened to one file. rows_read = rows_accepted + rows_rejected + rows_skipped, always.

    A "row" is the file's unit (``unit``): a row of a long file, a value cell of a wide one.
    ``rejected`` has one line per problem (a unit may have several); ``skipped`` counts units by reason and
    ``skipped_examples`` keeps the first few (distinct) row numbers of each reason.
    """

    path: Path
    checksum: str
    adapter_id: str | None
    rows_read: int
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    file_error: str | None = None
    unit: str = ROW
    skipped_examples: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rows_accepted(self) -> int:
        return len(self.accepted)

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


def validate_file(path: Path, context: ValidationContext, adapter: Adapter | None = None) -> FileResult:
    """Judge every row of ``path``. File-level problems reject the file with one message; never raises
    for bad input.

    The checksum is taken before and after reading: a file replaced or rewritten while it was read is not
    judged (what was read may be neither version). It is recorded with nothing loaded, under a checksum no
    file has (so neither version counts as loaded), and filing leaves it in the landing folder for the next
    run to judge."""
    checksum = file_checksum(path)
    raw, problem = None, None
    try:
        check_input(path)
        adapter = adapter or detect_adapter(path)
        raw = adapter.read(path)
    except FileRejected as exc:
        problem = str(exc)
    if not _still(path, checksum):
        return file_rejected(path, checksum + CHANGED_WHILE_READ, getattr(adapter, "id", None),
                             f"{path.name}: the file changed while it was being read, so what was read may be neither "
                             "version; nothing from it was loaded. It stays in the landing folder and the next run "
                             "judges it again.", rows_read=0)
    if problem is not None:
        return file_rejected(path, checksum, getattr(adapter, "id", None), problem)
    return validate_frame(raw, path, checksum, adapter, context)


def _still(path: Path, checksum: str) -> bool:
    """The file at ``path`` still has the bytes whose checksum is ``checksum``."""
    try:
        return file_checksum(path) == checksum
    except OSError:  # removed or replaced by something unreadable meanwhile
        return False


class _Judgement:
    """The running record of one file's judgement: what was skipped (by reason) and rejected (by row)."""

    def __init__(self, raw: pd.DataFrame, name: str, unit: str):
        self.raw = raw
        self.name = name
        self.unit = unit
        self.skipped: Counter[str] = Counter()
        self.examples: dict[str, list[int]] = {}
        self.rejected: list[dict] = []
        self.labels: dict[str, str] = dict(raw.attrs.get("source_columns", {}))

    def skip(self, mask: pd.Series, reason: str) -> None:
        count = int(mask.sum())
        if count:
            self.skipped[reason] += count
            examples = self.examples.setdefault(reason, [])
            for row in pd.unique(self.raw.loc[mask[mask].index, "source_row"]):
                if len(examples) >= EXAMPLES_PER_REASON:
                    break
                if int(row) not in examples:
                    examples.append(int(row))

    def column_label(self, idx: int, column: str) -> str:
        """The column as the file names it (a wide file's value cell: the header of its column)."""
        if column == "value" and self.unit == VALUE_CELL:
            return str(self.raw.at[idx, "source_location"]).rsplit("!", 1)[-1]
        return self.labels.get(column, column)

    def reject(self, idx: int, column: str, value: object, reason: str) -> None:
        self.rejected.append({"source_file": self.name, "source_row": int(self.raw.at[idx, "source_row"]),
                              "source_location": self.raw.at[idx, "source_location"],
                              "column": self.column_label(idx, column) if column else "",
                              "value": value, "reason": reason})


def validate_frame(raw: pd.DataFrame, path: Path, checksum: str, adapter: Adapter,
                   context: ValidationContext) -> FileResult:
    raw = normalise_raw(raw).reset_index(drop=True)
    unit = getattr(adapter, "unit", ROW)
    judged = _Judgement(raw, path.name, unit)
    rows_read = len(raw)

    # 1. Problems the adapter found while reading a row.
    flagged = raw["row_problem"] != ""
    for idx in raw.index[flagged.to_numpy()]:
        judged.reject(idx, "", "", raw.at[idx, "row_problem"])
    live = raw[~flagged]

    # 2. Scope: which indicator. Out-of-scope units are skipped and counted, not rejected.
    assigned = _assign(live, [(i, i.source) for i in context.catalogue.for_source(adapter.id)])
    others = _assign(live, context.catalogue.also_published_by(adapter.id))
    no_indicator = assigned == ""
    judged.skip(no_indicator & (others != ""), SKIP_NOT_SOURCE_OF_RECORD)
    judged.skip(no_indicator & (others == ""), SKIP_UNKNOWN_INDICATOR)
    live = live.assign(indicator_id=assigned)[~no_indicator]
    if unit == VALUE_CELL:
        empty = live["value"].str.strip() == ""
        judged.skip(empty, SKIP_EMPTY_CELL)
        live = live[~empty]

    # 3. Periods, read with the indicator's declared convention (else the adapter's).
    indicators = context.catalogue.indicators
    default = adapter.period_convention.value if adapter.period_convention else None
    conventions = live["indicator_id"].map(lambda i: indicators[i].period_convention or default)
    periods, period_problems = parse_periods(live["period"], conventions)

    # 4. Areas: codes, alternative codes and names resolved against the register.
    codes, area_outcome = _resolve_areas(live, periods["period_end"], context.areas)
    judged.skip(area_outcome == SKIP_AREA_OUTSIDE_REGISTER, SKIP_AREA_OUTSIDE_REGISTER)
    judged.skip(area_outcome == SKIP_AREA_TYPE, SKIP_AREA_TYPE)
    judged.skip(area_outcome == SKIP_AREA_NAME_UNKNOWN, SKIP_AREA_NAME_UNKNOWN)
    for idx in live.index[area_outcome.str.startswith("reject:").to_numpy()]:
        column = "area_name" if live.at[idx, "area_code"] == "" and live.at[idx, "area_name"] else "area_code"
        judged.reject(idx, column, live.at[idx, column], area_outcome.at[idx].removeprefix("reject:"))
    in_scope = area_outcome == ""
    live = live[in_scope].assign(area_code=codes[in_scope])
    periods = periods[in_scope]
    for problem in period_problems:
        if problem["index"] in live.index:
            judged.reject(problem["index"], "period", problem["value"], problem["reason"])

    # 5. Numbers, parsed explicitly, then every rule at once.
    numbers, number_problems, value_percent = parse_all_numbers(live)
    for problem in number_problems:
        judged.reject(problem["index"], problem["column"], problem["value"], problem["reason"])
    frame = pd.concat([live[["indicator_id", "area_code", "sex", "age", "category_type", "category",
                             "published_trend", "published_comparison", "commentary", "source_row",
                             "source_location"]], numbers, periods], axis=1)
    frame = _fractions_from_percent(frame, value_percent, context.catalogue)
    frame["source_id"] = adapter.id
    frame["source_file"] = path.name
    # Rows with a cell that did not convert stay in (that cell is null), so their other problems are
    # reported too; they are rejected either way.
    frame = _with_rule_columns(frame, context)
    not_converted = {(p["index"], p["column"]) for p in period_problems + number_problems}
    for idx, check, column in _schema_failures(frame):
        if check in CHECK_REASONS:
            column, reason = CHECK_REASONS[check]
        elif (idx, column) in not_converted:
            continue  # a cell that did not convert is null here: already rejected with its own reason
        else:  # a rule on one column (a backstop: earlier steps reject such rows with their own words)
            reason = COLUMN_CHECK_WORDS.get(check, f"{column} breaks the rule '{check}'")
        judged.reject(idx, column, live.at[idx, column] if column in live.columns else "", reason)

    # 6. Duplicated keys within the file: every copy is rejected.
    candidates = frame[~_units(frame).isin(_rejected_units(judged))]
    dup = candidates.duplicated(KEY_COLUMNS, keep=False)
    if dup.any():
        first_rows = candidates[dup].groupby(KEY_COLUMNS, dropna=False)["source_row"].transform("min")
        for idx in candidates.index[dup.to_numpy()]:
            judged.reject(idx, "period", candidates.at[idx, "period"],
                          "duplicate of another row with the same indicator, area, period and breakdown "
                          f"(first at row {first_rows.at[idx]}); which one is right is unknown")
    accepted = frame[~_units(frame).isin(_rejected_units(judged))]
    accepted = accepted[CANONICAL_COLUMNS].reset_index(drop=True)
    return FileResult(path, checksum, adapter.id, rows_read, accepted, _rejected_frame(judged.rejected),
                      {k: v for k, v in judged.skipped.items() if v}, unit=unit, skipped_examples=judged.examples)


def _units(frame: pd.DataFrame) -> pd.MultiIndex:
    """Each unit's identity: its row and, in a wide file, its cell's column."""
    return pd.MultiIndex.from_arrays([frame["source_row"].astype("int64"), frame["source_location"].astype(str)])


def _rejected_units(judged: _Judgement) -> list[tuple[int, str]]:
    return list({(r["source_row"], str(r["source_location"])) for r in judged.rejected})


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


def _fractions_from_percent(frame: pd.DataFrame, value_percent: pd.Series, catalogue: Catalogue) -> pd.DataFrame:
    """``45%`` is 45 for a percentage indicator but 0.45 for one whose proportions are fractions."""
    fraction_ids = {i.id for i in catalogue if i.value_type is ValueType.PROPORTION and i.multiplier == 1}
    convert = value_percent.reindex(frame.index, fill_value=False) & frame["indicator_id"].isin(fraction_ids)
    if convert.any():
        frame = frame.copy()
        frame.loc[convert, "value"] = frame.loc[convert, "value"] / 100
    return frame


def _with_rule_columns(frame: pd.DataFrame, context: ValidationContext) -> pd.DataFrame:
    bounds = {}
    for ind in context.catalogue:
        low, high = ind.value_range()
        bounds[ind.id] = (np.nan if low is None else low, np.nan if high is None else high,
                          ind.value_type is ValueType.COUNT)
    frame = frame.copy()
    frame["_min"] = frame["indicator_id"].map(lambda i: bounds[i][0]).astype("float64")
    frame["_max"] = frame["indicator_id"].map(lambda i: bounds[i][1]).astype("float64")
    frame["_integer"] = frame["indicator_id"].map(lambda i: bounds[i][2]).astype(bool)
    for col in ("indicator_id", "area_code", "period", "sex", "age", "category_type", "category"):
        frame[col] = frame[col].astype(str)
    return frame


def _schema_failures(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(row index, check, column) of every schema failure; the column is "" for a dataframe-level check."""
    if frame.empty:
        return []
    try:
        ObservationModel.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        # A dataframe-level check reports each failing row once per column: keep one per (row, check).
        found: dict[tuple[int, str], str] = {}
        for i, check, column in zip(cases["index"], cases["check"], cases["column"], strict=True):
            found.setdefault((int(i), str(check)), "" if str(check) in CHECK_REASONS else str(column))
        return [(i, check, column) for (i, check), column in found.items()]
    return []
