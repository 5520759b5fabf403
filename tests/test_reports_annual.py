"""The Annual Performance and Benchmarking Report: which period stands for a year, changes over the year
and the plan period at published precision, and the report built from the sample warehouse."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.periods import financial_year, parse_period
from reports.annual import _pick, _year_before, change_label
from reports.build import build_annual_report
from reports.config import load_config
from tests.reports_support import HOME, shared_sample_warehouse
from warehouse.paths import WarehousePaths

NO_BREAKS = pd.DataFrame(columns=["indicator_id", "period", "period_start", "note"])


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings) -> WarehousePaths:
    return shared_sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings)


def _series(labels: list[str], values: list[float | None], convention=None) -> pd.DataFrame:
    rows = []
    for label, value in zip(labels, values, strict=True):
        p = parse_period(label, convention)
        rows.append({"period": p.label, "period_start": pd.Timestamp(p.start), "period_end": pd.Timestamp(p.end),
                     "period_type": p.type.value, "value": value})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("labels", "expected"), [
    (["2022/23", "2023/24", "2024/25", "2025/26"], "2024/25"),
    (["2022", "2023", "2024", "2025"], "2024"),
    (["2020-22", "2021-23", "2022-24", "2023-25", "2024-26"], "2023-25"),  # centred on 2024
    (["2024/25 Q3", "2024/25 Q4", "2025/26 Q1"], "2024/25 Q4"),
])
def test_the_period_that_stands_for_a_financial_year(labels, expected):
    series = _series(labels, [1.0] * len(labels))
    assert _pick(series, financial_year(2024).end)["period"] == expected


def test_academic_year_and_the_year_before():
    from indicators.periods import Convention
    series = _series(["2022/23", "2023/24", "2024/25", "2025/26"], [1, 2, 3, 4], Convention.ACADEMIC)
    now = _pick(series, financial_year(2024).end)
    assert now["period"] == "2024/25" and now["period_type"] == "academic_year"
    assert _year_before(series, now)["period"] == "2023/24"
    assert _pick(series, date(2022, 4, 1), strictly=True) is None  # 2022/23's mid-point is after the plan start


def test_plan_baseline_skips_missing_values():
    series = _series(["2019/20", "2020/21", "2021/22", "2022/23"], [5.0, 6.0, None, 7.0])
    assert _pick(series, date(2022, 4, 1), strictly=True)["period"] == "2020/21"


@pytest.mark.parametrize(("new", "old", "polarity", "decimals", "expected"), [
    (10.0, 9.0, "high_is_good", 1, "Improving"),
    (10.0, 9.0, "low_is_good", 1, "Worsening"),
    (10.0, 9.0, "no_judgement", 1, "Increasing"),
    (10.04, 10.0, "high_is_good", 1, "No change"),  # equal at the published precision
    (10.05, 10.0, "high_is_good", 1, "Improving"),  # DuckDB's round(): halves away from zero
    (2.5, 3.4, "low_is_good", 0, "No change"),  # 3 vs 3
])
def test_change_label(new, old, polarity, decimals, expected):
    rows = _series(["2023/24", "2024/25"], [old, new]).to_dict("records")
    assert change_label(rows[1], rows[0], polarity, decimals, NO_BREAKS) == expected


def test_change_across_a_break_note_is_not_comparable():
    rows = _series(["2020/21", "2024/25"], [1.0, 2.0]).to_dict("records")
    breaks = pd.DataFrame([{"indicator_id": "x", "period": "2021/22", "period_start": date(2021, 4, 1),
                            "note": "definition changed"}])
    assert change_label(rows[1], rows[0], "high_is_good", 1, breaks) == "Not comparable"
    assert change_label(rows[1], None, "high_is_good", 1, breaks) is None


def test_annual_report_from_the_sample_warehouse(sample_warehouse, tmp_path):
    files = build_annual_report(sample_warehouse.published, financial_year(2024), tmp_path, run_id="annual-1",
                                config=load_config())
    assert files.workbook.name == "annual_2024-25.xlsx" and not files.signed_off and files.charts > 0
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        value, previous, quartile = con.execute(
            "SELECT o.value, p.value, q.quartile_label FROM observations o "
            "JOIN observations p ON p.indicator_id = o.indicator_id AND p.area_code = o.area_code "
            " AND p.sex = o.sex AND p.period = '2023/24' "
            "JOIN quartile_positions q ON q.indicator_id = o.indicator_id AND q.area_code = o.area_code "
            " AND q.period = o.period AND q.sex = o.sex AND q.is_indicator_group "
            "WHERE o.indicator_id = 'io_school_readiness' AND o.area_code = ? AND o.period = '2024/25' "
            "AND o.sex = 'Persons'", [HOME]).fetchall()[0]
        baseline = con.execute("SELECT value FROM observations WHERE indicator_id = 'io_school_readiness' "
                               "AND area_code = ? AND period = '2021/22' AND sex = 'Persons'", [HOME]).fetchall()[0][0]
    ws = load_workbook(files.workbook)["IO"]
    header = next(c.row for c in ws["A"] if c.value == "Sub-outcome")
    titles = [c.value for c in ws[header]]
    assert titles[:10] == ["Sub-outcome", "Indicator", "Period", "Value", "A year earlier", "Value a year earlier",
                           "Change over the year", "Plan baseline", "Baseline value", "Change over the plan period"]
    row = next(r for r in ws.iter_rows(min_row=header + 1) if r[1].value.startswith("Children achieving"))
    cell = {t: c.value for t, c in zip(titles, row, strict=False)}
    assert cell["Period"] == "2024/25" and cell["Value"] == pytest.approx(value)
    assert cell["Value a year earlier"] == pytest.approx(previous)
    assert cell["Plan baseline"] == "2021/22" and cell["Baseline value"] == pytest.approx(baseline)
    assert cell["Quartile"] == quartile
    expected_year = "Improving" if round(value, 1) > round(previous, 1) else "Worsening" \
        if round(value, 1) < round(previous, 1) else "No change"
    assert expected_year in cell["Change over the year"]
    title = load_workbook(files.workbook)["Summary"]["A2"].value
    assert title.startswith("Annual Performance and Benchmarking Report 2024/25 (1 April 2024 to 31 March 2025)")
