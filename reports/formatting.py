"""How figures read in a report: precision from the catalogue's decimals, units, arrows for direction."""

from __future__ import annotations

import pandas as pd

ARROWS = {"Improving": "▲ Improving", "Worsening": "▼ Worsening", "No change": "► No change",
          "Increasing": "▲ Increasing", "Decreasing": "▼ Decreasing", "Not comparable": "◆ Not comparable"}


def is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def format_value(value: object, decimals: object, unit: object) -> str:
    if is_missing(value):
        return "-"
    places = 0 if is_missing(decimals) else int(decimals)
    text = f"{float(value):,.{places}f}"
    unit_text = "" if is_missing(unit) else str(unit)
    return f"{text}%" if unit_text == "%" else f"{text} {unit_text}".strip()


def number_format(decimals: object) -> str:
    places = 0 if is_missing(decimals) else int(decimals)
    return "#,##0" + ("." + "0" * places if places else "")


def direction_text(label: object) -> str:
    if is_missing(label):
        return "-"
    return ARROWS.get(str(label), str(label))


def text_or_dash(value: object) -> str:
    return "-" if is_missing(value) or str(value) == "" else str(value)
