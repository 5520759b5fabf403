"""The council's own returns template (XLSX or CSV), filled in by service teams.

One documented layout (sources/templates/RETURNS_TEMPLATE.md): a sheet named ``Returns`` (or a CSV)
with columns indicator_id, area_code, period, value, numerator, denominator, lower_ci95, upper_ci95,
value_note, commentary, and optional sex and age. ``commentary`` is the officer commentary printed in
the scrutiny report.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from indicators.periods import Convention
from sources.adapters.base import HeaderMap
from sources.files import FileRejected, Probe, first_nonempty_row, normalise_header, read_csv_text, xlsx_rows

SHEET = "Returns"

COLUMNS = HeaderMap(
    mapping={
        "indicatorid": "code",
        "areacode": "area_code",
        "areaname": "area_name",
        "period": "period",
        "sex": "sex",
        "age": "age",
        "value": "value",
        "numerator": "count",
        "denominator": "denominator",
        "lowerci95": "lower_ci95",
        "upperci95": "upper_ci95",
        "valuenote": "value_note",
        "commentary": "commentary",
    },
    required=frozenset({"indicatorid", "areacode", "period", "value"}),
)
SNIFF = frozenset({"indicatorid", "areacode", "period", "value"})


class ReturnsTemplate:
    id = "returns"
    title = "Council returns template"
    expects = ("an XLSX with a 'Returns' sheet, or a CSV, whose header has indicator_id, area_code, period, "
               "value (the council's returns template)")
    period_convention = Convention.FINANCIAL

    def sniff(self, probe: Probe) -> bool:
        if probe.kind == "xlsx":
            return set(probe.sheets.get(SHEET, ())) >= SNIFF
        return probe.kind == "csv" and set(probe.header) >= SNIFF and "timeperiod" not in probe.header

    def read(self, path: Path) -> pd.DataFrame:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = xlsx_rows(path, SHEET)
            offset, header_row = first_nonempty_row(rows)
            body = rows[offset + 1:] if offset >= 0 else []
            first_data_row = offset + 2  # spreadsheet rows are 1-based
        else:
            rows = list(csv.reader(io.StringIO(read_csv_text(path), newline="")))
            offset, header_row = 0, rows[0] if rows else []
            body, first_data_row = rows[1:], 2
        if not header_row:
            raise FileRejected(f"{path.name}: the file is empty")
        header = [normalise_header(h) for h in header_row]
        missing = COLUMNS.missing(tuple(header))
        if missing:
            raise FileRejected(f"{path.name}: missing required returns column(s) {missing}")
        numbered = [(first_data_row + i, r) for i, r in enumerate(body)
                    if any(str(c).strip() for c in r if c is not None)]
        if not numbered:
            raise FileRejected(f"{path.name}: the file has a header but no rows")
        width = len(header)
        frame = pd.DataFrame([list(r[:width]) + [""] * (width - len(r)) for _, r in numbered],
                             columns=header, dtype=object)
        keep = {norm: raw for norm, raw in COLUMNS.mapping.items() if norm in frame.columns}
        out = frame[list(keep)].rename(columns=keep)
        out["source_row"] = [n for n, _ in numbered]
        return out
