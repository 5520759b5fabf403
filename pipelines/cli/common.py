"""Shared pieces of the `outcomes` command: exit codes and common arguments."""

import argparse
import os

from pipelines.resources import DEFAULT_WAREHOUSE

EXIT_OK, EXIT_FAILED, EXIT_REJECTIONS = 0, 1, 2


def catalogue_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalogue", action="append", default=[], metavar="PATH",
                        help="extra catalogue file or folder layered over the packaged one (repeatable; "
                             "also OUTCOMES_CATALOGUE)")
    parser.add_argument("--settings", default=None, metavar="FILE",
                        help="settings file naming the home area (default ./outcomes.toml or OUTCOMES_SETTINGS)")


def warehouse_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", default=os.environ.get("OUTCOMES_WAREHOUSE", DEFAULT_WAREHOUSE),
                        metavar="PATH", help="published, analyst-facing DuckDB file (default %(default)s); the "
                                             "working database lives in PATH-without-suffix.d/ beside it")
