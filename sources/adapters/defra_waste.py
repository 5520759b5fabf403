"""DEFRA WasteDataFlow via the UK SDG platform (indicator 11.6.1): local-authority-collected waste by
disposal route, one row per authority, year and route.

Layout: ``Year, Series, Disposal method, Region, Waste collection authority, Units, Observation status,
GeoCode, Value``. Authorities are named, not coded ("Leicestershire County Council", "Barnsley MBC"):
the record carries the name and validation matches it against the register, judged at the period, so
"Buckinghamshire County Council" in 2019/20 and "Buckinghamshire Council" in 2020/21 are two councils.
Rows without an authority are regions (``GeoCode`` holds the region code) or, with no code, England.
``Disposal method`` (Landfill, Recycled-composted...) picks the indicator.
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
        "disposalmethod": "measure",
        "wastecollectionauthority": "_authority",
        "observationstatus": "value_note",
        "geocode": "_geocode",
        "value": "value",
    },
    required=frozenset({"year", "disposalmethod", "wastecollectionauthority", "value"}),
    labels={"year": "Year", "disposalmethod": "Disposal method",
            "wastecollectionauthority": "Waste collection authority", "value": "Value"},
)


class DefraWaste:
    id = "defra_waste"
    title = "DEFRA local authority collected waste by disposal route (SDG 11.6.1)"
    expects = "a CSV whose header has Year, Disposal method, Waste collection authority, Value (SDG 11.6.1)"
    period_convention = Convention.FINANCIAL
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"year", "disposalmethod", "wastecollectionauthority", "value"} <= set(
            probe.header)

    def read(self, path: Path) -> pd.DataFrame:
        out = csv_table(path, COLUMNS, "an SDG 11.6.1 waste file")
        authority, geocode = out["_authority"], text_column(out, "_geocode")
        named = authority != ""
        out["area_name"] = authority
        out["area_code"] = np.where(named, "", np.where(geocode != "", geocode, ENGLAND))
        # "Normal value" is the SDG platform's default status, not a note worth keeping.
        note = text_column(out, "value_note")  # "Observation status" is optional
        out["value_note"] = note.where(note.str.lower() != "normal value", "")
        return out.drop(columns=["_authority", *(["_geocode"] if "_geocode" in out.columns else [])])
