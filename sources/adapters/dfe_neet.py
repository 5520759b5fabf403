"""DfE NEET and activity not known, 16-17 year olds, by local authority (NCCIS dashboard files).

One file per year; the column sets differ between years (new measures are added, some renamed), so the
file is read as identifying columns plus one measure per remaining column, and each value cell is a unit
(the catalogue picks measures by ``source.column``, e.g. ``NEET_not_known_percent``). The area code
depends on ``geographic_level``: ``country_code`` for National rows, ``region_code`` for Regional rows,
``new_la_code`` for Local authority rows. ``Age`` (16-17) is the age breakdown. Quintile columns use ``z``
for "not applicable", read as a marker.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sources.adapters.base import VALUE_CELL, HeaderMap, text_column, wide_csv_table
from sources.files import Probe

IDS = HeaderMap(
    mapping={
        "timeperiod": "period",
        "timeidentifier": "_time_identifier",
        "geographiclevel": "_level",
        "countrycode": "_country_code",
        "countryname": "_country_name",
        "regioncode": "_region_code",
        "regionname": "_region_name",
        "oldlacode": "_old_la_code",
        "newlacode": "_la_code",
        "laname": "_la_name",
        "age": "age",
    },
    required=frozenset({"timeperiod", "geographiclevel", "countrycode", "regioncode", "newlacode"}),
    labels={"timeperiod": "time_period", "geographiclevel": "geographic_level", "countrycode": "country_code",
            "regioncode": "region_code", "newlacode": "new_la_code"},
)
DFE_YEAR_KINDS = {"calendar year": "", "financial year": "/", "academic year": "/"}


class DfeNeet:
    id = "dfe_neet"
    title = "DfE NEET and not known by local authority"
    expects = ("a CSV whose header has time_period, geographic_level, new_la_code and NEET measure columns "
               "(DfE NCCIS local authority file)")
    period_convention = None  # time_identifier says which kind of year (see read)
    unit = VALUE_CELL

    def sniff(self, probe: Probe) -> bool:
        header = set(probe.header)
        return probe.kind == "csv" and {"timeperiod", "geographiclevel", "newlacode"} <= header and any(
            "neet" in h for h in header)

    def read(self, path: Path) -> pd.DataFrame:
        out = wide_csv_table(path, IDS, "a DfE NEET file")
        level = out["_level"].str.lower()
        out["area_code"] = np.select([level == "national", level == "regional"],
                                     [out["_country_code"], out["_region_code"]], out["_la_code"])
        out["area_name"] = np.select([level == "national", level == "regional"],
                                     [out.get("_country_name", ""), out.get("_region_name", "")],
                                     out.get("_la_name", ""))
        out["period"] = [_dfe_period(p, k) for p, k in zip(out["period"], text_column(out, "_time_identifier"),
                                                            strict=True)]
        return out.drop(columns=[c for c in out.columns if c.startswith("_")])


def _dfe_period(period: str, identifier: str) -> str:
    """DfE writes ``2021`` with "Calendar year" and ``202122`` with "Academic year"/"Financial year"."""
    kind = str(identifier).strip().lower()
    if len(period) == 6 and period.isdigit() and kind in ("financial year", "academic year"):
        return f"{period[:4]}/{period[4:]}"
    return period
