"""Which file a report reads (signed-off snapshot or DRAFT), reproducibility after a data revision,
board columns that arrive later, committee selections and the report configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.periods import parse_fiscal_quarter
from reports.build import build_report
from reports.config import ReportConfigError, committee_selection, load_config, outcome_selection
from reports.data import next_expected_update, read_report_data
from tests.reports_support import (
    HOME,
    board_value,
    copy_landing,
    run_pipeline,
    set_board_values,
    shared_sample_warehouse,
    write_returns_csv,
)
from warehouse.paths import WarehousePaths
from warehouse.quarters import publish_quarter

Q1 = parse_fiscal_quarter("2024/25 Q1")
Q2 = parse_fiscal_quarter("2024/25 Q2")


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings) -> WarehousePaths:
    return shared_sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings)


def _sheet_rows(wb, sheet: str, first_header: str) -> list[tuple]:
    """A data sheet's header and rows: every figure the report shows (or draws)."""
    ws = wb[sheet]
    header = next(c.row for c in ws["A"] if c.value == first_header)
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=header)]


def _value_cell(wb, sheet: str, name: str) -> float:
    ws = wb[sheet]
    header = next(c.row for c in ws["A"] if c.value == "Sub-outcome")
    titles = [c.value for c in ws[header]]
    row = next(r for r in ws.iter_rows(min_row=header + 1) if r[1].value == name)
    return row[titles.index("Value")].value


def test_unsigned_quarter_reads_published_and_is_draft(sample_warehouse):
    data = read_report_data(sample_warehouse.published, Q1, kind="quarterly", snapshot_quarter=Q1,
                            selection=outcome_selection([]), config=load_config(), run_id="r1")
    assert not data.source.signed_off and data.source.path == sample_warehouse.published
    assert data.status_text.startswith("DRAFT")
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        cutoff = con.execute("SELECT max(finished_at) FROM loads").fetchall()[0][0]
        shown = con.execute("SELECT count(*) FROM outcome_board").fetchall()[0][0]
    assert data.cutoff == cutoff
    assert data.is_sample and data.run_id == "r1"
    # every catalogue indicator once, plus the council's own emissions again under Enabling
    assert data.board["indicator_id"].nunique() == shown
    placed = data.board[data.board["indicator_id"] == "cgf_council_ghg_emissions"]["place"].tolist()
    assert sorted(placed) == ["cgf", "en"]


def test_each_indicators_series_is_its_rows_of_the_series_in_order(sample_warehouse):
    """The per-indicator lookups (split once) give what a mask over the whole series gives: the same rows in
    the same order, as frames and as records; an indicator without data gets no rows and the same columns."""
    data = read_report_data(sample_warehouse.published, Q1, kind="quarterly", snapshot_quarter=Q1,
                            selection=outcome_selection([]), config=load_config(), run_id="r1")
    ids = data.board["indicator_id"].unique().tolist()
    assert len(ids) > 50 and data.series["indicator_id"].nunique() > 50
    for indicator_id in [*ids, "no_such_indicator"]:
        masked = data.series[data.series["indicator_id"] == indicator_id]
        pd.testing.assert_frame_equal(data.indicator_series(indicator_id), masked)
        records, expected = data.indicator_records(indicator_id), masked.to_dict("records")
        assert len(records) == len(expected)
        for got, want in zip(records, expected, strict=True):  # NaN is not equal to itself: compared as missing
            assert got.keys() == want.keys()
            assert all(type(got[k]) is type(want[k]) and (got[k] == want[k] or (pd.isna(got[k]) and pd.isna(want[k])))
                       for k in want), (indicator_id, got, want)
    assert list(data.series_records) == data.series["indicator_id"].drop_duplicates().tolist()


def test_signed_off_quarter_reproduces_figures_after_a_revision(sample_dir, tmp_path, catalogue, areas, groups,
                                                                 settings):
    """Sign-off is simulated by copying the published file to the quarter's snapshot path (what
    `outcomes publish-quarter` keeps); the lead swaps in the real command at merge."""
    landing = copy_landing(sample_dir, tmp_path / "landing")
    paths = run_pipeline(landing, WarehousePaths(tmp_path / "wh" / "outcomes.duckdb"), catalogue, areas, groups,
                         settings)
    publish_quarter(paths, Q1)
    first = build_report(paths.published, Q1, tmp_path / "before", run_id="first")
    assert first.signed_off and first.source == paths.quarter_snapshot(Q1.label)
    name = "Residents who feel informed about council action on the environment"
    first_wb = load_workbook(first.workbook)
    original = _value_cell(first_wb, "CGF", name)

    # a later delivery revises the latest value
    period = board_value(paths.published, "cgf_residents_informed_environment", "latest_period")
    write_returns_csv(landing / "returns_revision.csv", [{
        "indicator_id": "cgf_residents_informed_environment", "area_code": HOME, "period": period,
        "value": "12.5", "lower_ci95": "10.0", "upper_ci95": "15.0", "commentary": "revised"}])
    run_pipeline(landing, paths, catalogue, areas, groups, settings)
    assert board_value(paths.published, "cgf_residents_informed_environment", "latest_value") == 12.5

    again = build_report(paths.published, Q1, tmp_path / "after", run_id="second")
    again_wb = load_workbook(again.workbook)
    for sheet, first_header in (("Data", "outcome_id"), ("Chart data", "Indicator id"),
                                ("Spine data", "Indicator id")):
        assert _sheet_rows(again_wb, sheet, first_header) == _sheet_rows(first_wb, sheet, first_header)
    assert _value_cell(again_wb, "CGF", name) == original != 12.5
    draft = build_report(paths.published, Q2, tmp_path / "draft")
    assert not draft.signed_off
    assert _value_cell(load_workbook(draft.workbook), "CGF", name) == 12.5
    summary = [c.value for c in again_wb["Summary"]["A"] if c.value]
    assert any("signed off for 2024/25 Q1" in str(v) for v in summary)
    assert any("Run id: second" in str(v) for v in summary)


