"""DESNZ (formerly BEIS) local authority CO2 emissions, as packaged by mySociety: wide by sector.

One row per council and year; columns such as ``Domestic Total:kt CO2``, ``Population:000s`` and
``Per Person Emissions:t``; each value cell is a unit (the catalogue picks columns by ``source.column``).
Councils are keyed by mySociety's three-letter codes (``LEC``), which the register maps to GSS codes;
files with a ``gss-code`` column (the project's county subset) use it directly. The full file also holds
districts and Scottish, Welsh and Northern Irish councils: validation skips them as outside the register.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sources.adapters.base import VALUE_CELL, HeaderMap, text_column, wide_csv_table
from sources.files import Probe

MYSOCIETY_SCHEME = "mysociety:"

IDS = HeaderMap(
    mapping={
        "year": "period",
        "localauthoritycode": "_la_code",
        "gsscode": "_gss_code",
        "officialname": "area_name",
    },
    required=frozenset({"year", "localauthoritycode"}),
    labels={"year": "Year", "localauthoritycode": "local-authority-code"},
)


class DesnzEmissions:
    id = "desnz_emissions"
    title = "DESNZ local authority CO2 emissions (mySociety)"
    expects = ("a CSV whose header has Year, local-authority-code and sector columns such as "
               "'Domestic Total:kt CO2' (DESNZ emissions, mySociety package)")
    period_convention = None  # calendar years
    unit = VALUE_CELL

    def sniff(self, probe: Probe) -> bool:
        header = set(probe.header)
        return probe.kind == "csv" and {"year", "localauthoritycode"} <= header and any(
            h.endswith("ktco2") or h == "perpersonemissionst" for h in header)

    def read(self, path: Path) -> pd.DataFrame:
        out = wide_csv_table(path, IDS, "a DESNZ emissions file")
        gss = text_column(out, "_gss_code")
        out["area_code"] = np.where(gss != "", gss, MYSOCIETY_SCHEME + out["_la_code"].str.upper())
        return out.drop(columns=[c for c in out.columns if c.startswith("_")])
