"""The scrutiny workbook, opened with openpyxl: sheets, headers, a known row against the warehouse, native
charts, print setup, SAMPLE DATA on every sheet, and source text that stays text."""

from __future__ import annotations

import gc
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

import reports.build
from indicators.periods import parse_fiscal_quarter
from reports.build import build_report
from reports.data import ReportData
from reports.excel_charts import nice_range, step_format
from reports.header import SAMPLE_LINE
from reports.svg_charts import nice_ticks
from reports.workbook import BLOCK_ROWS, SPINE_KEY_NAME, SPINE_KEY_TOP, SPINE_KEY_WIDTH, spine_key
from tests.reports_support import HOME, copy_landing, run_pipeline, shared_sample_warehouse, write_returns_csv
from warehouse.paths import WarehousePaths

Q1 = parse_fiscal_quarter("2024/25 Q1")
INJECTION = '=HYPERLINK("http://x","click")'


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings) -> WarehousePaths:
    return shared_sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings)


@pytest.fixture(scope="module")
def report(sample_warehouse, tmp_path_factory):
    return build_report(sample_warehouse.published, Q1, tmp_path_factory.mktemp("report"), run_id="run-123")


def _header_row(sheet, first: str = "Sub-outcome") -> int:
    return next(c.row for c in sheet["A"] if c.value == first)


def _row_of(sheet, header_row: int, name: str) -> dict[str, object]:
    titles = [c.value for c in sheet[header_row]]
    for row in sheet.iter_rows(min_row=header_row + 1):
        if row[1].value == name:
            return {t: c for t, c in zip(titles, row, strict=False)}
    raise AssertionError(f"{name} not on {sheet.title}")


def test_sheets_and_outcome_headers(report):
    wb = load_workbook(report.workbook)
    assert wb.sheetnames[0] == "Summary"
    assert {"CGF", "CGF charts", "IO", "IO charts", "SW", "SW charts", "EN", "Notes", "Data", "Chart data",
            "Spine data"} <= set(wb.sheetnames)
    io = wb["IO"]
    header = [c.value for c in io[_header_row(io)]]
    assert header == ["Sub-outcome", "Indicator", "Period", "Value", "Previous period", "Previous value",
                      "Direction of travel", "Rank", "Quartile", "Compared with England", "England",
                      "Recent trend", "Target", "RAG", "Overdue", "Next expected update", "Commentary", "Source"]


def test_known_row_matches_the_warehouse(report, sample_warehouse):
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        board = con.execute("SELECT * FROM outcome_board WHERE indicator_id = 'io_school_readiness'").df()
    expected = board.iloc[0]
    io = load_workbook(report.workbook)["IO"]
    row = _row_of(io, _header_row(io), expected["indicator_name"])
    assert row["Period"].value == expected["latest_period"]
    assert row["Value"].value == pytest.approx(expected["latest_value"])
    assert row["Value"].number_format == '#,##0.0"%"'
    assert row["Previous value"].value == pytest.approx(expected["previous_value"])
    assert row["Rank"].value == expected["rank_text"]
    assert row["Quartile"].value == expected["quartile_label"]
    assert row["Quartile"].fill.fgColor.rgb.endswith({1: "C6EFCE", 2: "E2EFDA", 3: "FCE4D6", 4: "F8CBAD"}[
        int(expected["quartile"])])
    assert row["Direction of travel"].value.endswith(expected["direction_of_travel"]) or \
        expected["direction_of_travel"] in row["Direction of travel"].value
    assert row["England"].value == pytest.approx(expected["england_value"])
    assert row["RAG"].value == "-"  # target columns are not on this branch's board yet


def test_native_charts_for_every_indicator_with_data(report):
    wb = load_workbook(report.workbook)
    charts = {name: len(wb[name]._charts) for name in wb.sheetnames if name.endswith(" charts")}
    assert sum(charts.values()) == report.charts > 0
    with zipfile.ZipFile(report.workbook) as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(xml) == report.charts
    trend = [x for x in xml if re.search(r"<(c:)?areaChart>", x)]
    spine = [x for x in xml if re.search(r"<(c:)?scatterChart>", x)]
    assert trend and all(re.search(r"<(c:)?lineChart>", x) for x in trend)  # band under lines, same axes
    assert all(re.search(r"<(c:)?strRef>", x) for x in trend)  # period labels are text categories
    assert spine and len(trend) + len(spine) == len(xml)
    # the school-readiness trend reads its figures from the Chart data sheet
    assert any("'Chart data'!" in x for x in trend)
    key = spine_key("Leicestershire")
    assert len(key) == 4 and "circle = Leicestershire, coloured by quartile." in key[2]
    assert _spine_keys_under_charts(wb, key) == len(spine)


