"""The canonical observation: the one frame every adapter produces (ARCHITECTURE.md).

Adapters stop at a *raw* frame of text cells named as below (plus the selector columns that say which
indicator a row belongs to); :mod:`sources.parse` turns text into typed values in one place, so a
thousands separator or a ``[c]`` marker is handled the same way for every source.

Each raw record is one unit counted in rows read: a row of a long file, or one value cell of a wide file.
``source_row`` is the row number an analyst sees in the file (spreadsheet row; CSV record + header);
``source_location`` tells apart units that share a row (the header of a wide file's value cell, with the
sheet name for multi-sheet workbooks). ``row_problem`` carries a problem the adapter found while reading a
row (e.g. more cells than the header), which rejects that row with the adapter's words. An adapter names
the file's own headers for the canonical columns in ``frame.attrs["source_columns"]`` so rejections can
name the column as the file does.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from sources.files import cell_text

KEY_COLUMNS = ["indicator_id", "area_code", "period", "sex", "age", "category_type", "category"]

NUMERIC_COLUMNS = ["value", "lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998", "count", "denominator"]

CANONICAL_COLUMNS = [
    "indicator_id", "area_code", "period", "period_start", "period_end", "period_type",
    "sex", "age", "category_type", "category",
    *NUMERIC_COLUMNS,
    "value_note", "published_trend", "published_comparison", "commentary",
    "source_id", "source_file", "source_row",
]

# Text columns an adapter may fill; anything missing defaults to "".
RAW_TEXT_COLUMNS = [
    "area_code", "area_name", "period", "sex", "age", "category_type", "category",
    *NUMERIC_COLUMNS, "value_note", "published_trend", "published_comparison", "commentary",
]

# Columns that pick the indicator out of a source (catalogue SourceSelector fields).
SELECTOR_COLUMNS = ["code", "indicator_name", "measure", "column"]

BREAKDOWN_DEFAULTS = {"sex": "Persons", "age": "All ages", "category_type": "", "category": ""}

# UK official-statistics markers for a value that is not a number (GSS guidance; Fingertips; DfE).
MARKERS = frozenset({"x", "c", "..", ":", "-", "*", "z", "u", "low", "[c]", "[x]", "[z]", "[low]", "[u]",
                     "[w]", "na", "n/a", "#", "~", "s", "supp", "suppressed"})

_HTML_TAG = re.compile(r"<[^>]+>")


def strip_html(text: str) -> str:
    """Fingertips value notes may hold HTML spans: keep the plain text."""
    return " ".join(_HTML_TAG.sub(" ", text).split())


# Columns an adapter adds to locate and qualify each unit (see the module docstring).
LOCATION_COLUMNS = ["source_location", "row_problem"]


def normalise_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Give an adapter's raw frame every raw column, as text with "" for missing cells. Surrounding white space
    and the breakdown defaults come after, in SQL, for the whole frame at once
    (:func:`sources.rawtable.table_from_frame`): for an XLSX of 96,700 rows that took the frame's way into DuckDB
    from 0.63-0.72 s to 0.40-0.47 s (bench/pipeline.py's input)."""
    out = frame.copy()
    for col in [*SELECTOR_COLUMNS, *RAW_TEXT_COLUMNS, *LOCATION_COLUMNS]:
        out[col] = _as_text(out[col]) if col in out.columns else ""
    out.attrs = dict(frame.attrs)
    return out


def _as_text(column: pd.Series) -> pd.Series:
    """A column as cell text ("" for missing). A column of text only (what :func:`sources.adapters.base.table_frame`
    gives) is left as it is, not stripped here: converting an XLSX of 96,700 rows cell by cell a second time took 2
    of its 5 s. Other columns go cell by cell through :func:`cell_text`, which also strips."""
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) == "string":  # no None, no NaN
        return column
    return column.astype(object).where(column.notna(), "").map(_text)


def _text(value: object) -> str:
    if isinstance(value, np.floating):
        value = float(value)
    return cell_text(value)


def empty_canonical() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in CANONICAL_COLUMNS})
    for c in NUMERIC_COLUMNS:
        frame[c] = frame[c].astype("float64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame
