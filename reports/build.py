"""Build the scrutiny report for a fiscal quarter from the published warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators.periods import Period
from reports.data import read_report_data
from reports.html import write_html
from reports.workbook import write_workbook


@dataclass(frozen=True)
class ReportFiles:
    workbook: Path
    html: Path
    indicators: int
    is_sample: bool


def report_stem(quarter: Period) -> str:
    return "scrutiny_" + quarter.label.replace("/", "-").replace(" ", "_")


def build_report(published: Path, quarter: Period, out_dir: Path) -> ReportFiles:
    data = read_report_data(published, quarter)
    stem = report_stem(quarter)
    workbook = write_workbook(data, out_dir / f"{stem}.xlsx")
    html = write_html(data, out_dir / f"{stem}.html")
    return ReportFiles(workbook, html, len(data.board), data.is_sample)
