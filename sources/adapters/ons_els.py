"""ONS Explore Local Statistics tidy CSV: several indicators and geographies in one file.

Layout: ``areacd, areanm, geography, indicator, period, observation, measure, unit, lci_95, uci_95,
status, notes`` (the project's county subset adds ``source_file``). Periods are ISO 8601 intervals
(``2015-11-16/P1Y``) or dates (a point-in-time count); ``status`` holds markers (``x`` not available,
``u`` low reliability) and notes such as "Value for Hackney and City of London combined", kept in
value_note. ELS puts the sex in the indicator name ("Male healthy life expectancy"): it becomes the sex
breakdown of one indicator ("Healthy life expectancy"). Districts, combined authorities, ITL areas and the
UK/GB/E&W totals are in the file too; validation skips what the register does not hold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sources.adapters.base import ROW, HeaderMap, csv_table, text_column
from sources.files import Probe

COLUMNS = HeaderMap(
    mapping={
        "areacd": "area_code",
        "areanm": "area_name",
        "indicator": "indicator_name",
        "period": "period",
        "observation": "value",
        "measure": "measure",
        "lci95": "lower_ci95",
        "uci95": "upper_ci95",
        "status": "_status",
        "notes": "_notes",
    },
    required=frozenset({"areacd", "indicator", "period", "observation", "measure"}),
    labels={"areacd": "areacd", "indicator": "indicator", "period": "period", "observation": "observation",
            "measure": "measure"},
)
_SEX_PREFIX = re.compile(r"^(male|female)\s+(.+)$", re.I)


class OnsExploreLocalStatistics:
    id = "ons_els"
    title = "ONS Explore Local Statistics CSV"
    expects = "a CSV whose header has areacd, indicator, period, observation, measure (ONS Explore Local Statistics)"
    period_convention = None  # ISO 8601 intervals and dates say what they are
    unit = ROW

    def sniff(self, probe: Probe) -> bool:
        return probe.kind == "csv" and {"areacd", "indicator", "period", "observation"} <= set(probe.header)

    def read(self, path: Path) -> pd.DataFrame:
        out = csv_table(path, COLUMNS, "an ONS Explore Local Statistics file")
        split = out["indicator_name"].str.extract(_SEX_PREFIX)
        has_sex = split[0].notna()
        out.loc[has_sex, "sex"] = split.loc[has_sex, 0].str.capitalize()
        out.loc[has_sex, "indicator_name"] = split.loc[has_sex, 1].str.capitalize()
        status, notes = text_column(out, "_status"), text_column(out, "_notes")
        out["value_note"] = (status + "; " + notes).str.strip("; ")
        return out.drop(columns=[c for c in ("_status", "_notes") if c in out.columns])
