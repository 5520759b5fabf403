"""``outcomes``: the command line for the BI team, analysts and report writers.

One module per topic registers its subcommands (run, sources, warehouse, reports), so each area of the
project owns its own commands. Exit codes (ARCHITECTURE.md "Files, paths and exit codes"): 0 = completed
with nothing rejected, 2 = completed and published with rejected rows or files, 1 = failed.
"""

import argparse
import sys
from collections.abc import Sequence

from indicators.catalogue import CatalogueError
from indicators.periods import PeriodError
from pipelines.cli import docs, reports, run, sources, warehouse
from pipelines.cli.common import EXIT_FAILED
from warehouse.connection import WarehouseLocked, WarehouseMissing

COMMAND_MODULES = (sources, run, warehouse, reports, docs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="outcomes",
        description="Strategic Plan performance indicators: ingest, validate, warehouse, compare, report.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CatalogueError, PeriodError, WarehouseMissing, WarehouseLocked, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
