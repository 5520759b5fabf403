"""`outcomes report`: the scrutiny report for a fiscal quarter, from the published warehouse, or from the
quarter's frozen snapshot once it has been signed off (`outcomes publish-quarter`)."""

import argparse
import os
from pathlib import Path

from indicators.periods import parse_fiscal_quarter
from pipelines.cli.common import EXIT_OK, warehouse_arg
from reports.build import build_report
from warehouse.paths import WarehousePaths
from warehouse.quarters import source_for_quarter


def cmd_report(args: argparse.Namespace) -> int:
    quarter = parse_fiscal_quarter(args.quarter)
    paths = WarehousePaths(Path(args.warehouse))
    out_dir = Path(args.reports) if args.reports else paths.published.parent / "reports"
    source = source_for_quarter(paths, quarter)  # a signed-off quarter reads its frozen snapshot
    files = build_report(source, quarter, out_dir)
    print(f"Workbook: {files.workbook}\nHTML: {files.html}\nRead from: {source}"
          + ("\n(SAMPLE DATA)" if files.is_sample else ""))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="build the scrutiny report for a fiscal quarter from the published warehouse")
    p.add_argument("--quarter", required=True, help="'2024/25 Q1' (April-June 2024) or its first day '2024-04-01'")
    warehouse_arg(p)
    p.add_argument("--reports", default=os.environ.get("OUTCOMES_REPORTS"), metavar="DIR")
    p.set_defaults(func=cmd_report)
