"""Reading the first bytes, header row and sheet names of a file, safely, for sniffing and reading.

Why here: every adapter needs the same careful first look (encoding, BOM, sheet names of an XLSX read
without evaluating anything). A problem at this level rejects the whole file with one clear message.

XLSX files are opened by calamine, which reads cached cell values and never evaluates formulas or runs
macros. Before that the archive itself is checked: a file that is not a ZIP archive, is truncated, or
would expand to an unreasonable size (a "zip bomb") is refused with a message saying which.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import python_calamine

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
PROBE_ROWS = 20
# An XLSX whose parts expand beyond this, or compress better than this ratio, is refused unread.
MAX_XLSX_EXPANDED_BYTES = 4 * 1024**3
MAX_XLSX_COMPRESSION_RATIO = 1000


class FileRejected(Exception):
    """The whole file cannot be used; the message says why in words a BI analyst understands."""


def normalise_header(name: object) -> str:
    """``Area Name``, ``AreaName`` and ``area_name`` all become ``areaname``."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), falling back to cp1252, the encoding Excel on Windows writes."""
    if b"\x00" in data[:4096]:
        raise FileRejected(f"{path.name}: this is not a text (CSV) file: it contains binary data")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected(f"{path.name}: the file is neither UTF-8 nor Windows-1252 text")


def read_csv_text(path: Path) -> str:
    return decode_text(path.read_bytes(), path)


def read_csv_rows(path: Path) -> list[list[str]]:
    """Every record of a CSV file (quoted fields may hold commas and line breaks)."""
    reader = csv.reader(io.StringIO(read_csv_text(path), newline=""))
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise FileRejected(f"{path.name}: not a readable CSV file at line {reader.line_num} ({exc})") from None
    return rows


def csv_header(path: Path) -> list[str]:
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    text = decode_text(head, path) if head else ""
    reader = csv.reader(io.StringIO(text))
    try:
        return next(reader)
    except (StopIteration, csv.Error):
        return []


def cell_text(value: object) -> str:
    """A cell as text the parsers read: whole floats without ``.0``, dates as ISO, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def check_xlsx_archive(path: Path) -> None:
    """Refuse, before reading, an XLSX that is not a complete, reasonably sized workbook archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {p.filename for p in parts}
            expanded = sum(p.file_size for p in parts)
            compressed = sum(p.compress_size for p in parts) or 1
    except zipfile.BadZipFile:
        raise FileRejected(f"{path.name}: not a readable XLSX workbook: the file is damaged, truncated or "
                           "not an Excel workbook (save it again from Excel as .xlsx)") from None
    except OSError as exc:
        raise FileRejected(f"{path.name}: cannot open the workbook ({exc})") from None
    if "xl/workbook.xml" not in names:
        raise FileRejected(f"{path.name}: not an Excel workbook (the archive has no xl/workbook.xml)")
    if expanded > MAX_XLSX_EXPANDED_BYTES or expanded / compressed > MAX_XLSX_COMPRESSION_RATIO:
        raise FileRejected(f"{path.name}: refused: the workbook would expand to {expanded / 1e6:,.0f} MB "
                           f"({expanded / compressed:,.0f} times its compressed size); this looks like a "
                           "damaged or malicious file")


def _workbook(path: Path) -> python_calamine.CalamineWorkbook:
    check_xlsx_archive(path)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for zip and XML faults
        raise FileRejected(f"{path.name}: not a readable XLSX workbook ({exc})") from None


def xlsx_rows(path: Path, sheet: str) -> list[list[object]]:
    """All cell values of one sheet, read by calamine (values only: no formulas are evaluated)."""
    workbook = _workbook(path)
    try:
        return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRejected(f"{path.name}: cannot read sheet {sheet!r} of the workbook ({exc})") from None


def xlsx_sheet_names(path: Path) -> list[str]:
    return list(_workbook(path).sheet_names)


def first_nonempty_row(rows: list[list[object]]) -> tuple[int, list[object]]:
    for index, row in enumerate(rows):
        if any(cell_text(c) for c in row):
            return index, row
    return -1, []


@dataclass(frozen=True)
class Probe:
    """What sniffing sees of a file: its kind, header cells (normalised) and sheet names.

    ``sheets`` maps each sheet to its first non-empty row, normalised; ``head`` holds the first rows of
    each sheet (or of the CSV, under "") as text, for formats whose header is not the first row.
    """

    path: Path
    kind: str  # "csv" | "xlsx" | "json" | "other"
    header: tuple[str, ...]
    sheets: dict[str, tuple[str, ...]]  # sheet name -> normalised first non-empty row
    head: dict[str, list[list[str]]] = field(default_factory=dict)


def probe(path: Path) -> Probe:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        workbook = _workbook(path)
        sheets, head = {}, {}
        try:
            for name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(name).to_python(nrows=PROBE_ROWS)
                _, row = first_nonempty_row(rows)
                sheets[name] = tuple(normalise_header(cell_text(c)) for c in row)
                head[name] = [[cell_text(c) for c in r] for r in rows]
        except Exception as exc:
            raise FileRejected(f"{path.name}: not a readable XLSX workbook ({exc})") from None
        return Probe(path, "xlsx", (), sheets, head)
    if suffix in CSV_SUFFIXES:
        header = csv_header(path)
        return Probe(path, "csv", tuple(normalise_header(c) for c in header), {}, {"": [header]})
    if suffix == ".json":
        return Probe(path, "json", (), {})
    return Probe(path, "other", (), {})
