"""Writing source text into a workbook safely: always as text, never as a formula.

openpyxl turns any string that starts with ``=`` into a formula. A value note such as
``=HYPERLINK("http://x","click")`` in a source file must reach the committee as the text it is.
"""

from __future__ import annotations

import math

from openpyxl.cell.cell import Cell


def set_text(cell: Cell, text: object) -> None:
    """Put ``text`` in ``cell`` as a string cell whatever its first character."""
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    cell.value = value
    cell.data_type = "s"


def set_number(cell: Cell, value: object, number_format: str = "General") -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        cell.value = None
        return
    cell.value = float(value)
    cell.number_format = number_format
