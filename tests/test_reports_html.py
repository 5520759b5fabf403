"""The HTML page: self-contained, accessible (headings, table headers, chart titles and descriptions,
unique ids, status in words), SAMPLE DATA and DRAFT marks, and a headless Chromium rendering."""

from __future__ import annotations

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from indicators.periods import parse_fiscal_quarter
from reports.build import build_report
from reports.header import SAMPLE_LINE
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
