"""The HTML page: self-contained, accessible (headings, table headers, chart titles and descriptions,
unique ids, status in words), SAMPLE DATA and DRAFT marks, and a headless Chromium rendering."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from indicators.periods import parse_fiscal_quarter
from reports.build import build_report
from reports.header import SAMPLE_LINE
from reports.svg_charts import GRID, HOME, QUARTILE_MARKER, nice_ticks, spine_svg, tick_labels, trend_svg
from tests.reports_support import shared_sample_warehouse
from warehouse.paths import WarehousePaths

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _render_tool():
    spec = importlib.util.spec_from_file_location("render_report", PROJECT_ROOT / "tools" / "render_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Page(HTMLParser):
    """Collects what the accessibility checks need."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.svgs: list[dict] = []
        self.titles_in_svg = 0
        self.descs_in_svg = 0
        self.th_without_scope = 0
        self.external: list[str] = []
        self.tags: set[str] = set()
        self._in_svg = 0
        self._in_thead = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if "id" in a:
            self.ids.append(a["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            if self._in_svg == 0:
                self.svgs.append(a)
            self._in_svg += 1
        if self._in_svg and tag == "title":
            self.titles_in_svg += 1
        if self._in_svg and tag == "desc":
            self.descs_in_svg += 1
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(a[key])

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg -= 1


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings) -> WarehousePaths:
    return shared_sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings)


@pytest.fixture(scope="module")
def page(sample_warehouse, tmp_path_factory):
    files = build_report(sample_warehouse.published, parse_fiscal_quarter("2024/25 Q1"),
                         tmp_path_factory.mktemp("html"), run_id="html-run")
    return files, Path(files.html).read_text(encoding="utf-8")


def test_self_contained_and_accessible(page):
    files, html = page
    parsed = _Page()
    parsed.feed(html)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert parsed.external == [] and not ({"script", "link", "img", "iframe"} & parsed.tags)
    assert parsed.headings[0] == 1 and all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:],
                                                                       strict=False))
    assert parsed.th_without_scope == 0
    assert len(parsed.ids) == len(set(parsed.ids)), "ids must be unique across the inline SVGs"
    assert parsed.svgs and all(s.get("role") == "img" and s.get("aria-labelledby") for s in parsed.svgs)
    assert parsed.titles_in_svg == len(parsed.svgs) == parsed.descs_in_svg
    # one trend chart per indicator with data, one spine row per indicator with comparators
    assert len(parsed.svgs) == files.charts


def test_marks_status_and_words_beside_colours(page):
    _, html = page
    sections = html.count('<section class="outcome"')
    assert sections >= 5 and html.count(SAMPLE_LINE) == sections + 1
    assert 'class="mark sample">SAMPLE DATA' in html and 'class="mark draft">DRAFT' in html
    assert "Run id: html-run" in html and "Data cut-off:" in html
    tones = {tone: re.findall(rf'<td class="col-quartile {tone}">([^<]*)</td>', html)
             for tone in ("q1", "q2", "q3", "q4")}
    assert tones["q1"] and set(tones["q1"]) == {"Best 25%"}
    assert set(tones["q3"]) <= {"Second worst 25%"} and set(tones["q4"]) <= {"Worst 25%"}
    assert "@media print" in html and "thead{display:table-header-group}" in html


def test_rendered_in_headless_chromium(page, tmp_path):
    tool = _render_tool()
    if tool.find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from PIL import Image
    png = tool.render_png(Path(page[0].html), tmp_path / "report.png", width=1400, height=2400)
    with Image.open(png) as image:
        assert image.size == (1400, 2400)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # text, tables and charts drawn, not a blank page


def _svg(text: str):
    """The chart as an XML tree (well-formed, or this fails), with its namespace dropped from tag names."""
    root = ET.fromstring(text)
    for element in root.iter():
        element.tag = element.tag.split("}")[-1]
    return root


def _xy(points: str) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in pair.split(",")) for pair in points.split()]


