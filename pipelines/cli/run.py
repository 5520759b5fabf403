"""`outcomes run`: materialise every asset through Dagster, in process, and publish."""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

import dagster as dg

from indicators.periods import parse_fiscal_quarter
from pipelines.alerts import Notifier
from pipelines.cli.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTIONS, catalogue_args, warehouse_arg
from pipelines.partitions import key_for_quarter, quarter_just_ended
from pipelines.resources import DEFAULT_LANDING, PipelineSettings, WarehouseResource
from sources.filing import PROCESSED_DIR, REJECTED_DIR
from warehouse.paths import WarehousePaths

PROJECT_INSTANCE_DIR = ".dagster"


def default_quarter(today: date | None = None) -> str:
    """The fiscal quarter that has just ended: what a quarterly report normally covers."""
    return quarter_just_ended(today or date.today()).label


def project_instance() -> dg.DagsterInstance:
    """The project's Dagster instance when run from the project root (so runs appear in `dagster dev`),
    the DAGSTER_HOME instance when that is set, otherwise a temporary one."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    if Path("dagster.yaml").is_file():
        from dagster._core.instance.ref import InstanceRef  # how `dagster dev` builds the same instance

        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(Path(PROJECT_INSTANCE_DIR).resolve()),
                                                                config_dir=str(Path.cwd())))
    return dg.DagsterInstance.ephemeral()


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.assets import ALL_ASSETS

    quarter = parse_fiscal_quarter(args.quarter)
    resources = {
        "settings": PipelineSettings.from_env(landing_dir=args.landing, reports_dir=args.reports,
                                              catalogue_layers=os.pathsep.join(args.catalogue) or None,
                                              settings_file=args.settings, run_date=args.run_date),
        "warehouse": WarehouseResource(warehouse_path=args.warehouse),
        "notifier": Notifier.from_env(),
    }
    started = time.perf_counter()
    with project_instance() as instance:
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
    totals = {"rows_read": 0, "rows_accepted": 0, "rows_rejected": 0, "rows_skipped": 0, "files_rejected": 0,
              "files_to_processed": 0, "files_to_rejected": 0}
    for mat in result.get_asset_materialization_events():
        meta = mat.materialization.metadata
        for key in totals:
            if key in meta:
                totals[key] += int(meta[key].value)
    paths = WarehousePaths(Path(args.warehouse))
    reports = Path(args.reports) if args.reports else paths.published.parent / "reports"
    print(f"Read {totals['rows_read']} rows: {totals['rows_accepted']} accepted, {totals['rows_rejected']} "
          f"rejected, {totals['rows_skipped']} skipped; {totals['files_rejected']} file(s) rejected.")
    print(f"Landing files moved to {Path(args.landing) / PROCESSED_DIR}: {totals['files_to_processed']}; to "
          f"{Path(args.landing) / REJECTED_DIR} (with a rejection report beside each): {totals['files_to_rejected']}.")
    print(f"Published warehouse: {paths.published}")
    print(f"Scrutiny report ({quarter.label}): {reports}")
    print(f"Completed in {elapsed:.1f} s.")
    if totals["rows_rejected"] or totals["files_rejected"] or totals["files_to_rejected"]:
        print(f"Some rows or files were rejected: read the rejection reports in {Path(args.landing) / REJECTED_DIR}, "
              "or `outcomes query \"SELECT * FROM rejected_rows\"`.")
        return EXIT_REJECTIONS
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="materialise every asset through Dagster, in process, and publish")
    p.add_argument("--landing", default=os.environ.get("OUTCOMES_LANDING", DEFAULT_LANDING), metavar="DIR",
                   help="folder of source files to load (default %(default)s)")
    warehouse_arg(p)
    p.add_argument("--reports", default=os.environ.get("OUTCOMES_REPORTS"), metavar="DIR",
                   help="folder for the scrutiny report (default: reports/ beside the warehouse)")
    p.add_argument("--quarter", default=default_quarter(),
                   help="fiscal quarter of the scrutiny report, '2024/25 Q1' or '2024-04-01' "
                        "(default: the quarter just ended, %(default)s)")
    p.add_argument("--run-date", default=None, metavar="YYYY-MM-DD",
                   help="judge which indicators are overdue as on this day (default: today; also OUTCOMES_RUN_DATE)")
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    catalogue_args(p)
    p.set_defaults(func=cmd_run)
