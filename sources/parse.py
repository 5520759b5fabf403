"""Parse explicitly before validating: text cells -> numbers and periods, recording what did not convert.

Why explicit: pandera reports only the coercion error for a column that fails to coerce, hiding every
other failure in it. Converting here, and recording each cell that does not convert as a rejection with
its column and value, means the schema then sees clean types and reports every other rule at once.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from indicators.periods import PeriodError, convention_of, parse_period
from sources.canonical import MARKERS, NUMERIC_COLUMNS

_NUMBER_NOISE = re.compile(r"[,\s£%]")


COLUMN_WORDS = {
    "value": "value", "lower_ci95": "lower 95% limit", "upper_ci95": "upper 95% limit",
    "lower_ci998": "lower 99.8% limit", "upper_ci998": "upper 99.8% limit", "count": "count",
    "denominator": "denominator",
}


def parse_numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Text cells -> (floats, marker text or "", mask of cells that are neither a number nor a marker,
    mask of cells written as a percentage).

    Thousands separators, currency signs, spaces and a trailing ``%`` are removed; a marker such as
    ``[c]`` or ``..`` becomes a null value with the marker returned so it can be kept in value_note.
    """
    text = cells.astype(str).str.strip()
    lowered = text.str.lower()
    is_marker = lowered.isin(MARKERS)
    is_empty = text.eq("") | lowered.isin({"nan", "none", "null"})
    cleaned = text.str.replace(_NUMBER_NOISE, "", regex=True)
    numbers = pd.to_numeric(cleaned.where(~(is_marker | is_empty), None), errors="coerce").astype("float64")
    bad = ~(is_marker | is_empty) & (numbers.isna() | ~np.isfinite(numbers.fillna(0.0)))
    numbers = numbers.where(~bad, np.nan)
    markers = text.where(is_marker, "")
    percent = text.str.endswith("%") & ~bad
    return numbers, markers, bad, percent


def not_a_number_reason(column: str, text: str) -> str:
    """Why a cell is not a number, in words an analyst understands (markers such as x, c, .. or [c] for a
    value that is not available are not errors; the validate command and the template documentation say so)."""
    what = COLUMN_WORDS.get(column, column)
    if str(text).lstrip().startswith("="):
        return f"{what} looks like a spreadsheet formula; formulas are never evaluated: enter the figure itself"
    return f"{what} is not a number"


def parse_all_numbers(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[dict], pd.Series]:
    """Parse every numeric column; return typed columns, one problem record per bad cell, and which rows
    gave the value as a percentage (``45%``)."""
    typed = pd.DataFrame(index=raw.index)
    problems: list[dict] = []
    notes = raw["value_note"].astype(str)
    value_percent = pd.Series(False, index=raw.index)
    for column in NUMERIC_COLUMNS:
        numbers, markers, bad, percent = parse_numbers(raw[column])
        typed[column] = numbers
        if column == "value":
            notes = np.where(markers != "",
                             np.where(notes != "", markers + "; " + notes, markers), notes)
            value_percent = percent
        for idx in raw.index[bad.to_numpy()]:
            problems.append({"index": idx, "column": column, "value": raw.at[idx, column],
                             "reason": not_a_number_reason(column, raw.at[idx, column])})
    typed["value_note"] = pd.Series(notes, index=raw.index, dtype=object)
    return typed, problems, value_percent


def parse_periods(raw_periods: pd.Series, conventions: pd.Series) -> tuple[pd.DataFrame, list[dict]]:
    """Period text -> label, start, end, type; each distinct (text, convention) is parsed once."""
    out = pd.DataFrame(index=raw_periods.index,
                       columns=["period", "period_start", "period_end", "period_type"], dtype=object)
    problems: list[dict] = []
    pairs = pd.DataFrame({"text": raw_periods.astype(str), "conv": conventions})
    for (text, conv), group in pairs.groupby(["text", "conv"], dropna=False, sort=False):
        convention = convention_of(conv if isinstance(conv, str) else None)
        try:
            period = parse_period(text, convention)
        except PeriodError as exc:
            for idx in group.index:
                problems.append({"index": idx, "column": "period", "value": text, "reason": str(exc)})
            continue
        out.loc[group.index, "period"] = period.label
        out.loc[group.index, "period_start"] = period.start
        out.loc[group.index, "period_end"] = period.end
        out.loc[group.index, "period_type"] = period.type.value
    return out, problems
