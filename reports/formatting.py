"""How figures read in a report: precision from the catalogue's decimals, units, and a symbol beside every
coloured status so the meaning survives greyscale printing and colour blindness."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

DASH = "-"

# Direction of travel: the arrow says better/worse (polarity), not up/down in value.
ARROWS = {"Improving": "▲ Improving", "Worsening": "▼ Worsening", "No change": "► No change",
          "Increasing": "↑ Increasing", "Decreasing": "↓ Decreasing", "Not comparable": "◆ Not comparable"}
RAG_SYMBOLS = {"Green": "✔ Green", "Amber": "! Amber", "Red": "✖ Red"}
ENGLAND_SYMBOLS = {"Better": "+ Better", "Similar": "= Similar", "Worse": "− Worse",
                   "Higher": "↑ Higher", "Lower": "↓ Lower"}
QUARTILE_TONES = {1: "q1", 2: "q2", 3: "q3", 4: "q4"}
RAG_TONES = {"Green": "green", "Amber": "amber", "Red": "red"}


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, (str, bool, list, tuple, dict)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def places(decimals: object) -> int:
    return 0 if is_missing(decimals) else int(decimals)


def format_number(value: object, decimals: object) -> str:
    return DASH if is_missing(value) else f"{float(value):,.{places(decimals)}f}"


def format_value(value: object, decimals: object, unit: object) -> str:
    """``53.8%``, ``33,882 tonnes CO2e``: the catalogue's precision and unit."""
    if is_missing(value):
        return DASH
    text = format_number(value, decimals)
    unit_text = "" if is_missing(unit) else str(unit)
    return f"{text}%" if unit_text == "%" else f"{text} {unit_text}".strip()


def number_format(decimals: object, unit: object = None) -> str:
    """Excel number format with the catalogue's precision and the unit as literal text."""
    fmt = "#,##0" + ("." + "0" * places(decimals) if places(decimals) else "")
    if is_missing(unit) or not str(unit):
        return fmt
    unit_text = str(unit).replace('"', "").replace("\\", "")
    return f'{fmt}"{unit_text}"' if unit_text == "%" else f'{fmt}" {unit_text}"'


def direction_text(label: object, significance: object = None) -> str:
    if is_missing(label):
        return DASH
    text = ARROWS.get(str(label), str(label))
    if not is_missing(significance) and str(significance) == "significant":
        text += " (significant)"
    return text


def rag_text(status: object) -> str:
    return DASH if is_missing(status) else RAG_SYMBOLS.get(str(status), str(status))


def england_text(label: object) -> str:
    return DASH if is_missing(label) else ENGLAND_SYMBOLS.get(str(label), str(label))


def overdue_text(overdue: object) -> str:
    if is_missing(overdue):
        return DASH
    return "⚠ Overdue" if bool(overdue) else "On time"


def text_or_dash(value: object) -> str:
    return DASH if is_missing(value) or str(value) == "" else str(value)


def month_text(day: object) -> str:
    if is_missing(day):
        return DASH
    return f"{pd.Timestamp(day):%b %Y}"


def date_text(moment: date | datetime | None) -> str:
    if is_missing(moment):
        return "not recorded"
    stamp = pd.Timestamp(moment)
    return f"{stamp:%d %B %Y %H:%M}" if isinstance(moment, datetime) else f"{stamp:%d %B %Y}"