def test_trend_chart_draws_each_figure_where_its_value_is_and_breaks_lines_at_gaps():
    """The hand-written trend SVG (reports.svg_charts): one marker per value of the home area, its line broken
    where a period has no value, the band and median only where the comparators have figures, a higher value
    drawn higher, and everything inside the chart."""
    nan = float("nan")
    series = pd.DataFrame({
        "period": [f"{y}/{(y + 1) % 100:02d}" for y in range(2015, 2023)],
        "value": [10.0, 12.0, nan, 15.0, 14.0, 18.0, nan, 20.0],
        "comparator_q1": [nan, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0],
        "comparator_median": [nan, 11.0, 11.5, 12.0, 12.5, 13.0, 13.5, 14.0],
        "comparator_q3": [nan, 13.0, 13.5, 14.0, 14.5, 15.0, 15.5, 16.0],
        "england_value": [nan] * 8,
    })
    svg = _svg(trend_svg(series, "t1", "Rate: trend", "In words", "per 1,000", "Leicestershire"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "t1-title t1-desc"
    assert [svg.find("title").text, svg.find("desc").text] == ["Rate: trend", "In words"]
    width, height = (float(v) for v in svg.get("viewBox").split()[2:])

    home = [e for e in svg.iter("polyline") if e.get("stroke") == HOME and e.get("stroke-width") == "2"]
    runs = [_xy(e.get("points")) for e in home if len(_xy(e.get("points"))) > 2]  # the legend's sample has 2
    assert [len(r) for r in runs] == [3]  # 2015-17 and 2018-21: a single point after the last gap is a marker
    markers = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter("circle") if float(c.get("cy")) > 30]
    assert len(markers) == 6
    by_value = sorted(zip([10.0, 12.0, 15.0, 14.0, 18.0, 20.0], markers, strict=True))
    assert [y for _, (_, y) in by_value] == sorted((y for _, (_, y) in by_value), reverse=True)  # higher is higher
    assert [x for x, _ in markers] == sorted(x for x, _ in markers)
    assert len(list(svg.iter("polygon"))) == 1  # the band from 2016/17, where the comparators start
    assert not [e for e in svg.iter("polyline") if e.get("stroke") == "black"]  # no England figures, no line
    labels = [t.text for t in svg.iter("text")]
    assert {"Middle 50% of comparators", "Comparator median", "Leicestershire", "per 1,000"} <= set(labels)
    assert "England" not in labels
    for element in svg.iter():
        for name in ("x", "x1", "x2", "cx"):
            if element.get(name) is not None:
                assert 0 <= float(element.get(name)) <= width, (element.tag, element.attrib)
        for name in ("y", "y1", "y2", "cy"):
            if element.get(name) is not None:
                assert 0 <= float(element.get(name)) <= height, (element.tag, element.attrib)


@pytest.mark.parametrize(("low", "high", "labels"), [
    (0.0, 1.0, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
    (3.0, 3.3, ["3.0", "3.1", "3.2", "3.3"]),
    (487.0, 603.0, ["500", "525", "550", "575", "600"]),
    (0.12, 0.24, ["0.125", "0.150", "0.175", "0.200", "0.225"]),
    (-12.0, 7.0, ["-10", "-5", "0", "5"]),
    (1500.0, 9000.0, ["2,000", "4,000", "6,000", "8,000"]),
    (850_000.0, 1_300_000.0, ["0.9m", "1.0m", "1.1m", "1.2m", "1.3m"]),
    (5.0, 5.0, ["5", "6", "7", "8", "9", "10"]),
    (45.9, 45.900000000000006, ["50", "60", "70", "80", "90"])])  # floating-point noise: one value
def test_value_axis_ticks_are_round_numbers_within_the_range(low, high, labels):
    """Steps of 1, 2, 2.5 or 5 times a power of ten, about five of them, labelled with the decimals the step
    needs and thousands separated."""
    ticks = nice_ticks(low, high)
    assert tick_labels(ticks) == labels


@pytest.mark.parametrize("values", [(45.9, 45.900000000000006), (0.3, 0.1 + 0.2), (1e-12, 1e-12), (1e-11, 1.1e-11),
                                    (1e-13, 2e-13), (0.0, 0.0), (-4.0, -4.0), (2.5e6, 2.6e6)])
def test_trend_chart_of_values_a_rounding_apart_or_far_from_one_has_its_ticks_inside(values):
    """Two figures equal but for floating-point noise, tiny or large: the chart is drawn, with at least one
    labelled tick, every tick inside the plot."""
    nan = float("nan")
    series = pd.DataFrame({"period": ["2023/24"], "value": [values[0]], "comparator_q1": [nan],
                           "comparator_median": [nan], "comparator_q3": [nan], "england_value": [values[1]]})
    svg = _svg(trend_svg(series, "t2", "Trend", "In words", "unit", "Home"))
    grid = [float(e.get("y1")) for e in svg.iter("line") if e.get("stroke") == GRID]
    assert grid and all(20 < y < 170 for y in grid)
    rotated = next(t for t in svg.iter("text") if t.text == "unit")
    assert float(rotated.get("x")) > 0  # the unit beside the widest tick label, on the canvas


def test_spine_chart_puts_better_to_the_right():
    """Reversed polarity (low is good) mirrors the chart: the home area's circle is right of the median when
    its value is lower."""
    points = {"Range": (10.0, 30.0), "Middle 50%": (15.0, 25.0), "Median": (20.0, None), "England": (22.0, None),
              "Home": (12.0, None)}

    def positions(reverse: bool) -> tuple[float, float]:
        svg = _svg(spine_svg(points, "s", "Position", "In words", reverse, 1))
        circle = next(svg.iter("circle"))
        median = next(e for e in svg.iter("line") if e.get("stroke") == "black")
        assert circle.get("fill") == QUARTILE_MARKER[1]
        return float(circle.get("cx")), float(median.get("x1"))

    home, median = positions(reverse=False)
    assert home < median
    home, median = positions(reverse=True)
    assert home > median


def test_spine_chart_of_values_a_rounding_apart_draws_them_together():
    """Figures that differ by floating-point noise only are one value: the circle sits on the median, not at the
    other end of a range magnified from 7e-15 to the whole chart."""
    points = {"Range": (45.9, 45.900000000000006), "Middle 50%": (45.9, 45.9), "Median": (45.9, None),
              "England": (None, None), "Home": (45.900000000000006, None)}
    svg = _svg(spine_svg(points, "s", "Position", "In words", False, 2))
    circle = float(next(svg.iter("circle")).get("cx"))
    median = float(next(e for e in svg.iter("line") if e.get("stroke") == "black").get("x1"))
    width = float(svg.get("viewBox").split()[2])
    assert abs(circle - median) < 1 and abs(circle - width / 2) < 1
