"""Read, scope, parse and validate one file: every row ends accepted, rejected or skipped, and is counted.

This is the single place a file's rows are judged. The Dagster asset checks, the ``validate`` command and
the warehouse loader all use the :class:`FileResult` it returns, so nothing is validated twice.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from indicators.areas import AreaRegister
from indicators.catalogue import Catalogue, ValueType
from sources.adapters.base import Adapter
from sources.canonical import CANONICAL_COLUMNS, KEY_COLUMNS, empty_canonical, normalise_raw
from sources.files import FileRejected, file_checksum
from sources.parse import parse_all_numbers, parse_periods
from sources.registry import detect_adapter
from sources.schema import CHECK_REASONS, ObservationModel

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
COMPARED_AREA_TYPES = frozenset({"county", "unitary", "metropolitan_district", "london_borough", "region",
                                 "country", "aggregate"})
REJECTED_COLUMNS = ["source_file", "source_row", "column", "value", "reason"]

SKIP_UNKNOWN_INDICATOR = "indicator not in the catalogue for this source"
SKIP_NOT_SOURCE_OF_RECORD = "source is not this indicator's source of record"
SKIP_AREA_OUTSIDE_REGISTER = "area outside the register (e.g. a district or a non-English area)"
SKIP_AREA_TYPE = "area of a type the catalogue does not compare"


@dataclass(frozen=True)
class ValidationContext:
    catalogue: Catalogue
    areas: AreaRegister


@dataclass
class FileResult:
    """What happened to one file. rows_read = rows_accepted + rows_rejected + rows_skipped, always."""

    path: Path
    checksum: str
    adapter_id: str | None
    rows_read: int
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    file_error: str | None = None

    @property
    def rows_accepted(self) -> int:
        return len(self.accepted)

    @property
    def rows_rejected(self) -> int:
        if self.file_error is not None:
            return self.rows_read
        return int(self.rejected["source_row"].nunique()) if len(self.rejected) else 0

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
        line = (f"{self.path.name}: {self.rows_read} read, {self.rows_accepted} accepted, "
                f"{self.rows_rejected} rejected, {self.rows_skipped} skipped")
        if self.file_error:
            line += f"\n  FILE REJECTED: {self.file_error}"
        return line


def _rejected_frame(records: list[dict]) -> pd.DataFrame:
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS}).astype({"source_row": "int64"})
    frame = pd.DataFrame.from_records(records, columns=REJECTED_COLUMNS)
    frame["value"] = frame["value"].map(lambda v: "" if v is None else str(v))
    return frame.astype({"source_row": "int64"})


def file_rejected(path: Path, checksum: str, adapter_id: str | None, message: str, rows_read: int = 0) -> FileResult:
    return FileResult(path, checksum, adapter_id, rows_read, empty_canonical(), _rejected_frame([]), {},
                      file_error=message)


def validate_file(path: Path, context: ValidationContext, adapter: Adapter | None = None) -> FileResult:
    """Judge every row of ``path``. File-level problems reject the file with one message; never raises
    for bad input."""
    checksum = file_checksum(path)
    try:
        adapter = adapter or detect_adapter(path)
        raw = adapter.read(path)
    except FileRejected as exc:
        return file_rejected(path, checksum, getattr(adapter, "id", None), str(exc))
    return validate_frame(raw, path, checksum, adapter, context)


def _assign_indicators(raw: pd.DataFrame, source_id: str, context: ValidationContext) -> pd.Series:
    """indicator_id for each row by the catalogue's source selectors ("" where none selects it)."""
    assigned = pd.Series("", index=raw.index, dtype=object)
    for indicator in context.catalogue.for_source(source_id):
        sel = indicator.source
        mask = pd.Series(True, index=raw.index)
        for field_name in ("code", "indicator_name", "measure", "column"):
            wanted = getattr(sel, field_name)
            if wanted is not None:
                mask &= raw[field_name].astype(str).str.casefold() == wanted.casefold()
        for column, wanted in sel.breakdown.items():
            mask &= raw[column].astype(str) == wanted
        assigned = assigned.where(~mask, indicator.id)
    return assigned


def _other_source_codes(source_id: str, context: ValidationContext) -> set[str]:
    return {i.source.code for i in context.catalogue if i.source.source != source_id and i.source.code}


