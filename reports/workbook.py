"""The scrutiny workbook: summary, one sheet per outcome, and the data behind every figure shown.

Colours carry meaning only together with text or symbols (quartile label, arrows), so the workbook also
reads in greyscale. Every cell of source text is written as text (reports.cells).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.cells import set_number, set_text
from reports.data import ReportData
from reports.formatting import direction_text, format_value, is_missing, text_or_dash

QUARTILE_FILL = {1: "C6EFCE", 2: "E2EFDA", 3: "FCE4D6", 4: "F8CBAD"}
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BANNER_FONT = Font(bold=True, color="C00000", size=12)

OUTCOME_COLUMNS = [
    ("Sub-outcome", 11), ("Indicator", 48), ("Period", 11), ("Value", 14), ("Previous", 14),
    ("Direction of travel", 20), ("Rank", 26), ("Quartile", 18), ("Compared with England", 16),
    ("Recent trend", 30), ("Commentary", 50), ("Source", 16),
]


def banner_lines(data: ReportData) -> list[str]:
    lines = [f"{data.settings.get('council_name', '')} - {data.settings.get('plan_name', '')}",
             f"Quarterly scrutiny report: {data.quarter.label} "
             f"({data.quarter.start:%d %B %Y} to {data.quarter.end:%d %B %Y})",
             "DRAFT - not signed off"]
    if data.is_sample:
        lines.insert(0, "SAMPLE DATA - generated figures, not real council data")
    return lines


def _header(sheet: Worksheet, row: int, columns: list[tuple[str, int]]) -> None:
    for col, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=col)
        set_text(cell, title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = width


def _banner(sheet: Worksheet, data: ReportData) -> int:
    for row, line in enumerate(banner_lines(data), start=1):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, line)
        cell.font = BANNER_FONT if row == 1 else Font(bold=True)
    return len(banner_lines(data)) + 2


def _summary(sheet: Worksheet, data: ReportData) -> None:
    start = _banner(sheet, data)
    columns = [("Outcome", 44), ("Indicators", 11), ("Best 25%", 10), ("2nd", 8), ("3rd", 8),
               ("Worst 25%", 10), ("Improving", 11), ("Worsening", 11), ("No change", 11), ("No data", 9)]
    _header(sheet, start, columns)
    for offset, (outcome_id, name) in enumerate(data.outcomes, start=1):
        rows = data.outcome_rows(outcome_id)
        values = [name, len(rows)]
        values += [int((rows["quartile"] == q).sum()) for q in (1, 2, 3, 4)]
        values += [int((rows["direction_of_travel"] == d).sum()) for d in ("Improving", "Worsening", "No change")]
        values += [int((rows["status"] == "no data").sum())]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=start + offset, column=col)
            if col == 1:
                set_text(cell, value)
            else:
                cell.value = value
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)


def _outcome_sheet(sheet: Worksheet, data: ReportData, outcome_id: str) -> None:
    start = _banner(sheet, data)
    _header(sheet, start, OUTCOME_COLUMNS)
    rows = data.outcome_rows(outcome_id)
    for offset, rec in enumerate(rows.to_dict("records"), start=1):
        r = start + offset
        quartile = rec.get("quartile")
        texts = [
            text_or_dash(rec["sub_outcome"]), rec["indicator_name"], text_or_dash(rec["latest_period"]),
            format_value(rec["latest_value"], rec["decimals"], rec["unit"]),
            format_value(rec["previous_value"], rec["decimals"], rec["unit"]),
            direction_text(rec["direction_of_travel"]), text_or_dash(rec["rank_text"]),
            text_or_dash(rec["quartile_label"]), text_or_dash(rec["compared_with_england"]),
            text_or_dash(rec["recent_trend"]), text_or_dash(rec["commentary"]), text_or_dash(rec["source_id"]),
        ]
        for col, text in enumerate(texts, start=1):
            cell = sheet.cell(row=r, column=col)
            set_text(cell, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if not is_missing(quartile):
            sheet.cell(row=r, column=8).fill = PatternFill("solid", fgColor=QUARTILE_FILL[int(quartile)])
    sheet.freeze_panes = sheet.cell(row=start + 1, column=3)
    sheet.auto_filter.ref = f"A{start}:{get_column_letter(len(OUTCOME_COLUMNS))}{start + max(len(rows), 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{start}:{start}"


def _data_sheet(sheet: Worksheet, data: ReportData) -> None:
    start = _banner(sheet, data)
    columns = list(data.board.columns)
    _header(sheet, start, [(c, 16) for c in columns])
    for offset, rec in enumerate(data.board.itertuples(index=False), start=1):
        for col, value in enumerate(rec, start=1):
            cell = sheet.cell(row=start + offset, column=col)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                set_number(cell, value)
            else:
                set_text(cell, "" if is_missing(value) else value)
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)


def write_workbook(data: ReportData, path: Path) -> Path:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    _summary(summary, data)
    for outcome_id, name in data.outcomes:
        _outcome_sheet(workbook.create_sheet(outcome_id.upper()), data, outcome_id)
        workbook[outcome_id.upper()].sheet_properties.tabColor = "1F4E78"
        set_text(workbook[outcome_id.upper()].cell(row=len(banner_lines(data)) + 1, column=1), name)
    _data_sheet(workbook.create_sheet("Data"), data)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
