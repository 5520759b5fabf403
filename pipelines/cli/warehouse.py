"""`outcomes query`: read-only SQL against the published warehouse."""

import argparse
import sys
from pathlib import Path

import pandas as pd

from pipelines.cli.common import EXIT_OK, warehouse_arg
from warehouse.paths import WarehousePaths
from warehouse.query import query


def cmd_query(args: argparse.Namespace) -> int:
    frame = query(WarehousePaths(Path(args.warehouse)).published, args.sql)
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.max_rows", args.max_rows, "display.max_columns", None,
                               "display.width", 200):
            print(frame.to_string(index=False, max_rows=args.max_rows))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run read-only SQL against the published warehouse")
    p.add_argument("sql")
    warehouse_arg(p)
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.add_argument("--max-rows", type=int, default=200)
    p.set_defaults(func=cmd_query)
