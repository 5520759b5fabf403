"""The council's own returns template (XLSX or CSV), filled in by service teams.

One documented layout (sources/templates/RETURNS_TEMPLATE.md; a blank workbook is shipped beside it):
a sheet named ``Returns`` (or a CSV) with columns indicator_id, area_code, period, value, numerator,
denominator, lower_ci95, upper_ci95, value_note, commentary, and optional area_name, sex and age.
``commentary`` is the officer commentary printed in the scrutiny report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.periods import Convention
from sources.adapters.base import ROW, HeaderMap, csv_table, table_frame
from sources.files import FileRejected, Probe, first_nonempty_row, xlsx_rows

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
    labels={"indicatorid": "indicator_id", "areacode": "area_code", "period": "period", "value": "value"},
)
SNIFF = frozenset({"indicatorid", "areacode", "period", "value"})
# The template's columns in order, as written in the blank template and documented.
TEMPLATE_COLUMNS = ["indicator_id", "area_code", "area_name", "period", "sex", "age", "value", "numerator",
                    "denominator", "lower_ci95", "upper_ci95", "value_note", "commentary"]


class ReturnsTemplate:
    id = "returns"
    title = "Council returns template"
    expects = ("an XLSX with a 'Returns' sheet, or a CSV, whose header has indicator_id, area_code, period, "
               "value (the council's returns template)")
    period_convention = Convention.FINANCIAL
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        if probe.kind == "xlsx":
            return set(probe.sheets.get(SHEET, ())) >= SNIFF
        return probe.kind == "csv" and set(probe.header) >= SNIFF and "timeperiod" not in probe.header

    def read(self, path: Path) -> pd.DataFrame:
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            return csv_table(path, COLUMNS, "the returns template")
        rows = xlsx_rows(path, SHEET)
        offset, header_row = first_nonempty_row(rows)
        if offset < 0:
            raise FileRejected(f"{path.name}: the '{SHEET}' sheet is empty")
        # spreadsheet rows are 1-based: the row after the header is offset + 2
        return table_frame(path, header_row, rows[offset + 1:], offset + 2, COLUMNS, "the returns template")
