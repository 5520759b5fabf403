"""Office for Local Government adult social care measures (ASC1-ASC7), one row per council, year and
measure.

Layout: ``Financial year, Local authority code, Local authority name, Grouping, Entity_Name, Region,
Measure, Code, Value, MEDIAN, MADs_from_median, rank_order``. ``Code`` (ASC1...) picks the indicator;
years are written ``2016-17`` (financial years, declared). Oflog's median and rank direction are Oflog's
own figures: the pipeline computes its own comparisons, so they are not kept.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.periods import Convention
from sources.adapters.base import ROW, HeaderMap, csv_table
from sources.files import Probe

COLUMNS = HeaderMap(
    mapping={
        "financialyear": "period",
        "localauthoritycode": "area_code",
        "localauthorityname": "area_name",
        "measure": "indicator_name",
        "code": "code",
        "value": "value",
    },
    required=frozenset({"financialyear", "localauthoritycode", "code", "value"}),
    labels={"financialyear": "Financial year", "localauthoritycode": "Local authority code", "code": "Code",
            "value": "Value"},
)


class OflogAdultSocialCare:
    id = "oflog_asc"
    title = "Oflog adult social care measures"
    expects = "a CSV whose header has Financial year, Local authority code, Measure, Code, Value (Oflog)"
    period_convention = Convention.FINANCIAL
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"financialyear", "localauthoritycode", "code", "value"} <= set(probe.header)

    def read(self, path: Path) -> pd.DataFrame:
        return csv_table(path, COLUMNS, "an Oflog adult social care file")
