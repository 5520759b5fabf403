"""``outcomes``: the command line for the BI team, analysts and report writers.

Exit codes (ARCHITECTURE.md "Files, paths and exit codes"): 0 = completed with nothing rejected,
2 = completed and published with rejected rows or files, 1 = failed (nothing published).
"""

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import CatalogueError, load_catalogue
from indicators.periods import PeriodError, fiscal_quarter_of, parse_fiscal_quarter, previous_fiscal_quarter
from indicators.settings import load_settings
from pipelines.resources import DEFAULT_LANDING, DEFAULT_WAREHOUSE, PipelineSettings, WarehouseResource
from reports.build import build_report
from sources.sample import write_sample
from sources.validate import ValidationContext, validate_file
from warehouse.connection import WarehouseLocked, WarehouseMissing
from warehouse.paths import WarehousePaths
from warehouse.query import query

EXIT_OK, EXIT_FAILED, EXIT_REJECTIONS = 0, 1, 2
PROJECT_INSTANCE_DIR = ".dagster"


def _catalogue_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalogue", action="append", default=[], metavar="PATH",
                        help="extra catalogue file or folder layered over the packaged one (repeatable; "
                             "also OUTCOMES_CATALOGUE)")
    parser.add_argument("--settings", default=None, metavar="FILE",
                        help="settings file naming the home area (default ./outcomes.toml or OUTCOMES_SETTINGS)")


def _warehouse_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", default=os.environ.get("OUTCOMES_WAREHOUSE", DEFAULT_WAREHOUSE),
                        metavar="PATH", help="published, analyst-facing DuckDB file (default %(default)s); the "
                                             "working database lives in PATH-without-suffix.d/ beside it")


def default_quarter(today: date | None = None) -> str:
    """The fiscal quarter that has just ended: what a quarterly report normally covers."""
    return previous_fiscal_quarter(fiscal_quarter_of(today or date.today())).label


