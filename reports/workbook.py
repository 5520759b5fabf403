"""The scrutiny workbook: a summary, one sheet per outcome with its charts sheet, notes, and the data
behind every figure and chart.

Every sheet starts with the report header (SAMPLE DATA, title, DRAFT or signed off, cut-off, run id) and
prints it in the page header too. Tables have frozen headers, filters, widths, number formats and a print
setup (landscape, fit to width, repeated header rows). Colours carry meaning only beside words or
symbols, so the workbook also reads in greyscale. Every cell of text is written as text (reports.cells).
"""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from reports import excel_charts as xc
from reports.cells import set_number, set_text, set_value
from reports.data import ReportData
from reports.formatting import is_missing
from reports.header import ReportHeader, headline, report_header, report_layout
from reports.notes import report_notes
from reports.tables import Column, Layout, Shown, SpinePoints, spine_points, summary_counts
from warehouse.publish import written_atomically

TONE_FILLS = {"q1": "C6EFCE", "q2": "E2EFDA", "q3": "FCE4D6", "q4": "F8CBAD",
              "green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SAMPLE_FONT = Font(bold=True, color="C00000", size=12)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


def _escape_print(text: str) -> str:
    return text.replace("&", "&&")


def _banner(sheet: Worksheet, header: ReportHeader, heading: str | None = None) -> int:
    """Header lines at the top of the sheet; returns the first free row (after a blank one)."""
    row = 1
    for line in header.lines():
        cell = sheet.cell(row=row, column=1)
        set_text(cell, line)
        cell.font = SAMPLE_FONT if line == header.sample else TITLE_FONT if line == header.title else Font(
            bold=line == header.status)
        row += 1
    if heading:
        cell = sheet.cell(row=row, column=1)
        set_text(cell, heading)
        cell.font = Font(bold=True, size=13)
        row += 1
    sheet.oddHeader.center.text = _escape_print(header.print_mark)
    sheet.oddHeader.center.font = "Arial,Bold"
    sheet.oddFooter.left.text = _escape_print(header.title)
    sheet.oddFooter.right.text = "Page &P of &N"
    return row + 1


def _print_setup(sheet: Worksheet, header_row: int | None) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def _header_row(sheet: Worksheet, row: int, titles: list[tuple[str, float]]) -> None:
    sheet.row_dimensions[row].height = 15 * max(wrapped_lines(t, w) for t, w in titles)
    for col, (title, width) in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=col)
        set_text(cell, title)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)


