"""Early Years Foundation Stage Profile via the UK SDG platform (indicator 4.2.1): children at the
expected level in the early learning goals, by local authority.

Layout: ``Year, Series, Region, Local authority, Gender, Ethnicity, Free school meals, Learning category,
Learning sub-category (higher), Observation status, Unit multiplier, Unit measure, GeoCode, Value``.
``GeoCode`` is blank for many councils (the county councils among them), so those rows carry the
council's name and validation matches it. The learning area picks the indicator (``measure``): "All
early learning goals" when both learning columns are blank, else the category or sub-category. Gender is
the sex breakdown; ethnicity and free school meals are category breakdowns. ``Series`` says pre- or
post-2021/22 reform (a definition break, noted in the catalogue).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators.areas import ENGLAND
from indicators.periods import Convention
from sources.adapters.base import ROW, HeaderMap, csv_table, text_column
from sources.files import Probe

COLUMNS = HeaderMap(
    mapping={
        "year": "period",
        "series": "indicator_name",
        "localauthority": "_authority",
        "gender": "_gender",
        "ethnicity": "_ethnicity",
        "freeschoolmeals": "_fsm",
        "learningcategory": "_category",
        "learningsubcategoryhigher": "_subcategory",
        "geocode": "_geocode",
        "value": "value",
    },
    required=frozenset({"year", "localauthority", "learningcategory", "geocode", "value"}),
    labels={"year": "Year", "localauthority": "Local authority", "learningcategory": "Learning category",
            "geocode": "GeoCode", "value": "Value"},
)
ALL_GOALS = "All early learning goals"
SEXES = {"boys": "Male", "girls": "Female"}


class EyfspSdg:
    id = "eyfsp_sdg"
    title = "EYFSP expected level in the early learning goals (SDG 4.2.1)"
    expects = "a CSV whose header has Year, Local authority, Learning category, GeoCode, Value (SDG 4.2.1)"
    period_convention = Convention.ACADEMIC
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"year", "localauthority", "learningcategory", "geocode"} <= set(
            probe.header)

    def read(self, path: Path) -> pd.DataFrame:
        out = csv_table(path, COLUMNS, "an SDG 4.2.1 early years file")
        authority, geocode = out["_authority"], out["_geocode"]
        out["area_code"] = np.where(geocode != "", geocode, np.where(authority != "", "", ENGLAND))
        out["area_name"] = authority
        category, sub = text_column(out, "_category"), text_column(out, "_subcategory")
        out["measure"] = np.where(sub != "", sub, np.where(category != "", category, ALL_GOALS))
        out["sex"] = text_column(out, "_gender").str.lower().map(SEXES).fillna("")
        ethnicity, fsm = text_column(out, "_ethnicity"), text_column(out, "_fsm")
        out["category_type"] = np.where(ethnicity != "", "Ethnicity", np.where(fsm != "", "Free school meals", ""))
        out["category"] = np.where(ethnicity != "", ethnicity, fsm)
        return out.drop(columns=[c for c in out.columns if c.startswith("_")])