def _spine_keys_under_charts(wb, key: list[str]) -> int:
    """Asserts that every spine chart (anchored in column L) has ``key`` beneath it, from SPINE_KEY_TOP rows into its
    block (the chart starts 2 rows in), and that nothing else is in column L; returns the number of spine charts."""
    spines = 0
    for name in (n for n in wb.sheetnames if n.endswith(" charts")):
        sheet = wb[name]
        tops = [c.anchor._from.row + 1 for c in sheet._charts if c.anchor._from.col == 11]  # 1-based top rows
        for top in tops:
            first = top - 2 + SPINE_KEY_TOP
            assert [sheet.cell(row=first + k, column=12).value for k in range(len(key))] == key, (name, top)
        assert len([c for c in sheet["L"] if c.value]) == len(key) * len(tops), name
        spines += len(tops)
    return spines


LONG_HOME = "Bournemouth, Christchurch and Poole and the Isles of Scilly"  # invented, 59 characters


def test_workbook_wraps_the_spine_key_of_a_long_home_name(sample_warehouse, tmp_path, monkeypatch):
    monkeypatch.setattr(ReportData, "home_name", property(lambda self: LONG_HOME))
    built = build_report(sample_warehouse.published, Q1, tmp_path, run_id="run-long-name")
    key = spine_key(LONG_HOME)
    assert len(key) == 5 and all(len(line) <= SPINE_KEY_WIDTH for line in key)  # Leicestershire's has 4
    assert _spine_keys_under_charts(load_workbook(built.workbook), key) > 0


@pytest.mark.parametrize("home", ["Bournemouth, Christchurch and Poole", "Kingston upon Hull, City of", LONG_HOME,
                                  "An Authority " * 10, "Longname" * 10])  # the last: one word, shortened, 6 lines
def test_spine_key_wraps_a_long_home_name_within_the_chart_and_its_block(home):
    key = spine_key(home)
    assert all(len(line) <= SPINE_KEY_WIDTH for line in key)
    assert SPINE_KEY_TOP + len(key) <= BLOCK_ROWS  # the key ends before the next indicator's block
    text = " ".join(key)
    kept = home if len(home) <= SPINE_KEY_NAME else home[:SPINE_KEY_NAME - 3].rstrip() + "..."
    assert f"circle = {kept}, coloured by quartile." in text  # a real council's name is kept whole
    assert text.endswith("Better is to the right.")


def test_layout_print_and_sample_marks(report):
    wb = load_workbook(report.workbook)
    for sheet in wb:
        assert sheet["A1"].value == SAMPLE_LINE, sheet.title
        assert "SAMPLE DATA" in sheet.oddHeader.center.text
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    io = wb["IO"]
    header = _header_row(io)
    assert io.freeze_panes == f"C{header + 1}"
    assert io.auto_filter.ref.startswith(f"A{header}:")
    assert io.print_title_rows == f"${header}:${header}"
    assert io.column_dimensions["B"].width >= 30
    summary = [c.value for c in wb["Summary"]["A"] if c.value]
    assert any("DRAFT" in str(v) for v in summary)
    assert any("Run id: run-123" in str(v) for v in summary)
    assert any("Data cut-off:" in str(v) for v in summary)


def test_summary_counts_quartiles_per_outcome(report, sample_warehouse):
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        best = con.execute("SELECT count(*) FROM outcome_board WHERE outcome_id = 'sw' AND quartile = 1"
                           ).fetchall()[0][0]
    summary = load_workbook(report.workbook)["Summary"]
    header = _header_row(summary, "Outcome")
    titles = [c.value for c in summary[header]]
    row = next(r for r in summary.iter_rows(min_row=header + 1) if r[0].value == "Keeping People Safe and Well")
    assert row[titles.index("Best 25%")].value == best


@pytest.mark.reliability("Report safety")
def test_source_text_is_never_a_formula(sample_dir, tmp_path, catalogue, areas, groups, settings):
    """A HYPERLINK formula and a script tag in a return's note and commentary stay text in the workbook
    (quote-prefixed) and are escaped in the HTML."""
    landing = copy_landing(sample_dir, tmp_path / "landing")
    write_returns_csv(landing / "returns_injection.csv", [{
        "indicator_id": "cgf_residents_informed_environment", "area_code": HOME, "period": "2025/26",
        "value": "55.0", "lower_ci95": "52.0", "upper_ci95": "58.0", "value_note": INJECTION,
        "commentary": INJECTION + ' <script>alert("x")</script>'}])
    paths = run_pipeline(landing, WarehousePaths(tmp_path / "wh" / "outcomes.duckdb"), catalogue, areas, groups,
                         settings)
    files = build_report(paths.published, Q1, tmp_path / "out")
    wb = load_workbook(files.workbook)
    formulas = [(s.title, c.coordinate) for s in wb for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert all(not s._hyperlinks for s in wb)
    cgf = wb["CGF"]
    row = _row_of(cgf, _header_row(cgf), "Residents who feel informed about council action on the environment")
    assert row["Commentary"].value == INJECTION + ' <script>alert("x")</script>'
    assert row["Commentary"].data_type == "s" and row["Commentary"].quotePrefix
    data = wb["Data"]
    notes = [c for r in data.iter_rows() for c in r if c.value == INJECTION]
    assert notes and all(c.data_type == "s" for c in notes)  # the value note, in the data sheet
    html = Path(files.html).read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)" in html
    assert 'href="http://x"' not in html