def _table(sheet: Worksheet, start: int, titles: list[tuple[str, float]], rows: list[list[object]],
           filters: bool = True, freeze_col: int = 1) -> int:
    """A header row and value rows (text as text, numbers as numbers); returns the next free row."""
    _header_row(sheet, start, titles)
    for r, values in enumerate(rows, start=start + 1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            set_value(cell, value)
            cell.alignment = WRAP
        sheet.row_dimensions[r].height = 15 * max(
            wrapped_lines(v, w) if isinstance(v, str) else 1 for v, (_, w) in zip(values, titles, strict=False))
    last = start + max(len(rows), 1)
    if filters:
        sheet.auto_filter.ref = f"A{start}:{get_column_letter(len(titles))}{last}"
    sheet.freeze_panes = sheet.cell(row=start + 1, column=freeze_col)
    _print_setup(sheet, start)
    return last + 1


def _summary(sheet: Worksheet, data: ReportData, header: ReportHeader, layout: Layout) -> None:
    start = _banner(sheet, header, "Summary by outcome")
    titles = [("Outcome", 44), ("Indicators", 11)] + [(title, 11) for title, _ in layout.summary]
    rows = [[name, *summary_counts(data.outcome_rows(outcome_id), layout.summary)]
            for outcome_id, name in data.outcomes]
    rows.append(["All shown", *summary_counts(data.board.drop_duplicates("indicator_id"), layout.summary)])
    end = _table(sheet, start, titles, rows, filters=False)
    for col in range(1, len(titles) + 1):
        sheet.cell(row=end - 1, column=col).font = Font(bold=True)
    note = sheet.cell(row=end + 1, column=1)
    set_text(note, "Each outcome has a sheet with one row per indicator and a charts sheet; the Notes sheet "
                   "explains every method and symbol; the Data, Chart data and Spine data sheets hold every "
                   "figure shown.")
    sheet.row_dimensions[end + 1].height = 30
    note.alignment = WRAP
    sheet.merge_cells(start_row=end + 1, start_column=1, end_row=end + 1, end_column=8)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide (roughly, by words)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _shown_cell(sheet: Worksheet, row: int, col: int, column: Column, rec: dict) -> Shown:
    shown = column.render(rec)
    cell = sheet.cell(row=row, column=col)
    if shown.number is not None:
        set_number(cell, shown.number, shown.number_format or "General")
    else:
        set_text(cell, shown.text)
    cell.alignment = WRAP
    if shown.tone:
        cell.fill = PatternFill("solid", fgColor=TONE_FILLS[shown.tone])
    return shown


def _outcome_sheet(sheet: Worksheet, data: ReportData, header: ReportHeader, layout: Layout,
                   outcome_id: str, name: str) -> None:
    start = _banner(sheet, header, name)
    _header_row(sheet, start, [(c.title, c.width) for c in layout.columns])
    rows = data.outcome_rows(outcome_id).to_dict("records")
    for r, rec in enumerate(rows, start=start + 1):
        lines = 1
        for c, column in enumerate(layout.columns, start=1):
            shown = _shown_cell(sheet, r, c, column, rec)
            lines = max(lines, wrapped_lines(shown.text, column.width))
        sheet.row_dimensions[r].height = 15 * lines  # not every spreadsheet program autofits wrapped rows
    last = start + max(len(rows), 1)
    sheet.auto_filter.ref = f"A{start}:{get_column_letter(len(layout.columns))}{last}"
    sheet.freeze_panes = sheet.cell(row=start + 1, column=3)
    _print_setup(sheet, start)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3  # 18 columns stay legible at A3 landscape
    sheet.sheet_properties.tabColor = "1F4E78"


def _series_sheet(sheet: Worksheet, data: ReportData, header: ReportHeader) -> dict[str, tuple[int, int]]:
    """The figures behind every trend chart; returns indicator id -> (first row, last row)."""
    start = _banner(sheet, header, "Chart data: every period of each indicator's headline series")
    _header_row(sheet, start, [(t, 16) for t in xc.SERIES_COLUMNS])
    names = dict(zip(data.board["indicator_id"], data.board["indicator_name"], strict=False))
    ranges: dict[str, tuple[int, int]] = {}
    row = start + 1
    for indicator_id, records in data.series_records.items():
        first = row
        for rec in records:
            q1, q3 = rec["comparator_q1"], rec["comparator_q3"]
            values = [indicator_id, names.get(indicator_id, indicator_id), rec["period"], rec["value"],
                      rec["lower_ci95"], rec["upper_ci95"], rec["england_value"], rec["comparator_min"], q1,
                      rec["comparator_median"], q3, rec["comparator_max"],
                      None if is_missing(q1) or is_missing(q3) else float(q3) - float(q1),
                      rec["rank"], rec["n_comparators"], rec["quartile_label"]]
            for col, value in enumerate(values, start=1):
                set_value(sheet.cell(row=row, column=col), value)
            row += 1
        ranges[str(indicator_id)] = (first, row - 1)
    sheet.auto_filter.ref = f"A{start}:{get_column_letter(len(xc.SERIES_COLUMNS))}{max(row - 1, start + 1)}"
    sheet.freeze_panes = sheet.cell(row=start + 1, column=4)
    _print_setup(sheet, start)
    return ranges


SPINE_Y = {"Lower": (1.0, 1.0), "Middle 50%": (1.0, 1.0), "Upper": (1.0, 1.0), "Median": (0.5, 1.5),
           "England": (0.4, 1.6), "Home": (1.0, None)}


def _spine_sheet(sheet: Worksheet, data: ReportData, header: ReportHeader,
                 layout: Layout) -> dict[str, tuple[int, SpinePoints]]:
    """Two rows per indicator with the x and y of each spine segment; returns indicator id -> (first row, the
    segments' x), which the charts sheets draw from."""
    start = _banner(sheet, header, "Spine data: the comparator spread (x) in the period shown and drawing "
                                   "positions (y)")
    _header_row(sheet, start, [(t, 16) for t in xc.SPINE_COLUMNS])
    rows: dict[str, tuple[int, SpinePoints]] = {}
    row = start + 1
    for rec in data.board.drop_duplicates("indicator_id").to_dict("records"):
        x = spine_points(data.indicator_records(rec["indicator_id"]), rec, layout)
        if x is None:
            continue
        rows[str(rec["indicator_id"])] = row, x
        for offset in (0, 1):
            set_text(sheet.cell(row=row + offset, column=1), rec["indicator_id"])
            set_text(sheet.cell(row=row + offset, column=2), rec["indicator_name"])
            for key, (y0, y1) in SPINE_Y.items():
                x_col = next(v for k, v in xc.SPINE.items() if k.startswith(f"{key} x"))
                xv, yv = x[key][offset], (y0, y1)[offset]
                if xv is not None and yv is not None:
                    set_number(sheet.cell(row=row + offset, column=x_col), xv)
                    set_number(sheet.cell(row=row + offset, column=x_col + 1), yv)
        row += 2
    sheet.freeze_panes = sheet.cell(row=start + 1, column=3)
    _print_setup(sheet, start)
    return rows


BLOCK_ROWS = 18
BLOCKS_PER_PAGE = 2  # so no chart is cut across a printed page
# Under each spine chart, one short line per cell, each running over the empty cells to its right: a merged block
# would do the same, but openpyxl checks each new merge against every earlier one of the sheet (two million checks
# for a sheet of 2,000 charts; the national benchmark's whole-catalogue report, workbook and HTML, 17.5 and 18.4 s
# with merges against 15.7 and 16.2 s without).
SPINE_KEY = ("Spine: light bar = lowest to highest comparator;",
             "dark bar = middle 50% (Q1 to Q3); black tick = median;",
             "red dashed tick = England; circle = {home}, coloured by quartile.",
             "Better is to the right.")
SPINE_KEY_TOP = 10  # the key's first row, below the spine chart (anchored 2 rows into the block, 4 cm high)
SPINE_KEY_WIDTH = 75  # characters of Calibri 11 across the 14 cm spine chart above the key
SPINE_KEY_NAME = 60  # characters of the home area's name kept in the key (England's longest council name is 35)


def spine_key(home: str) -> list[str]:
    """The key's lines under a spine chart, each no wider than the chart, so a long home-area name (e.g.
    "Bournemouth, Christchurch and Poole") wraps onto the next row instead of running past the chart when
    printed, and the key stays within its block (SPINE_KEY_TOP to BLOCK_ROWS)."""
    name = home if len(home) <= SPINE_KEY_NAME else home[:SPINE_KEY_NAME - 3].rstrip() + "..."
    return [wrapped for line in SPINE_KEY for wrapped in textwrap.wrap(line.format(home=name), SPINE_KEY_WIDTH)]


def _charts_sheet(sheet: Worksheet, data: ReportData, header: ReportHeader, layout: Layout, outcome_id: str,
                  name: str, series_ws: Worksheet, ranges: dict[str, tuple[int, int]], spine_ws: Worksheet,
                  spine_rows: dict[str, tuple[int, SpinePoints]]) -> int:
    row = _banner(sheet, header, f"{name}: charts")
    sheet.column_dimensions["A"].width = 12
    home = data.home_name
    charts = 0
    for n, rec in enumerate(data.outcome_rows(outcome_id).to_dict("records")):
        if n and n % BLOCKS_PER_PAGE == 0:
            sheet.row_breaks.append(Break(id=row - 1))
        indicator_id = str(rec["indicator_id"])
        title = sheet.cell(row=row, column=1)
        set_text(title, f"{rec['sub_outcome'] or ''} {rec['indicator_name']}".strip())
        title.font = Font(bold=True, size=12)
        set_text(sheet.cell(row=row + 1, column=1), headline(rec, layout))
        if indicator_id not in ranges:
            set_text(sheet.cell(row=row + 2, column=1), "No data for this indicator.")
            row += 4
            continue
        first, last = ranges[indicator_id]
        series = data.indicator_series(indicator_id)
        unit = "" if is_missing(rec["unit"]) else str(rec["unit"])
        shown = [float(v) for c in ("value", "comparator_q1", "comparator_q3", "england_value")
                 for v in series[c].dropna()]
        trend = xc.trend_chart(series_ws, first, last, f"{rec['indicator_name']}: trend", unit, home,
                               bool(series["england_value"].notna().any()), xc.nice_range(shown))
        sheet.add_chart(trend, f"A{row + 2}")
        charts += 1
        if indicator_id in spine_rows:
            polarity = str(rec["polarity"])
            spine_row, points = spine_rows[indicator_id]
            quartile = rec.get(layout.quartile_key)
            spine = xc.spine_chart(
                spine_ws, spine_row, f"Among comparators, {rec[layout.period_key]}", home,
                None if is_missing(quartile) else int(quartile), polarity == "low_is_good",
                "higher →" if polarity == "no_judgement" else "better →",
                points.get("England", (None,))[0] is not None, points.get("Home", (None,))[0] is not None)
            sheet.add_chart(spine, f"L{row + 2}")
            for offset, line in enumerate(spine_key(home)):
                set_text(sheet.cell(row=row + SPINE_KEY_TOP + offset, column=12), line)
            charts += 1
        row += BLOCK_ROWS
    _print_setup(sheet, None)
    return charts


def _notes_sheet(sheet: Worksheet, data: ReportData, header: ReportHeader) -> None:
    row = _banner(sheet, header, "Notes")
    widths = [30, 26, 60, 60, 40, 20, 20]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for section in report_notes(data):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, section.title)
        cell.font = Font(bold=True, size=12)
        row += 1
        for paragraph in section.paragraphs:
            cell = sheet.cell(row=row, column=1)
            set_text(cell, paragraph)
            cell.alignment = WRAP
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            sheet.row_dimensions[row].height = 15 * (1 + len(paragraph) // 160)
            row += 1
        if section.table:
            for col, title in enumerate(section.table.headers, start=1):
                cell = sheet.cell(row=row, column=col)
                set_text(cell, title)
                cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
            row += 1
            for values in section.table.rows:
                for col, value in enumerate(values, start=1):
                    cell = sheet.cell(row=row, column=col)
                    set_value(cell, value)
                    cell.alignment = WRAP
                row += 1
        row += 1
    _print_setup(sheet, None)


def _data_sheet(sheet: Worksheet, data: ReportData, header: ReportHeader) -> None:
    start = _banner(sheet, header, "Data: every figure shown, one row per indicator and outcome sheet")
    board = data.board.drop(columns=["also_reported_in"], errors="ignore")
    rows = [[_plain(v) for v in rec] for rec in board.itertuples(index=False)]
    _table(sheet, start, [(c, 16) for c in board.columns], rows, freeze_col=7)


def _plain(value: object) -> object:
    """A board value as a cell value: numbers, booleans and dates stay typed; everything else is text."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (datetime, date, bool, int, float)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def write_workbook(data: ReportData, path: Path) -> tuple[Path, int]:
    """Write the workbook; returns its path and the number of charts drawn."""
    header = report_header(data)
    layout = report_layout(data)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    _summary(summary, data, header, layout)
    outcome_sheets = []
    for outcome_id, name in data.outcomes:
        sheet = workbook.create_sheet(outcome_id.upper())
        _outcome_sheet(sheet, data, header, layout, outcome_id, name)
        outcome_sheets.append((outcome_id, name, workbook.create_sheet(f"{outcome_id.upper()} charts")))
    notes = workbook.create_sheet("Notes")
    data_ws = workbook.create_sheet("Data")
    series_ws = workbook.create_sheet("Chart data")
    spine_ws = workbook.create_sheet("Spine data")
    ranges = _series_sheet(series_ws, data, header)
    spine_rows = _spine_sheet(spine_ws, data, header, layout)
    charts = sum(_charts_sheet(sheet, data, header, layout, outcome_id, name, series_ws, ranges, spine_ws, spine_rows)
                 for outcome_id, name, sheet in outcome_sheets)
    _notes_sheet(notes, data, header)
    _data_sheet(data_ws, data, header)
    workbook.properties.title = header.title
    workbook.properties.creator = data.settings.get("council_name", "")
    with written_atomically(path) as temporary:
        workbook.save(temporary)
    return path, charts
