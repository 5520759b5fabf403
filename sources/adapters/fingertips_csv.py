"""Fingertips CSV export (26- and 27-column layouts, METHODS.md section 9).

Header spellings vary between downloads (``Area Name``/``AreaName``), so columns are matched on
normalised names. Counts may carry thousands separators; value notes (and some empty numeric cells, as
``<div class="no-data">-</div>``) carry HTML, kept as plain text; indicator names may
hold line breaks; rows with a Category Type are breakdowns (e.g. deprivation deciles), not areas. The
published ``Recent Trend`` and ``Compared to England`` labels are kept beside what we compute.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from indicators.periods import Convention
from sources.adapters.base import ROW, HeaderMap, csv_table
from sources.canonical import strip_html
from sources.files import Probe
from sources.rawtable import columns_containing, csv_into_table, map_distinct, quoted

# The 27-column export as Fingertips writes it today (older downloads: 26 columns, other spellings).
FINGERTIPS_HEADER = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator",
    "Value note", "Recent Trend", "Compared to England value or percentiles",
    "Compared to percentiles", "Time period Sortable", "New data", "Compared to goal", "Time period range",
]

COLUMNS = HeaderMap(
    mapping={
        "indicatorid": "code",
        "indicatorname": "indicator_name",
        "areacode": "area_code",
        "areaname": "area_name",
        "sex": "sex",
        "age": "age",
        "categorytype": "category_type",
        "category": "category",
        "timeperiod": "period",
        "value": "value",
        "lowerci950limit": "lower_ci95",
        "upperci950limit": "upper_ci95",
        "lowerci998limit": "lower_ci998",
        "upperci998limit": "upper_ci998",
        "count": "count",
        "denominator": "denominator",
        "valuenote": "value_note",
        "recenttrend": "published_trend",
        "comparedtoenglandvalueorpercentiles": "published_comparison",
    },
    required=frozenset({"indicatorid", "areacode", "timeperiod", "value", "sex", "age"}),
    labels={"indicatorid": "Indicator ID", "areacode": "Area Code", "timeperiod": "Time period",
            "value": "Value", "sex": "Sex", "age": "Age"},
)


WHAT = "a Fingertips export"


class FingertipsCsv:
    id = "fingertips_csv"
    title = "Fingertips CSV export"
    expects = "a CSV whose header has Indicator ID, Area Code, Time period, Value (Fingertips export)"
    period_convention = Convention.FINANCIAL
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"indicatorid", "areacode", "timeperiod"} <= set(probe.header)

    def read_into(self, path: Path, con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, str]]:
        """The export as a raw table on ``con`` (DuckDB's CSV reader; national files hold millions of rows)."""
        table, labels = csv_into_table(con, path, COLUMNS.mapping, COLUMNS.required,
                                       lambda: csv_table(path, COLUMNS, WHAT), COLUMNS.describe, WHAT)
        for column in columns_containing(con, table, list(labels), "<"):  # HTML in notes, even in numeric cells
            map_distinct(con, table, column, strip_html, f"contains({quoted(column)}, '<')")
        return table, labels

    def read(self, path: Path) -> pd.DataFrame:
        with duckdb.connect() as con:
            table, labels = self.read_into(path, con)
            out = con.execute(f"SELECT * EXCLUDE (uid) FROM {table} ORDER BY uid").df()
        out.attrs["source_columns"] = labels
        return out
