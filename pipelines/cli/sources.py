"""`outcomes sample` and `outcomes validate`: making and checking source files."""

import argparse
from pathlib import Path

import pandas as pd

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import load_catalogue
from indicators.settings import load_settings
from pipelines.cli.common import EXIT_OK, EXIT_REJECTIONS, catalogue_args
from sources.sample import write_sample
from sources.validate import ValidationContext, validate_file


def cmd_sample(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.catalogue)
    written = write_sample(Path(args.dir), catalogue, AreaRegister.load(), ComparatorGroups.load(),
                           load_settings(args.settings), seed=args.seed)
    for path in written:
        print(f"wrote {path}")
    print(f"SAMPLE DATA: {len(written)} files in {args.dir} (seed {args.seed})")
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


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="write deterministic SAMPLE DATA files (Fingertips CSV, returns XLSX)")
    p.add_argument("dir", help="folder to write into (e.g. a landing folder)")
    p.add_argument("--seed", type=int, default=20220401)
    catalogue_args(p)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("validate", help="dry run: what would be accepted, rejected and skipped")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--rejections", metavar="CSV", help="write every rejected row to this CSV")
    p.add_argument("--examples", type=int, default=5, help="examples of rejections to print per file")
    catalogue_args(p)
    p.set_defaults(func=cmd_validate)