def validate_frame(raw: pd.DataFrame, path: Path, checksum: str, adapter: Adapter,
                   context: ValidationContext) -> FileResult:
    raw = normalise_raw(raw).reset_index(drop=True)
    rows_read = len(raw)
    skipped: Counter[str] = Counter()
    rejected: list[dict] = []
    name = path.name

    # 1. Scope: which indicator, which area. Out of scope rows are skipped and counted, not rejected.
    raw["indicator_id"] = _assign_indicators(raw, adapter.id, context)
    no_indicator = raw["indicator_id"] == ""
    other_codes = _other_source_codes(adapter.id, context)
    not_record = no_indicator & raw["code"].isin(other_codes)
    skipped[SKIP_NOT_SOURCE_OF_RECORD] += int(not_record.sum())
    skipped[SKIP_UNKNOWN_INDICATOR] += int((no_indicator & ~not_record).sum())
    raw = raw[~no_indicator]

    codes = raw["area_code"].astype(str)
    area_types = codes.map(lambda c: (context.areas.get(c).type if c in context.areas else None))
    well_formed = codes.str.match(GSS_CODE)
    outside = area_types.isna() & well_formed
    wrong_type = area_types.notna() & ~area_types.isin(COMPARED_AREA_TYPES)
    skipped[SKIP_AREA_OUTSIDE_REGISTER] += int(outside.sum())
    skipped[SKIP_AREA_TYPE] += int(wrong_type.sum())
    unknown_code = area_types.isna() & ~well_formed
    for idx in raw.index[unknown_code.to_numpy()]:
        rejected.append({"source_file": name, "source_row": raw.at[idx, "source_row"], "column": "area_code",
                         "value": raw.at[idx, "area_code"],
                         "reason": "area code is not a GSS code nor a known area"})
    raw = raw[~(outside | wrong_type | unknown_code)]

    # 2. Parse text into numbers and periods, recording every cell that does not convert.
    indicators = context.catalogue.indicators
    conventions = raw["indicator_id"].map(
        lambda i: indicators[i].period_convention or (adapter.period_convention.value
                                                      if adapter.period_convention else None))
    numbers, number_problems = parse_all_numbers(raw)
    periods, period_problems = parse_periods(raw["period"], conventions)
    for problem in number_problems + period_problems:
        idx = problem.pop("index")
        rejected.append({"source_file": name, "source_row": raw.at[idx, "source_row"], **problem})

    frame = pd.concat([raw[["indicator_id", "area_code", "sex", "age", "category_type", "category",
                            "published_trend", "published_comparison", "commentary", "source_row"]],
                       numbers, periods], axis=1)
    frame["source_id"] = adapter.id
    frame["source_file"] = name
    bad_parse = {p["source_row"] for p in rejected}
    frame = frame[~frame["source_row"].isin(bad_parse)]

    # 3. Rules (pandera, lazy): ranges by value type, CI order, count <= denominator.
    frame = _with_rule_columns(frame, context)
    rule_failures = _schema_failures(frame)
    for idx, check in rule_failures:
        column, reason = CHECK_REASONS.get(check, ("", check))
        rejected.append({"source_file": name, "source_row": frame.at[idx, "source_row"], "column": column,
                         "value": raw.at[idx, column] if column in raw.columns else "", "reason": reason})

    # 4. Duplicated keys within the file: every copy is rejected (which one is right is unknown).
    dup = frame.duplicated(KEY_COLUMNS, keep=False)
    if dup.any():
        first_rows = frame[dup].groupby(KEY_COLUMNS, dropna=False)["source_row"].transform("min")
        for idx in frame.index[dup.to_numpy()]:
            rejected.append({"source_file": name, "source_row": frame.at[idx, "source_row"],
                             "column": "period",
                             "value": frame.at[idx, "period"],
                             "reason": f"duplicate of another row with the same indicator, area, period and "
                                       f"breakdown (first at row {first_rows.at[idx]})"})
    rejected_rows = {r["source_row"] for r in rejected}
    accepted = frame[~frame["source_row"].isin(rejected_rows)]
    accepted = accepted[CANONICAL_COLUMNS].reset_index(drop=True)
    return FileResult(path, checksum, adapter.id, rows_read, accepted, _rejected_frame(rejected),
                      {k: v for k, v in skipped.items() if v})


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


def _schema_failures(frame: pd.DataFrame) -> list[tuple[int, str]]:
    if frame.empty:
        return []
    try:
        ObservationModel.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        # A dataframe-level check reports each failing row once per column: keep one per (row, check).
        pairs = dict.fromkeys((int(i), str(c)) for i, c in zip(cases["index"], cases["check"], strict=True))
        return list(pairs)
    return []
