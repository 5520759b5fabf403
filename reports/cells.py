"""Writing values into a workbook safely: source text always as text, never as a formula, hyperlink or macro.

openpyxl turns any string that starts with ``=`` into a formula. A value note such as
``=HYPERLINK("http://x","click")`` in a source file must reach the committee as the text it is, so every
text cell is a string cell (data type ``s``), and text that looks like a formula (``= + - @``, the
characters spreadsheets treat as the start of one) also gets Excel's quote prefix, so it stays text even
when someone edits the cell in Excel. Control characters that the file format cannot hold are removed
rather than failing the whole report, and text longer than a cell can hold is cut with a marker.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@")
MAX_CELL_TEXT = 32767
CUT_MARK = " [cut: text too long for a cell]"


def clean_text(text: object) -> str:
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - len(CUT_MARK)] + CUT_MARK
    return value


def set_text(cell: Cell, text: object) -> None:
    """Put ``text`` in ``cell`` as a string cell whatever its first character."""
    value = clean_text(text)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def set_number(cell: Cell, value: object, number_format: str = "General") -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        cell.value = None
        return
    cell.value = float(value)
    cell.number_format = number_format


def set_value(cell: Cell, value: object) -> None:
    """Numbers, booleans and dates keep their type; anything else is written with :func:`set_text`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        cell.value = None
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, (int, float)):
        set_number(cell, value)
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        set_text(cell, value)