def _instance() -> dg.DagsterInstance:
    """The project's Dagster instance when run from the project root (so runs appear in `dagster dev`),
    the DAGSTER_HOME instance when that is set, otherwise a temporary one."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    if Path("dagster.yaml").is_file():
        from dagster._core.instance.ref import InstanceRef  # the documented way `dagster dev` builds it

        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(Path(PROJECT_INSTANCE_DIR).resolve()),
                                                                config_dir=str(Path.cwd())))
    return dg.DagsterInstance.ephemeral()


def cmd_sample(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.catalogue)
    written = write_sample(Path(args.dir), catalogue, AreaRegister.load(), ComparatorGroups.load(),
                           load_settings(args.settings), seed=args.seed)
    for path in written:
        print(f"wrote {path}")
    print(f"SAMPLE DATA: {len(written)} files in {args.dir} (seed {args.seed})")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.assets import ALL_ASSETS
    from pipelines.partitions import key_for_quarter

    quarter = parse_fiscal_quarter(args.quarter)
    resources = {
        "settings": PipelineSettings(landing_dir=args.landing, reports_dir=args.reports or "",
                                     catalogue_layers=os.pathsep.join(args.catalogue),
                                     settings_file=args.settings or ""),
        "warehouse": WarehouseResource(warehouse_path=args.warehouse),
    }
    started = time.perf_counter()
    with _instance() as instance:
        result = dg.materialize(
            ALL_ASSETS, resources=resources, instance=instance, partition_key=key_for_quarter(quarter),
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
        )
    elapsed = time.perf_counter() - started
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                print(f"FAILED at {event.step_key}: {event.event_specific_data.error.message.strip()}",
                      file=sys.stderr)
        print("Run failed; nothing new was published.", file=sys.stderr)
        return EXIT_FAILED
    totals = {"rows_read": 0, "rows_accepted": 0, "rows_rejected": 0, "rows_skipped": 0, "files_rejected": 0}
    for mat in result.get_asset_materialization_events():
        meta = mat.materialization.metadata
        for key in totals:
            if key in meta:
                totals[key] += int(meta[key].value)
    paths = WarehousePaths(Path(args.warehouse))
    reports = Path(args.reports) if args.reports else paths.published.parent / "reports"
    print(f"Read {totals['rows_read']} rows: {totals['rows_accepted']} accepted, {totals['rows_rejected']} "
          f"rejected, {totals['rows_skipped']} skipped; {totals['files_rejected']} file(s) rejected.")
    print(f"Published warehouse: {paths.published}")
    print(f"Scrutiny report ({quarter.label}): {reports}")
    print(f"Completed in {elapsed:.1f} s.")
    if totals["rows_rejected"] or totals["files_rejected"]:
        print("Some rows or files were rejected: see `outcomes query \"SELECT * FROM rejected_rows\"`.")
        return EXIT_REJECTIONS
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    context = ValidationContext(load_catalogue(args.catalogue), AreaRegister.load())
    all_rejected = []
    any_rejection = False
    for name in args.files:
        result = validate_file(Path(name), context)
        print(result.summary())
        for reason, count in sorted(result.skipped.items()):
            print(f"  skipped {count}: {reason}")
        if result.rows_rejected and result.file_error is None:
            print("  rejected by reason:")
            for reason, count in sorted(result.rejection_reasons().items(), key=lambda x: -x[1]):
                print(f"    {count} x {reason}")
            print("  first examples:")
            for row in result.rejected.head(args.examples).itertuples():
                print(f"    row {row.source_row}, column {row.column}, value {row.value!r}: {row.reason}")
        any_rejection |= bool(result.rows_rejected or result.file_error)
        all_rejected.append(result.rejected)
    if args.rejections:
        pd.concat(all_rejected).to_csv(args.rejections, index=False)
        print(f"Full list of rejected rows: {args.rejections}")
    return EXIT_REJECTIONS if any_rejection else EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    frame = query(WarehousePaths(Path(args.warehouse)).published, args.sql)
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.max_rows", args.max_rows, "display.max_columns", None,
                               "display.width", 200):
            print(frame.to_string(index=False, max_rows=args.max_rows))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    quarter = parse_fiscal_quarter(args.quarter)
    paths = WarehousePaths(Path(args.warehouse))
    out_dir = Path(args.reports) if args.reports else paths.published.parent / "reports"
    files = build_report(paths.published, quarter, out_dir)
    print(f"Workbook: {files.workbook}\nHTML: {files.html}"
          + ("\n(SAMPLE DATA)" if files.is_sample else ""))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="outcomes",
        description="Strategic Plan performance indicators: ingest, validate, warehouse, compare, report.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="write deterministic SAMPLE DATA files (Fingertips CSV, returns XLSX)")
    p.add_argument("dir", help="folder to write into (e.g. a landing folder)")
    p.add_argument("--seed", type=int, default=20220401)
    _catalogue_args(p)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("run", help="materialise every asset through Dagster, in process, and publish")
    p.add_argument("--landing", default=os.environ.get("OUTCOMES_LANDING", DEFAULT_LANDING), metavar="DIR",
                   help="folder of source files to load (default %(default)s)")
    _warehouse_arg(p)
    p.add_argument("--reports", default=os.environ.get("OUTCOMES_REPORTS"), metavar="DIR",
                   help="folder for the scrutiny report (default: reports/ beside the warehouse)")
    p.add_argument("--quarter", default=default_quarter(),
                   help="fiscal quarter of the scrutiny report, '2024/25 Q1' or '2024-04-01' "
                        "(default: the quarter just ended, %(default)s)")
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    _catalogue_args(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="dry run: what would be accepted, rejected and skipped")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--rejections", metavar="CSV", help="write every rejected row to this CSV")
    p.add_argument("--examples", type=int, default=5, help="examples of rejections to print per file")
    _catalogue_args(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run read-only SQL against the published warehouse")
    p.add_argument("sql")
    _warehouse_arg(p)
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.add_argument("--max-rows", type=int, default=200)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("report", help="build the scrutiny report for a fiscal quarter from the published warehouse")
    p.add_argument("--quarter", required=True, help="'2024/25 Q1' (April-June 2024) or its first day '2024-04-01'")
    _warehouse_arg(p)
    p.add_argument("--reports", default=os.environ.get("OUTCOMES_REPORTS"), metavar="DIR")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CatalogueError, PeriodError, WarehouseMissing, WarehouseLocked, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
