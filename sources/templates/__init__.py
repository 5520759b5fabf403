"""The blank returns template shipped to service teams (``returns_template.xlsx``) and its documentation.

The workbook is written by :func:`write_returns_template`, so the shipped file and ``outcomes
returns-template PATH`` are the same layout the adapter reads (a test checks the shipped file is current).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from sources.adapters.returns_template import SHEET, TEMPLATE_COLUMNS
from sources.writing import save_workbook, write_csv

TEMPLATE_DIR = Path(__file__).resolve().parent
SHIPPED_TEMPLATE = TEMPLATE_DIR / "returns_template.xlsx"
GUIDANCE = [
    "Council returns template: one row per indicator, area, period and breakdown on the 'Returns' sheet.",
    "Required columns: indicator_id, area_code, period, value. Documentation: RETURNS_TEMPLATE.md.",
    "Periods: 2024/25 (financial year), 2024/25 Q1 (April-June 2024), 2024 (calendar year), 2024-06-30 (a day).",
    "A value that cannot be published: write [c] (confidential) or [x] (not available) in 'value'.",
    "Formulas are never evaluated: enter figures. Commentary is printed in the scrutiny report as text.",
]


def write_returns_template(path: Path) -> Path:
    """A blank template: a header-only CSV for ``.csv``, otherwise the workbook with its guidance sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        return write_csv(path, TEMPLATE_COLUMNS, [])
    workbook = Workbook()
    guide = workbook.active
    guide.title = "Guidance"
    for row, text in enumerate(GUIDANCE, start=1):
        guide.cell(row=row, column=1, value=text)
    guide["A1"].font = Font(bold=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return save_workbook(workbook, path)
