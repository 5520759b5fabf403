"""Fingertips CSV export (26- and 27-column layouts, METHODS.md section 9).

Header spellings vary between downloads (``Area Name``/``AreaName``), so columns are matched on
normalised names. Counts may carry thousands separators; value notes may carry HTML; the published
``Recent Trend`` and ``Compared to England`` labels are kept beside what we compute.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from indicators.periods import Convention
from sources.adapters.base import HeaderMap
from sources.canonical import strip_html
from sources.files import FileRejected, Probe, normalise_header, read_csv_text

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
)


class FingertipsCsv:
    id = "fingertips_csv"
    title = "Fingertips CSV export"
    expects = "a CSV whose header has Indicator ID, Area Code, Time period, Value (Fingertips export)"
    period_convention = Convention.FINANCIAL

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"indicatorid", "areacode", "timeperiod"} <= set(probe.header)

    def read(self, path: Path) -> pd.DataFrame:
        rows = list(csv.reader(io.StringIO(read_csv_text(path), newline="")))
        if not rows:
            raise FileRejected(f"{path.name}: the file is empty")
        header = tuple(normalise_header(h) for h in rows[0])
        missing = COLUMNS.missing(header)
        if missing:
            raise FileRejected(f"{path.name}: missing required Fingertips column(s) {missing}")
        body = rows[1:]
        if not body:
            raise FileRejected(f"{path.name}: the file has a header but no rows")
        width = len(header)
        frame = pd.DataFrame([r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in body],
                             columns=list(header), dtype=object)
        keep = {norm: raw for norm, raw in COLUMNS.mapping.items() if norm in frame.columns}
        out = frame[list(keep)].rename(columns=keep)
        # Fingertips's header is row 1 of the file, so data row i is file row i + 2.
        out["source_row"] = range(2, len(out) + 2)
        out["value_note"] = out.get("value_note", pd.Series("", index=out.index)).map(
            lambda v: strip_html(v) if v else "")
        out["indicator_name"] = out.get("indicator_name", pd.Series("", index=out.index)).map(
            lambda v: " ".join(str(v).split()))
        return out
