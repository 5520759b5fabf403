"""Native Excel charts for each indicator, drawn from the workbook's own chart-data sheets.

- Trend: the home area's value by period (line with markers) against the comparator median (dashed) and
  the inter-quartile band (grey area between Q1 and Q3), with England (dotted) where published. The band
  is a stacked area chart (an invisible Q1 base plus the Q3 - Q1 height) under a line chart on the same
  axes, the usual way to draw a band in Excel.
- Spine (Fingertips style): one horizontal row per indicator: the comparator range (lowest to highest,
  light grey), the middle 50% (Q1 to Q3, darker grey), the median and England as ticks, and the home
  value as a circle. Drawn as a scatter chart with thick line segments so it needs no secondary axes.
  Better is always to the right: the axis is reversed for low-is-good indicators. Spreadsheet programs
  disagree about which series is drawn on top (LibreOffice draws the first series over later ones), so
  the bar segments do not overlap, the ticks are taller than the bar and the circle is larger than it:
  everything stays visible whatever the drawing order.

Charts only reference cells; the figures themselves are on the chart-data sheets, so a reader can check
every point.
"""

from __future__ import annotations

import math

from openpyxl.chart import AreaChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.worksheet.worksheet import Worksheet

from reports.axes import drawn_top, nice_step, step_decimals

HOME_COLOUR = "1F4E78"
MEDIAN_COLOUR = "595959"
BAND_COLOUR = "D9D9D9"
RANGE_COLOUR = "E7E6E6"
MIDDLE_COLOUR = "A6A6A6"
ENGLAND_COLOUR = "000000"
QUARTILE_MARKER = {1: "2E7D32", 2: "9CCC65", 3: "FFB74D", 4: "C62828"}
PT = 12700  # EMU per point

# Column positions (1-based) of the series table on the "Chart data" sheet.
SERIES_COLUMNS = ["Indicator id", "Indicator", "Period", "Value", "Lower 95% CI", "Upper 95% CI", "England",
                  "Comparator lowest", "Comparator Q1", "Comparator median", "Comparator Q3", "Comparator highest",
                  "Inter-quartile height (Q3 - Q1)", "Rank", "Comparators", "Quartile"]
COL = {name: i for i, name in enumerate(SERIES_COLUMNS, start=1)}

# Spine table on the "Spine data" sheet: two rows per indicator, x then y for each segment.
SPINE_COLUMNS = ["Indicator id", "Indicator", "Lower x (lowest, Q1)", "Lower y", "Middle 50% x (Q1, Q3)",
                 "Middle 50% y", "Upper x (Q3, highest)", "Upper y", "Median x", "Median y", "England x",
                 "England y", "Home x", "Home y"]
SPINE = {name: i for i, name in enumerate(SPINE_COLUMNS, start=1)}


def _line(colour: str, width_pt: float, dash: str | None = None) -> GraphicalProperties:
    props = GraphicalProperties(ln=LineProperties(solidFill=colour, w=int(width_pt * PT), prstDash=dash))
    return props


def _hidden_line() -> GraphicalProperties:
    props = GraphicalProperties()
    props.line.noFill = True
    return props