@pytest.mark.parametrize("values", [[45.9, 45.900000000000006], [50.0], [0.0], [-3.2, -3.2], [1e6, 1e6 + 1e-9]])
def test_workbook_axis_of_one_value_or_values_a_rounding_apart_is_readable(values):
    """The workbook's value axis follows the HTML charts' rule (reports.axes): values a floating-point rounding
    apart are one value, and one value gets an axis of some width around it, on a step its labels can show."""
    low, high, step = nice_range(values)
    assert low <= min(values) and max(values) <= high and low < high
    assert step >= abs(values[0]) / 10 or step >= 0.1
    assert (high - low) / step <= 10


@pytest.mark.parametrize(("values", "top"), [([-0.87, 0.25], 0.25), ([0.002, -0.007], 0.002), ([-0.008, 0.01], 0.01),
                                            ([0.00392, 0.08], 0.08)])
def test_workbook_axis_ends_where_the_html_axis_does_when_the_highest_value_is_round(values, top):
    """Up to a round number: the lowest value plus the difference can land a rounding above the highest (-0.87 +
    1.12 = 0.25000000000000006; above zero too: 0.00392 + 0.07608 = 0.08000000000000002), which once gave the
    workbook's axis a whole step more than the HTML page's (0.5 against 0.25, 0.1 against 0.08). Both now take the
    top from reports.axes.drawn_top."""
    _, high, _ = nice_range(values)
    assert high == pytest.approx(top) and nice_ticks(min(values), max(values))[-1] == pytest.approx(top)


@pytest.mark.parametrize(("step", "number_format"), [(10.0, "#,##0"), (2.5, "#,##0.0"), (0.25, "#,##0.00"),
                                                     (0.2, "#,##0.0"), (0.005, "#,##0.000")])
def test_workbook_axis_labels_show_every_step_exactly(step, number_format):
    assert step_format(step) == number_format


@pytest.mark.parametrize("enabled_before", [True, False])
def test_each_writer_runs_with_the_cycle_collector_paused_and_it_is_restored(monkeypatch, tmp_path, enabled_before):
    """The collector is off while the workbook is written and while the HTML page is (reports.build), on again
    between them, and as it was afterwards."""
    seen: list[tuple[str, bool]] = []

    def writer(kind: str):
        def write(data, path):
            seen.append((kind, gc.isenabled()))
            return (path, 3) if kind == "workbook" else path
        return write

    monkeypatch.setattr(reports.build, "write_workbook", writer("workbook"))
    monkeypatch.setattr(reports.build, "write_html", writer("html"))
    if not enabled_before:
        gc.disable()
    switched: list[str] = []

    def recording(name: str):
        real = getattr(gc, name)

        def switch() -> None:
            switched.append(name)
            real()
        return switch

    for name in ("enable", "disable"):
        monkeypatch.setattr(gc, name, recording(name))
    data = SimpleNamespace(board=pd.DataFrame({"indicator_id": ["a", "a", "b"]}), is_sample=True, run_id="run-1",
                           source=SimpleNamespace(signed_off=False, path=tmp_path / "outcomes.duckdb"))
    try:
        files = reports.build._write(data, tmp_path, "scrutiny")
        assert seen == [("workbook", False), ("html", False)]
        assert gc.isenabled() is enabled_before
        assert switched == (["disable", "enable"] * 2 if enabled_before else ["disable", "disable"])
        assert (files.workbook, files.html, files.indicators, files.charts) == (
            tmp_path / "scrutiny.xlsx", tmp_path / "scrutiny.html", 2, 3)
    finally:
        gc.enable()


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_cycle_collector_is_restored_when_writing_fails(monkeypatch, tmp_path, enabled_before):
    """A writer that fails (a full disk, say) leaves the collector as it was."""
    during: list[bool] = []

    def failing(data, path):
        during.append(gc.isenabled())
        raise OSError("No space left on device")

    monkeypatch.setattr(reports.build, "write_workbook", failing)
    if not enabled_before:
        gc.disable()
    try:
        with pytest.raises(OSError, match="No space"):
            reports.build._write(None, tmp_path, "scrutiny")
        assert during == [False]
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()
