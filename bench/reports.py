"""Report generation: workbook with native charts and HTML with SVG charts for ~60 indicators, against naive references.

Reads a published warehouse (default: the one `make run` writes), then repeats its indicators ``--copies``
times under new ids (a report several times the catalogue's size), and times:

- reading the report data (one read-only connection);
- the workbook (all sheets, native trend and spine charts) against a naive reference: pandas ``to_excel``
  of the same figures (Data and Chart data tables only, no charts, no styling) - the floor for writing
  those numbers with openpyxl;
- the HTML page (inline SVG charts written directly, reports.svg_charts) against a naive matplotlib loop that
  draws every trend chart (what the report did until 7 December 2026, there with fixed margins) and calls
  ``tight_layout`` for each.

Usage: python -m bench reports [--warehouse PATH] [--copies 6]
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from indicators.periods import parse_fiscal_quarter
from reports.config import ALL_OUTCOMES, load_config
from reports.data import ReportData, read_report_data
from reports.html import write_html
from reports.workbook import write_workbook


def _scaled(data: ReportData, copies: int) -> ReportData:
    boards, series = [data.board], [data.series]
    for k in range(1, copies):
        board = data.board.copy()
        board["indicator_id"] = board["indicator_id"] + f"_copy{k}"
        board["indicator_name"] = board["indicator_name"] + f" (copy {k})"
        boards.append(board)
        extra = data.series.copy()
        extra["indicator_id"] = extra["indicator_id"] + f"_copy{k}"
        series.append(extra)
    return replace(data, board=pd.concat(boards, ignore_index=True), series=pd.concat(series, ignore_index=True))


def _naive_workbook(data: ReportData, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        data.board.drop(columns=["also_reported_in"]).to_excel(writer, sheet_name="Data", index=False)
        data.series.to_excel(writer, sheet_name="Chart data", index=False)


def _naive_svgs(data: ReportData) -> int:
    from matplotlib.figure import Figure  # the dev extra's; `python -m bench` lists every benchmark without it

    count = 0
    for indicator_id, group in data.series.groupby("indicator_id"):
        fig = Figure(figsize=(5.2, 2.7))
        ax = fig.add_subplot()
        x = range(len(group))
        ax.fill_between(x, group["comparator_q1"], group["comparator_q3"], color="#d9d9d9")
        ax.plot(x, group["comparator_median"], "--")
        ax.plot(x, group["value"], marker="o")
        ax.set_xticks(list(x), list(group["period"]), rotation=45)
        ax.set_title(str(indicator_id))
        fig.tight_layout()
        fig.savefig(io.StringIO(), format="svg")
        count += 1
    return count


def _timed(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    print(f"  {label:58s} {time.perf_counter() - start:6.2f} s")
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reports", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path("build/warehouse/outcomes.duckdb"))
    parser.add_argument("--copies", type=int, default=6)
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        print(f"no published warehouse at {args.warehouse}: run `make run` first (or pass --warehouse)")
        return 2
    quarter = parse_fiscal_quarter("2024/25 Q1")
    print(f"warehouse {args.warehouse}, indicators repeated x{args.copies}")
    data = _timed("read report data (read-only connection)", lambda: read_report_data(
        args.warehouse, quarter, kind="quarterly", snapshot_quarter=quarter, selection=ALL_OUTCOMES,
        config=load_config(), run_id="bench"))
    data = _scaled(data, args.copies)
    print(f"  -> {data.board['indicator_id'].nunique()} indicators, {len(data.series)} chart points")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _, charts = _timed("workbook: all sheets + native charts", write_workbook, data, out / "report.xlsx")
        print(f"     {charts} native charts, {(out / 'report.xlsx').stat().st_size / 1e6:.2f} MB")
        _timed("naive reference: pandas to_excel of Data + Chart data only", _naive_workbook, data,
               out / "naive.xlsx")
        _timed("HTML: tables + inline SVG charts (written directly)", write_html, data, out / "report.html")
        print(f"     {(out / 'report.html').stat().st_size / 1e6:.2f} MB")
        n = _timed("naive reference: matplotlib trend SVGs, tight_layout each", _naive_svgs, data)
        print(f"     {n} naive trend charts")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory {peak:.0f} MB")
    return 0
