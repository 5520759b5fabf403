"""Report safety: text that came from a source file never becomes a formula, hyperlink or macro in the
workbook, and is escaped in the HTML page (no tag, script, event handler or link of its own).

Hostile text reaches a report as a council return's commentary and value notes and as a landing file's
name; the report is built from a warehouse loaded with it, and both outputs are inspected the way an
attacker would hope they are read: every workbook cell, the archive's parts and relationships, and the HTML
parsed into tags, attributes and text. Property tests give the two writers arbitrary text.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from indicators.periods import parse_fiscal_quarter
from reports.build import build_report
from reports.cells import FORMULA_STARTS, clean_text, set_text
from reports.html import _cell
from tests.reports_support import HOME, run_pipeline, write_returns_csv
from warehouse.paths import WarehousePaths

pytestmark = pytest.mark.reliability("Report safety")

Q1 = parse_fiscal_quarter("2024/25 Q1")
INDICATOR = "cgf_residents_informed_environment"
HOSTILE = ['=HYPERLINK("http://evil.example/x","click")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "+1+1", "-1+cmd|' /C notepad'!A0", '<script>alert("x")</script>', "<img src=x onerror=alert(1)>",
           '"><a href="javascript:alert(1)">x</a>', "&lt;already escaped&gt; &amp;", "\u202egnp.exe"]
HOSTILE_FILE = "=1+1 returns <i>q1.csv"
PERIODS = ["2021/22", "2022/23", "2023/24", "2024/25"]


class _Parsed(HTMLParser):
    """Every tag, attribute and text chunk of a page (character references unescaped, as a browser would)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> _Parsed:
    page = _Parsed()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def hostile_report(sample_dir, tmp_path_factory, catalogue, areas, groups, settings):
    root = tmp_path_factory.mktemp("hostile-report")
    landing = root / "landing"
    landing.mkdir()
    for name in ("SAMPLE_fingertips_90284.csv", "SAMPLE_returns_quarterly.csv"):
        (landing / name).write_bytes((sample_dir / name).read_bytes())
    rows = []
    for n, period in enumerate(PERIODS):
        note, commentary = HOSTILE[(2 * n) % len(HOSTILE)], HOSTILE[(2 * n + 1) % len(HOSTILE)]
        rows.append({"indicator_id": INDICATOR, "area_code": HOME, "period": period, "value": f"{50 + n}.0",
                     "lower_ci95": f"{47 + n}.0", "upper_ci95": f"{53 + n}.0", "value_note": note,
                     "commentary": " | ".join([commentary, *HOSTILE])})
    write_returns_csv(landing / HOSTILE_FILE, rows)
    paths = run_pipeline(landing, WarehousePaths(root / "wh" / "outcomes.duckdb"), catalogue, areas, groups, settings)
    return build_report(paths.published, Q1, root / "out")


def test_no_source_text_becomes_a_formula_link_or_macro_in_the_workbook(hostile_report, proof):
    """Commentary, value notes and a file name full of formulas (DDE, HYPERLINK), markup and a right-to-left
    override: the workbook holds them as text cells only; it has no formula, hyperlink, macro, external link
    or OLE object anywhere."""
    book = load_workbook(hostile_report.workbook)
    formulas = [(s.title, c.coordinate) for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    links = [(s.title, h.ref) for s in book for h in s._hyperlinks]
    texts = [c for s in book for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    hostile_cells = [c for c in texts if any(h in c.value for h in HOSTILE) or HOSTILE_FILE in c.value]
    with zipfile.ZipFile(hostile_report.workbook) as archive:
        names = archive.namelist()
        relationships = b" ".join(archive.read(n) for n in names if n.endswith(".rels"))
        content_types = archive.read("[Content_Types].xml")
    assert formulas == [] and links == []
    assert hostile_cells, "the hostile text should reach the workbook (else this test proves nothing)"
    assert all(c.data_type == "s" for c in hostile_cells)
    assert all(c.quotePrefix for c in hostile_cells if c.value.startswith(FORMULA_STARTS))
    assert not [n for n in names if "vbaProject" in n or "externalLink" in n or "embeddings" in n]
    assert b"macroEnabled" not in content_types
    assert b"hyperlink" not in relationships and b'TargetMode="External"' not in relationships
    starts = sorted({c.value[0] for c in hostile_cells if c.value.startswith(FORMULA_STARTS)})
    sheets = sorted({c.parent.title for c in hostile_cells})
    proof.saw(f"{len(hostile_cells)} cells on sheets {sheets} hold hostile text (starting with {starts}): all "
              "text cells, quote-prefixed where a spreadsheet would see a formula; 0 formulas, 0 hyperlinks, no "
              f"macro, external link or embedded object among {len(names)} archive parts")


def test_the_html_page_escapes_all_source_text(hostile_report, proof):
    """The same text in the HTML page: shown as the text it is, never as a tag, script, event handler or
    link (the only links are the page's own anchors)."""
    html = Path(hostile_report.html).read_text(encoding="utf-8")
    page = parsed(html)
    text = "".join(page.text)
    assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert [n for n, _ in page.attributes if n.startswith("on")] == []
    assert [v for n, v in page.attributes if n in ("href", "src", "action") and not v.startswith("#")] == []
    assert "javascript:" not in " ".join(v for _, v in page.attributes)
    shown = [h for h in HOSTILE if h in text]
    assert shown, "the hostile text should reach the page (else this test proves nothing)"
    proof.saw(f"{len(shown)} of {len(HOSTILE)} hostile texts shown verbatim as text, none as markup; "
              f"{len(page.tags):,} tags in the page: no script, img or iframe, no event handler, no outside link")


def test_any_text_is_written_as_a_text_cell(proof):
    """set_text, the one way report code writes source text: any text stays a text cell after saving and
    reading back, with the quote prefix when it starts like a formula."""
    examples = 200

    @settings(max_examples=examples, deadline=None, derandomize=True)
    @given(text=st.one_of(st.text(), st.sampled_from(HOSTILE), st.from_regex(r"\A[=+\-@\t\r ].*\Z")))
    def written(text):
        book = Workbook()
        set_text(book.active["A1"], text)
        buffer = io.BytesIO()
        book.save(buffer)
        cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
        expected = clean_text(text)
        assert cell.value == (expected.replace("\r\n", "\n").replace("\r", "\n") or None)  # XML line ends
        assert cell.data_type == "s" or not expected
        assert cell.quotePrefix == expected.startswith(FORMULA_STARTS)

    written()
    proof.saw(f"{examples} texts (arbitrary, hostile, formula-like): each read back as the same text cell")


def test_any_text_is_one_escaped_table_cell(proof):
    """The HTML table cell writer: any text gives exactly one <td> holding exactly that text."""
    examples = 300

    @settings(max_examples=examples, deadline=None, derandomize=True)
    @given(text=st.one_of(st.text(), st.sampled_from(HOSTILE)))
    def escaped(text):
        page = parsed(_cell(text, None, False, "Commentary"))
        assert page.tags == ["td"] and page.attributes == [("class", "col-commentary")]
        assert "".join(page.text) == text

    escaped()
    proof.saw(f"{examples} texts (arbitrary and hostile): each one <td> whose text is exactly the input")
