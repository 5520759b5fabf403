"""fingertipsR extracts in tidy form (the 2020-vintage files: one indicator per file, named in a column).

Layout: ``area_code, area_name, period, value, indicator, measure, unit, [group], significance``. The sex
is in ``group`` when the file has it (healthy life expectancy, slope index of inequality); otherwise the
``unit`` column holds "Persons". ``significance`` is OHID's own Compared-to-England label. Periods such
as ``2010-12`` are pooled three-year periods here (declared, not guessed); missing values are ``NA``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.periods import Convention
from sources.adapters.base import ROW, HeaderMap, csv_table, text_column
from sources.files import Probe

COLUMNS = HeaderMap(
    mapping={
        "areacode": "area_code",
        "areaname": "area_name",
        "period": "period",
        "value": "value",
        "indicator": "indicator_name",
        "measure": "measure",
        "unit": "_unit",
        "group": "_group",
        "significance": "published_comparison",
    },
    required=frozenset({"areacode", "period", "value", "indicator"}),
    labels={"areacode": "area_code", "period": "period", "value": "value", "indicator": "indicator"},
)
SEXES = {"persons": "Persons", "male": "Male", "female": "Female"}


class FingertipsTidy:
    id = "fingertips_tidy"
    title = "fingertipsR tidy extract"
    expects = "a CSV whose header has area_code, period, value, indicator, significance (fingertipsR extract)"
    period_convention = Convention.POOLED
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"areacode", "period", "value", "indicator", "significance"} <= set(
            probe.header)

    def read(self, path: Path) -> pd.DataFrame:
        out = csv_table(path, COLUMNS, "a fingertipsR extract")
        group, unit = text_column(out, "_group"), text_column(out, "_unit")
        sex = group.where(group != "", unit).str.lower().map(SEXES)
        out["sex"] = sex.fillna("Persons")
        return out.drop(columns=[c for c in ("_group", "_unit") if c in out.columns])
