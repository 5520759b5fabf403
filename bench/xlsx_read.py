"""Read time of a large XLSX (default 50 MB): python-calamine against openpyxl read-only, in the same run.

Why: published tables arrive as XLSX, and the adapters read them with calamine (values only). This
benchmark writes one workbook shaped like a published "years across columns" table (area code, name,
then one numeric column per year, with some suppressed cells) and times reading every cell back with:

- calamine, as sources.files.xlsx_rows does (``to_python`` of the sheet), and streaming (``iter_rows``);
- openpyxl with ``read_only=True, data_only=True`` (the naive reference), iterating ``values_only`` rows.

Each reader runs in a fresh process (so its peak memory is its own) and must return the same number of rows
and the same sum of the numeric cells, so the figures compare like with like. The workbook is written once
to build/bench/ and reused (``--rewrite`` to redo).

    python -m bench xlsx_read [--mb 50] [--rewrite]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import python_calamine
from openpyxl import load_workbook

OUT_DIR = Path("build") / "bench"
YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2005, 2025)]
MARKER_RATE = 0.02

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Table" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _text_cell(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def write_workbook(path: Path, target_mb: float, seed: int = 1) -> tuple[int, float]:
    """Stream a workbook of about ``target_mb`` MB; return (data rows, sum of numeric cells)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            header = "".join(_text_cell(h) for h in ["Area code", "Area name", *YEARS])
            sheet.write(f"<row>{header}</row>".encode())
            while True:
                for _ in range(5000):
                    cells = [_text_cell(f"E{rng.randrange(6, 11):02d}{rng.randrange(1, 999999):06d}"),
                             _text_cell(f"Area {rng.randrange(1, 400)}")]
                    for _year in YEARS:
                        if rng.random() < MARKER_RATE:
                            cells.append(_text_cell("[c]"))
                        else:
                            value = round(rng.uniform(0, 1000), 3)
                            total += value
                            cells.append(f"<c><v>{value}</v></c>")
                    sheet.write(f"<row>{''.join(cells)}</row>".encode())
                    rows += 1
                if archive.fp.tell() >= target_mb * 1e6:
                    break
            sheet.write(b"</sheetData></worksheet>")
    return rows, total


def _numeric_sum(rows) -> tuple[int, float]:
    count = total = 0
    for row in rows:
        count += 1
        for cell in row[2:]:
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                total += cell
    return count - 1, total  # the header row is not data


def read_calamine(path: Path) -> tuple[int, float]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return _numeric_sum(workbook.get_sheet_by_name("Table").to_python(skip_empty_area=False))


def read_calamine_streaming(path: Path) -> tuple[int, float]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return _numeric_sum(workbook.get_sheet_by_name("Table").iter_rows())


def read_openpyxl(path: Path) -> tuple[int, float]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return _numeric_sum(workbook["Table"].iter_rows(values_only=True))
    finally:
        workbook.close()


READERS = {"calamine to_python": read_calamine, "calamine iter_rows": read_calamine_streaming,
           "openpyxl read-only": read_openpyxl}


def _timed(name: str, path: Path) -> tuple[int, float, float, float]:
    """Run one reader in this (fresh) process: rows, numeric sum, seconds, peak memory in MB."""
    started = time.perf_counter()
    rows, total = READERS[name](path)
    elapsed = time.perf_counter() - started
    return rows, total, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench xlsx_read", description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the workbook in MB (default 50)")
    parser.add_argument("--rewrite", action="store_true", help="write the workbook again even if it exists")
    args = parser.parse_args(argv)
    path = OUT_DIR / f"wide_table_{args.mb:g}mb.xlsx"
    if args.rewrite or not path.is_file():
        started = time.perf_counter()
        rows, total = write_workbook(path, args.mb)
        print(f"wrote {path}: {path.stat().st_size / 1e6:.1f} MB, {rows:,} rows x {len(YEARS) + 2} columns, "
              f"numeric sum {total:,.1f}, in {time.perf_counter() - started:.1f} s")
    print(f"reading {path} ({path.stat().st_size / 1e6:.1f} MB)")
    results = {}
    spawn = multiprocessing.get_context("spawn")  # a fresh process per reader, so peak memory is its own
    for name in READERS:
        with spawn.Pool(1) as pool:
            rows, total, elapsed, peak = pool.apply(_timed, (name, path))
        results[name] = (rows, total, elapsed)
        print(f"  {name:20s} {elapsed:8.2f} s   {rows:,} rows, numeric sum {total:,.1f}   peak memory {peak:,.0f} MB")
    (rows_a, sum_a, _), (rows_b, sum_b, _) = results["calamine to_python"], results["openpyxl read-only"]
    if rows_a != rows_b or abs(sum_a - sum_b) > 1e-6 * max(abs(sum_b), 1):
        print("MISMATCH: the readers disagree")
        return 1
    ratio = results["openpyxl read-only"][2] / results["calamine to_python"][2]
    print(f"calamine is {ratio:.1f} times faster than openpyxl read-only on this workbook")
    return 0