def _title(text: str, size_pt: int = 10) -> Title:
    """A chart title in a modest font (the default is large enough to crowd out a small chart's plot)."""
    props = CharacterProperties(sz=size_pt * 100, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def nice_range(values: list[float]) -> tuple[float, float, float] | None:
    """Axis limits and step on round numbers just beyond the data (reports.axes, the HTML charts' rule), so a
    trend is not flattened against a zero baseline and the labels read as 60, 65, 70. One value (or values a
    rounding apart) gets an axis widened upwards by its size, as on the HTML page."""
    finite = [v for v in values if v == v]
    if not finite:
        return None
    low, high = min(finite), max(finite)
    high = drawn_top(low, high)
    step = nice_step(low, high)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def step_format(step: float) -> str:
    places = step_decimals(step)
    return "#,##0" + ("." + "0" * places if places else "")


def _text_categories(chart: AreaChart | LineChart, labels: Reference) -> None:
    """Period labels are text (``2021/22``): a string reference, so Excel shows them as they are."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))


def trend_chart(data_sheet: Worksheet, first: int, last: int, title: str, unit: str, home_name: str,
                has_england: bool, y_range: tuple[float, float, float] | None) -> AreaChart:
    """Rows first..last of the series table hold one indicator's periods in order; ``y_range`` fixes the
    value axis (see :func:`nice_range`)."""
    cats = Reference(data_sheet, min_col=COL["Period"], min_row=first, max_row=last)

    band = AreaChart(grouping="stacked")
    for name, colour in (("Comparator Q1", None), ("Inter-quartile height (Q3 - Q1)", BAND_COLOUR)):
        series = Series(Reference(data_sheet, min_col=COL[name], min_row=first, max_row=last),
                        title="Middle 50% of comparators (Q1 to Q3)" if colour else "Q1 (base of the band)")
        if colour:
            series.graphicalProperties = GraphicalProperties(solidFill=colour)
            series.graphicalProperties.line.noFill = True
        else:
            series.graphicalProperties = _hidden_line()
            series.graphicalProperties.noFill = True
        band.series.append(series)
    _text_categories(band, cats)

    lines = LineChart()
    spec = [("Value", home_name, _line(HOME_COLOUR, 2.25), "circle"),
            ("Comparator median", "Comparator median", _line(MEDIAN_COLOUR, 1.5, "dash"), None)]
    if has_england:
        spec.append(("England", "England", _line(ENGLAND_COLOUR, 1.25, "sysDot"), None))
    for column, label, props, marker in spec:
        series = Series(Reference(data_sheet, min_col=COL[column], min_row=first, max_row=last), title=label)
        series.graphicalProperties = props
        series.marker = Marker(symbol=marker or "none", size=6 if marker else None)
        if marker:
            series.marker.graphicalProperties = GraphicalProperties(solidFill=HOME_COLOUR)
        series.smooth = False
        lines.series.append(series)
    _text_categories(lines, cats)

    band += lines
    band.title = _title(title)
    band.y_axis.title = unit
    if y_range:
        band.y_axis.scaling.min, band.y_axis.scaling.max, band.y_axis.majorUnit = y_range
        band.y_axis.number_format = step_format(y_range[2])
    band.y_axis.delete = False
    band.x_axis.delete = False
    band.y_axis.majorGridlines = None
    band.legend.position = "r"
    band.legend.legendEntry = [LegendEntry(idx=0, delete=True)]
    band.width, band.height = 18, 7.5
    return band


def spine_chart(spine_sheet: Worksheet, row: int, title: str, home_name: str, quartile: int | None,
                reverse: bool, axis_title: str, has_england: bool, has_home: bool) -> ScatterChart:
    """A Fingertips-style spine row from rows row..row+1 of the spine table; ``reverse`` puts high values
    on the left (low-is-good indicators, so better is always to the right)."""
    chart = ScatterChart(scatterStyle="lineMarker")
    segments = [("Lower", "Lowest to Q1", _line(RANGE_COLOUR, 9), None),
                ("Middle 50%", "Middle 50% of comparators", _line(MIDDLE_COLOUR, 9), None),
                ("Upper", "Q3 to highest", _line(RANGE_COLOUR, 9), None),
                ("Median", "Comparator median", _line(ENGLAND_COLOUR, 1.5), None)]
    if has_england:
        segments.append(("England", "England", _line("C00000", 2.5, "sysDash"), None))
    if has_home:
        segments.append(("Home", home_name, _hidden_line(), QUARTILE_MARKER.get(quartile or 0, HOME_COLOUR)))
    for key, label, props, marker_colour in segments:
        x_col = next(v for k, v in SPINE.items() if k.startswith(f"{key} x"))
        y_col = next(v for k, v in SPINE.items() if k.startswith(f"{key} y"))
        rows = row if key == "Home" else row + 1
        series = Series(Reference(spine_sheet, min_col=y_col, min_row=row, max_row=rows),
                        Reference(spine_sheet, min_col=x_col, min_row=row, max_row=rows), title=label)
        series.graphicalProperties = props
        if marker_colour:
            series.marker = Marker(symbol="circle", size=13)
            series.marker.graphicalProperties = GraphicalProperties(solidFill=marker_colour)
            series.marker.graphicalProperties.line.solidFill = "000000"
        else:
            series.marker = Marker(symbol="none")
        chart.series.append(series)
    chart.title = _title(title, 9)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 2
    chart.y_axis.delete = True
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.x_axis.majorGridlines = None
    chart.x_axis.title = axis_title
    chart.x_axis.scaling.orientation = "maxMin" if reverse else "minMax"
    chart.legend = None  # the key is written beneath the chart and in the notes
    chart.width, chart.height = 14, 4
    return chart
