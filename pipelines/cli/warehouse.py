"""`outcomes query`, `export`, `publish-quarter` and `withdraw`: the warehouse for analysts and the BI team.

query and export read the published file read-only (or a signed-off quarter's snapshot with --quarter, or
the warehouse rebuilt as at a date with --as-at); publish-quarter freezes the published snapshot for a
quarter; withdraw undoes a bad delivery in the working database and publishes the result.
"""

import argparse
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from indicators.periods import parse_fiscal_quarter
from pipelines.cli.common import EXIT_FAILED, EXIT_OK, warehouse_arg
from warehouse.as_at import parse_as_at, warehouse_as_at
from warehouse.connection import WarehouseMissing, connect_working
from warehouse.export import FORMATS, ExportError, export_snapshot, export_view
from warehouse.paths import WarehousePaths
from warehouse.publish import publish
from warehouse.quarters import QuarterAlreadySignedOff, publish_quarter, signed_off_quarters, snapshot_for_quarter
from warehouse.query import query
from warehouse.rebuild import rebuild_methods
from warehouse.schema import WarehouseSchemaMismatch
from warehouse.withdraw import WithdrawError, withdraw_load

USER_ERRORS = (ExportError, WithdrawError, QuarterAlreadySignedOff, WarehouseSchemaMismatch, ValueError)


def _reports_errors(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A mistake in what was asked gets a one-line message and exit code 1, not a traceback."""
    @functools.wraps(command)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except USER_ERRORS as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    return wrapped


@contextmanager
def _source(args: argparse.Namespace) -> Iterator[Path]:
    """The file to read: the published warehouse, a signed-off quarter, or a rebuild as at a moment."""
    paths = WarehousePaths(Path(args.warehouse))
    if args.quarter:
        quarter = parse_fiscal_quarter(args.quarter)
        snapshot = snapshot_for_quarter(paths, quarter)
        if snapshot is None:
            raise WarehouseMissing(f"{quarter.label} has not been signed off (no "
                                   f"{paths.quarter_snapshot(quarter.label)}); see `outcomes publish-quarter --list`")
        yield snapshot
    elif args.as_at:
        when = parse_as_at(args.as_at)
        print(f"Rebuilding the warehouse as at {when:%Y-%m-%d %H:%M:%S} ...", file=sys.stderr)
        with warehouse_as_at(paths.published, when) as rebuilt:
            yield rebuilt
    else:
        yield paths.published


@_reports_errors
def cmd_query(args: argparse.Namespace) -> int:
    with _source(args) as source:
        try:
            frame = query(source, args.sql)
        except duckdb.Error as exc:  # the analyst's SQL: say what DuckDB said, no traceback
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.max_rows", args.max_rows, "display.max_columns", None,
                               "display.width", 200):
            print(frame.to_string(index=False, max_rows=args.max_rows))
    return EXIT_OK


@_reports_errors
def cmd_export(args: argparse.Namespace) -> int:
    if args.all == bool(args.views):
        raise ExportError("name the views to export, or give --all for a versioned Parquet snapshot of every view")
    with _source(args) as source:
        if args.all:
            if args.format != "parquet":
                raise ExportError("--all writes a Parquet snapshot; use --format parquet")
            folder = export_snapshot(source, Path(args.output or "snapshots"))
            print(f"Parquet snapshot of every view: {folder} (LATEST -> {folder.name})")
            return EXIT_OK
        for view in args.views:
            output = Path(args.output) / f"{view}.{args.format}" if args.output else Path(f"{view}.{args.format}")
            rows = export_view(source, view, args.format, output)
            print(f"{view}: {rows} rows -> {output}")
    return EXIT_OK


@_reports_errors
def cmd_publish_quarter(args: argparse.Namespace) -> int:
    paths = WarehousePaths(Path(args.warehouse))
    if args.list:
        for q in signed_off_quarters(paths):
            print(f"{q.quarter}: signed off {q.signed_off_at:%Y-%m-%d %H:%M} by {q.signed_off_by}, "
                  f"published {q.published_at:%Y-%m-%d %H:%M} -> {q.path}")
        return EXIT_OK
    if not args.quarter:
        raise ValueError("give the fiscal quarter to sign off, e.g. '2024/25 Q1', or --list")
    quarter = parse_fiscal_quarter(args.quarter)
    path = publish_quarter(paths, quarter, replace=args.replace)
    print(f"{quarter.label} signed off: {path} (frozen; every later report for {quarter.label} reads it)")
    return EXIT_OK


@_reports_errors
def cmd_withdraw(args: argparse.Namespace) -> int:
    paths = WarehousePaths(Path(args.warehouse))
    if not paths.working.is_file():
        raise WarehouseMissing(f"no working database at {paths.working}; nothing has been loaded")
    with connect_working(paths.working) as con:
        done = withdraw_load(con, args.load_id, args.reason)
        print(f"Withdrew load {done.load_id} ({done.source_file}): {done.rows_closed} value(s) stopped being "
              f"current, {done.rows_reinstated} earlier value(s) current again. Recomputing ...")
        rebuild_methods(con)
    publish(paths)
    print(f"Published warehouse: {paths.published}")
    return EXIT_OK


def _source_args(parser: argparse.ArgumentParser) -> None:
    warehouse_arg(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--quarter", help="read the signed-off snapshot of this fiscal quarter ('2024/25 Q1')")
    which.add_argument("--as-at", metavar="DATE", help="read the warehouse as it stood at the end of DATE "
                                                       "(2024-07-01) or at a moment (2024-07-01T09:30)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run read-only SQL against the published warehouse")
    p.add_argument("sql")
    _source_args(p)
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.add_argument("--max-rows", type=int, default=200)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write analyst views to Parquet or CSV (Power BI, Excel)")
    p.add_argument("views", nargs="*", metavar="VIEW", help="views to export, e.g. outcome_board loads")
    p.add_argument("--format", choices=FORMATS, default="parquet")
    p.add_argument("--output", metavar="DIR", help="folder to write into (default: the current folder; with "
                                                   "--all: snapshots/)")
    p.add_argument("--all", action="store_true", help="every view as a versioned Parquet snapshot folder "
                                                      "(for readers on a network share or Windows)")
    _source_args(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("publish-quarter", help="sign a quarter off: freeze the published snapshot for its reports")
    p.add_argument("quarter", nargs="?", help="fiscal quarter, '2024/25 Q1' (April-June 2024) or '2024-04-01'")
    p.add_argument("--replace", action="store_true", help="sign off again (the previous snapshot is kept)")
    p.add_argument("--list", action="store_true", help="list the signed-off quarters")
    warehouse_arg(p)
    p.set_defaults(func=cmd_publish_quarter)

    p = sub.add_parser("withdraw", help="withdraw a load (a bad delivery): its values stop being current, "
                                        "earlier ones return; nothing is deleted")
    p.add_argument("load_id", type=int, help="the load's id (see the loads view)")
    p.add_argument("--reason", required=True, help="why; kept in the loads view")
    warehouse_arg(p)
    p.set_defaults(func=cmd_withdraw)