def test_target_rag_and_overdue_are_shown(sample_warehouse, tmp_path):
    copy = tmp_path / "outcomes.duckdb"
    shutil.copyfile(sample_warehouse.published, copy)
    set_board_values(copy, {"io_school_readiness": {"target_status": "Red", "target_value": 80.0,
                                                    "target_description": "80% by 2026", "overdue": True}})
    files = build_report(copy, Q1, tmp_path / "after")
    ws = load_workbook(files.workbook)["IO"]
    header = next(c.row for c in ws["A"] if c.value == "Sub-outcome")
    titles = [c.value for c in ws[header]]
    row = next(r for r in ws.iter_rows(min_row=header + 1) if r[1].value.startswith("Children achieving"))
    assert (row[titles.index("RAG")].value, row[titles.index("Overdue")].value,
            row[titles.index("Target")].value) == ("✖ Red", "⚠ Overdue", "80.0%: 80% by 2026")
    summary = load_workbook(files.workbook)["Summary"]
    header = next(c.row for c in summary["A"] if c.value == "Outcome")
    titles = [c.value for c in summary[header]]
    total = next(r for r in summary.iter_rows(min_row=header + 1) if r[0].value == "All shown")
    assert total[titles.index("✖ Red")].value >= 1 and total[titles.index("⚠ Overdue")].value == 1
    assert "✖ Red" in Path(files.html).read_text(encoding="utf-8")


def test_committee_report_shows_only_its_outcomes(sample_warehouse, tmp_path):
    config = load_config()
    files = build_report(sample_warehouse.published, Q1, tmp_path, selection=committee_selection(config, "health"),
                         config=config)
    assert files.workbook.name == "scrutiny_2024-25_Q1_health.xlsx"
    wb = load_workbook(files.workbook)
    assert [s for s in wb.sheetnames if s.isupper()] == ["SW"]
    ws = wb["SW"]
    header = next(c.row for c in ws["A"] if c.value == "Sub-outcome")
    subs = {r[0].value for r in ws.iter_rows(min_row=header + 1)}
    assert subs == {"9.3"}
    assert "Health Overview and Scrutiny Committee" in str(ws["A3"].value)

    env = build_report(sample_warehouse.published, Q1, tmp_path,
                       selection=committee_selection(config, "corporate_resources"), config=config)
    en = load_workbook(env.workbook)["EN"]
    names = {r[1].value for r in en.iter_rows() if r[1].value}
    assert "Council's own greenhouse gas emissions" in names  # also_reported_in: en


def test_selection_naming_only_missing_outcomes_is_an_error(sample_warehouse, tmp_path):
    with pytest.raises(ReportConfigError, match="none of \\['nope'\\]"):
        build_report(sample_warehouse.published, Q1, tmp_path, selection=outcome_selection(["nope"]))


def test_configuration_errors_name_the_problem(tmp_path):
    with pytest.raises(ReportConfigError, match="no committee 'x'"):
        committee_selection(load_config(), "x")
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan: {name: P, start: 2022-04-01}\ncommittees: {a: {name: A, outcome: [cgf]}}\n",
                   encoding="utf-8")
    with pytest.raises(ReportConfigError, match=r"bad.yaml: committees.a.outcome: Extra inputs"):
        load_config(bad)


def test_every_catalogue_source_has_a_licence(catalogue):
    config = load_config()
    missing = sorted({i.source.source for i in catalogue} - set(config.sources))
    assert missing == [], f"add these sources to reports/scrutiny.yaml: {missing}"


def test_every_committee_names_known_outcomes(catalogue):
    outcomes = set(catalogue.outcomes)
    for committee in load_config().committees.values():
        assert set(committee.outcomes) <= outcomes
        assert all(s[0] in "56789" and s[1] == "." for s in committee.sub_outcomes)


def test_next_expected_update():
    from datetime import date
    assert next_expected_update(date(2025, 3, 31), "annual", 6) == date(2026, 9, 30)
    assert next_expected_update(date(2024, 12, 31), "quarterly", 2) == date(2025, 5, 31)
    assert next_expected_update(date(2024, 8, 31), "monthly", 0) == date(2024, 9, 30)
    assert next_expected_update(None, "annual", 3) is None
