"""`outcomes report`: the quarterly scrutiny report or the annual report, for everyone or one committee.

A signed-off quarter (`outcomes publish-quarter`) is read from its frozen snapshot (reports.data.resolve_source)."""

import argparse
import os
import sys
from pathlib import Path

from indicators.periods import PeriodError, PeriodType, parse_fiscal_quarter, parse_period
from pipelines.cli.common import EXIT_FAILED, EXIT_OK, warehouse_arg
from reports.build import ReportFiles, build_annual_report, build_report
from reports.config import (
    ALL_OUTCOMES,
    ReportConfigError,
    Selection,
    committee_selection,
    load_config,
    outcome_selection,
)
from warehouse.paths import WarehousePaths


def _selections(args: argparse.Namespace, config) -> list[Selection]:
    if args.all_committees:
        return [committee_selection(config, c) for c in config.committees]
    if args.committee:
        return [committee_selection(config, args.committee)]
    if args.outcome:
        return [outcome_selection(args.outcome)]
    return [ALL_OUTCOMES]


def _print(files: ReportFiles) -> None:
    status = "signed off" if files.signed_off else "DRAFT: not signed off"
    print(f"Workbook: {files.workbook}\nHTML: {files.html}\n  {files.indicators} indicators, {files.charts} "
          f"charts; {status}; read from {files.source}; run id {files.run_id}"
          + ("; SAMPLE DATA" if files.is_sample else ""))


def cmd_report(args: argparse.Namespace) -> int:
    paths = WarehousePaths(Path(args.warehouse))
    out_dir = Path(args.reports) if args.reports else paths.published.parent / "reports"
    try:
        config = load_config(Path(args.config) if args.config else None)
        selections = _selections(args, config)
        for selection in selections:
            if args.year:
                year = parse_period(args.year)
                if year.type is not PeriodType.FINANCIAL_YEAR:
                    raise PeriodError(f"{args.year!r} is not a financial year such as '2024/25'")
                files = build_annual_report(paths.published, year, out_dir, run_id=args.run_id,
                                            selection=selection, config=config)
            else:
                files = build_report(paths.published, parse_fiscal_quarter(args.quarter), out_dir,
                                     run_id=args.run_id, selection=selection, config=config)
            _print(files)
    except ReportConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="build the quarterly scrutiny report or the annual report (workbook + HTML)",
                       description="Reads a signed-off quarter's frozen snapshot when there is one (the report "
                                   "is then as published); otherwise the published warehouse, marked DRAFT.")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--quarter", help="fiscal quarter: '2024/25 Q1' (April-June 2024) or its first day '2024-04-01'")
    when.add_argument("--year", help="financial year for the Annual Performance and Benchmarking Report: '2024/25'")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--committee", metavar="ID", help="one scrutiny committee's report (ids in the report config)")
    who.add_argument("--all-committees", action="store_true", help="one report per committee in the config")
    who.add_argument("--outcome", action="append", metavar="ID", help="only this outcome (repeatable), e.g. cgf")
    p.add_argument("--config", metavar="FILE", default=os.environ.get("OUTCOMES_REPORT_CONFIG"),
                   help="report configuration (committees, plan period, licences); default the packaged "
                        "reports/scrutiny.yaml, or OUTCOMES_REPORT_CONFIG")
    p.add_argument("--run-id", default=None, help="recorded in the report (default: a new id per build)")
    warehouse_arg(p)
    p.add_argument("--reports", default=os.environ.get("OUTCOMES_REPORTS"), metavar="DIR")
    p.set_defaults(func=cmd_report)
