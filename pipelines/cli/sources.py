"""`outcomes sample`, `validate`, `returns-template` and `fetch-fingertips`: making and checking source files."""

import argparse
import sys
from pathlib import Path

import pandas as pd

from indicators.areas import AreaRegister
from indicators.catalogue import load_catalogue
from indicators.settings import load_comparator_groups, load_settings
from pipelines.cli.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTIONS, catalogue_args
from pipelines.progress import Progress
from sources.fingertips_api import API_URL, FetchError, fetch_indicators
from sources.sample import (
    DEFAULT_SEED,
    NationalSizes,
    write_national_catalogue,
    write_national_sample,
    write_sample,
)
from sources.templates import write_returns_template
from sources.validate import FileResult, ValidationContext, validate_file


def cmd_national_sample(args: argparse.Namespace) -> int:
    """``--rows N``: national-scale SAMPLE DATA and the catalogue layer for its generated indicators."""
    settings = load_settings(args.settings)
    areas = AreaRegister.load()
    sizes = NationalSizes(rows=args.rows, files=args.files)
    directory = Path(args.dir)
    layer = Path(args.layer) if args.layer else directory.parent / f"{directory.name}.catalogue.yaml"
    layer.parent.mkdir(parents=True, exist_ok=True)
    write_national_catalogue(layer, sizes)
    catalogue = load_catalogue([*args.catalogue, layer])
    bar = Progress("SAMPLE DATA", sizes.files, "files")
    written = write_national_sample(directory, catalogue, areas, load_comparator_groups(settings, areas), settings,
                                    seed=args.seed, sizes=sizes, progress=lambda n, _total: bar.update(n))
    bar.finish()
    print(f"SAMPLE DATA (national scale): {len(written)} files for {sizes.indicators():,} generated indicators in "
          f"{directory} (seed {args.seed}); their catalogue layer is {layer}: run with --catalogue {layer}")
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    if args.rows:
        return cmd_national_sample(args)
    catalogue = load_catalogue(args.catalogue)
    settings = load_settings(args.settings)
    areas = AreaRegister.load()
    written = write_sample(Path(args.dir), catalogue, areas, load_comparator_groups(settings, areas), settings,
                           seed=args.seed)
    for path in written:
        print(f"wrote {path}")
    print(f"SAMPLE DATA: {len(written)} files for {len(catalogue)} indicators in {args.dir} (seed {args.seed})")
    return EXIT_OK


def print_result(result: FileResult, examples: int) -> None:
    """A readable summary: counts, skips and rejections by reason, and the first examples."""
    print(result.summary())
    for reason, count in sorted(result.skipped.items(), key=lambda x: -x[1]):
        rows = ", ".join(str(r) for r in result.skipped_examples.get(reason, [])[:examples])
        print(f"  skipped {count:,}: {reason}" + (f" (e.g. rows {rows})" if rows else ""))
    if result.rows_rejected and result.file_error is None:
        print("  rejected by reason:")
        for reason, count in sorted(result.rejection_reasons().items(), key=lambda x: -x[1]):
            print(f"    {count:,} x {reason}")
        print("  first examples (a value that is not available may be written as a marker: x, c, .., [c], [x]):")
        for row in result.rejected.head(examples).itertuples():
            where = f"row {row.source_row}" + (f", column {row.column}" if row.column else "")
            print(f"    {where}, value {row.value!r}: {row.reason}")


def cmd_validate(args: argparse.Namespace) -> int:
    context = ValidationContext(load_catalogue(args.catalogue), AreaRegister.load())
    frames, any_rejection = [], False
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}: no such file", file=sys.stderr)
            any_rejection = True
            continue
        result = validate_file(path, context)
        print_result(result, args.examples)
        any_rejection |= bool(result.rows_rejected or result.file_error)
        rejected = result.rejected
        if result.file_error:
            rejected = pd.DataFrame([{"source_file": path.name, "source_row": 0, "source_location": "",
                                      "column": "", "value": "", "reason": result.file_error}])
        frames.append(rejected)
    if args.rejections:
        pd.concat(frames, ignore_index=True).to_csv(args.rejections, index=False)
        print(f"Full list of rejected rows: {args.rejections}")
    return EXIT_REJECTIONS if any_rejection else EXIT_OK


def cmd_returns_template(args: argparse.Namespace) -> int:
    path = write_returns_template(Path(args.path))
    print(f"wrote a blank returns template to {path} (documentation: sources/templates/RETURNS_TEMPLATE.md)")
    return EXIT_OK


def cmd_fetch_fingertips(args: argparse.Namespace) -> int:
    try:
        path = fetch_indicators(args.ids, Path(args.landing), base_url=args.url, timeout=args.timeout)
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {path}; it is validated and loaded by the next run")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="write deterministic SAMPLE DATA files for every catalogue indicator")
    p.add_argument("dir", help="folder to write into (e.g. a landing folder)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--rows", type=int, default=0, metavar="N",
                   help="national scale instead: about N rows for every upper-tier authority, the regions and "
                        "England, over generated indicators (Fingertips CSVs and a returns XLSX) with their "
                        "catalogue layer")
    p.add_argument("--files", type=int, default=100, help="with --rows: landing files to spread the rows over")
    p.add_argument("--layer", metavar="YAML", help="with --rows: where to write the catalogue layer "
                                                   "(default DIR.catalogue.yaml beside DIR)")
    catalogue_args(p)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("validate", help="dry run: what would be accepted, rejected and skipped")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--rejections", metavar="CSV", help="write every rejected row to this CSV")
    p.add_argument("--examples", type=int, default=5, help="examples of rejections to print per file")
    catalogue_args(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("returns-template", help="write a blank council returns template (XLSX, or CSV by suffix)")
    p.add_argument("path", help="e.g. returns.xlsx or returns.csv")
    p.set_defaults(func=cmd_returns_template)

    p = sub.add_parser("fetch-fingertips", help="download Fingertips indicators by id into the landing folder")
    p.add_argument("ids", nargs="+", metavar="ID", help="Fingertips indicator ids, e.g. 90284")
    p.add_argument("--landing", default="landing", metavar="DIR", help="landing folder (default %(default)s)")
    p.add_argument("--url", default=API_URL, help="API endpoint (default %(default)s)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait (default %(default)s)")
    p.set_defaults(func=cmd_fetch_fingertips)
