""""Years across columns" tables in XLSX: the shape most published tables take.

Each sheet holding a table is read: its header row (found within the first rows, below any title and
notes) has an area code column and one column per period (``2019/20``, ``2019-20``, ``2019``, ``2019 Q1``);
optional columns give the indicator (one indicator per row), the area name, sex and age. Without an
indicator column the sheet name is the indicator (one indicator per sheet). The catalogue picks an
indicator by ``source.code`` = that indicator cell or sheet name.

Every value cell under a period column is a unit. Rows without any value whose area cell is not a code
(titles, footnotes, blank rows) are not data. Sheets without such a header (contents, notes) are not read; a sheet whose
header has the area code column but no period column is an error (merged header cells are read as one
cell followed by blanks, so each period must have its own header cell).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sources.adapters.base import VALUE_CELL
from sources.files import FileRejected, Probe, cell_text, normalise_header, xlsx_rows, xlsx_sheet_names

AREA_HEADERS = frozenset({"areacode", "gsscode", "onscode", "lacode", "code", "geographycode", "areacd",
                          "localauthoritycode", "ladcode", "newlacode"})
OPTIONAL = {
    "indicator": "code", "indicatorid": "code", "indicatorcode": "code",
    "areaname": "area_name", "name": "area_name", "localauthority": "area_name", "laname": "area_name",
    "areanm": "area_name", "sex": "sex", "age": "age", "agegroup": "age",
}
PERIOD_HEADER = re.compile(
    r"^(\d{4}(\s*[-/]\s*\d{2}(\d{2})?)?(\s*Q[1-4])?|Q[1-4]\s+\d{4}([-/]\d{2})?|\d{4} - \d{2}|\d{4}-\d{2}-\d{2})$",
    re.I)
HEADER_SEARCH_ROWS = 20
CODE_LIKE = re.compile(r"^[A-Za-z0-9:_-]+$")  # an area code has no spaces; a footnote has


def _is_period(text: str) -> bool:
    return bool(PERIOD_HEADER.match(text.strip()))


def find_header(rows: list[list[str]]) -> tuple[int, list[str]] | None:
    """The first row (within the first rows) with an area code column, as (index, cells)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(normalise_header(c) in AREA_HEADERS for c in row):
            return index, row
    return None


class WideYearsTable:
    id = "wide_years"
    title = "Years-across-columns table (XLSX)"
    expects = ("an XLSX with a table whose header row has an area code column and one column per period "
               "(e.g. 'Area code', '2019/20', '2020/21')")
    period_convention = None  # the catalogue indicator's convention reads the period headers
    unit = VALUE_CELL

    def sniff(self, probe: Probe) -> bool:
        if probe.kind != "xlsx":
            return False
        for rows in probe.head.values():
            found = find_header(rows)
            if found is None:
                continue
            index, header = found
            below = rows[index + 1] if index + 1 < len(rows) else []
            # periods in the header row, or in the row below under blank header cells, where a merged cell
            # ("Financial year") spans them: read it to say so
            under_blanks = [below[i] for i, h in enumerate(header) if not h.strip() and i < len(below)]
            if any(_is_period(c) for c in header) or any(_is_period(c) for c in under_blanks):
                return True
        return False

    def read(self, path: Path) -> pd.DataFrame:
        sheets = xlsx_sheet_names(path)
        parts = []
        for sheet in sheets:
            rows = [[cell_text(c) for c in r] for r in xlsx_rows(path, sheet)]
            found = find_header(rows)
            if found is None:
                continue  # a contents or notes sheet
            parts.append(_read_sheet(path, sheet, rows, *found, prefix=f"{sheet}!" if len(sheets) > 1 else ""))
        if not parts:
            raise FileRejected(f"{path.name}: no sheet has a table with an area code column "
                               f"(looked in the first {HEADER_SEARCH_ROWS} rows of {', '.join(sheets)})")
        out = pd.concat(parts, ignore_index=True)
        out.attrs["source_columns"] = {"area_code": "area code", "code": "indicator"}
        return out


def _read_sheet(path: Path, sheet: str, rows: list[list[str]], index: int, header: list[str],
                prefix: str) -> pd.DataFrame:
    normal = [normalise_header(c) for c in header]
    periods = {i: h.strip() for i, h in enumerate(header) if _is_period(h)}
    if not periods:
        raise FileRejected(
            f"{path.name}: sheet '{sheet}', row {index + 1} has the area code column but no period columns; "
            "expected one column per period such as '2019/20' or '2021' (merged header cells are read as one "
            "cell followed by blanks: give each period its own header cell)")
    area_col = next(i for i, n in enumerate(normal) if n in AREA_HEADERS)
    optional = {OPTIONAL[n]: i for i, n in reversed(list(enumerate(normal))) if n in OPTIONAL}
    blank = [i for i, h in enumerate(header) if not h.strip()]
    records: list[dict] = []
    for offset, row in enumerate(rows[index + 1:]):
        row = row + [""] * (len(header) - len(row))
        values = {i: row[i] for i in periods}
        area = row[area_col]
        if not any(values.values()) and not CODE_LIKE.match(area):
            continue  # a title, footnote or blank row, not data
        row_number = index + offset + 2
        stray = [header[i - 1] if i else "" for i in blank if row[i]] + (
            ["beyond the last header"] if any(row[len(header):]) else [])
        problem = (f"the row has a value in a column without a header (next to '{stray[0]}'): merged header "
                   "cells or a shifted row") if stray else ""
        base = {"area_code": area, "source_row": row_number, "row_problem": problem,
                "code": row[optional["code"]] if "code" in optional else sheet}
        for name in ("area_name", "sex", "age"):
            if name in optional:
                base[name] = row[optional[name]]
        for i, period in periods.items():
            records.append({**base, "period": period, "value": values[i], "source_location": f"{prefix}{period}"})
    return pd.DataFrame.from_records(records)
