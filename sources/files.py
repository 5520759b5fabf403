"""Reading the first bytes, header row and sheet names of a file, safely, for sniffing and reading.

Why here: every adapter needs the same careful first look (encoding, BOM, sheet names of an XLSX read
without evaluating anything). A problem at this level rejects the whole file with one clear message.

XLSX files are opened by calamine, which reads cached cell values and never evaluates formulas or runs
macros. Before that the archive itself is checked: a file that is not a ZIP archive, is truncated, or
would expand to an unreasonable size (a "zip bomb", including one whose entries overlap) is refused with a
message saying which, and so is an XML part with a document type declaration (entities that expand
enormously, "billion laughs"): workbooks saved by Excel never have one. calamine itself stops reading a
part at the size the archive declares for it, so the declared sizes checked here bound what is read.

Before anything is read, :func:`check_input` refuses a symbolic link (never read through: the data must be
delivered into the landing folder, not pointed at from it) and a file over the input size limit
(``OUTCOMES_MAX_INPUT_MB``): reading a CSV takes roughly ten times its size in memory, so the limit is what
keeps one oversized delivery from exhausting the machine. A link is identified by where it points
(:func:`file_checksum`), never by what it points at.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import python_calamine

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
PROBE_ROWS = 20
MB = 1024 * 1024
MAX_INPUT_ENV = "OUTCOMES_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 512
# An XLSX whose parts expand beyond this multiple of the input limit, or beyond this ratio to the file's size
# on disk (entries sharing compressed data count each time), or with more parts than this, is refused unread.
XLSX_EXPANSION_ALLOWANCE = 4
MAX_XLSX_COMPRESSION_RATIO = 1000
MAX_XLSX_PARTS = 10_000
XML_PROLOG_BYTES = 64 * 1024  # an XML part's prolog (where a DTD would be) must end within this


class FileRejected(Exception):
    """The whole file cannot be used; the message says why in words a BI analyst understands."""


def normalise_header(name: object) -> str:
    """``Area Name``, ``AreaName`` and ``area_name`` all become ``areaname``."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def mapped_positions(header: Sequence[str], mapping: Mapping[str, str]) -> dict[str, int]:
    """Raw column name -> position of its cell in each record, for a normalised ``header`` and an adapter's
    HeaderMap mapping; when a file spells one column twice, the first spelling wins."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in mapping:
            positions.setdefault(mapping[name], i)
    return positions


def max_input_bytes() -> int:
    """The input size limit in bytes: ``OUTCOMES_MAX_INPUT_MB`` (megabytes of 1024 x 1024 bytes), default 512."""
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_INPUT_MB * MB
    try:
        megabytes = float(raw)
    except ValueError:
        raise ValueError(f"{MAX_INPUT_ENV}={raw!r} is not a number of megabytes (e.g. 512)") from None
    if megabytes <= 0:
        raise ValueError(f"{MAX_INPUT_ENV}={raw!r} must be a positive number of megabytes")
    return int(megabytes * MB)


def check_input(path: Path) -> None:
    """Refuse, before reading a byte of it, a symbolic link or a file over the input size limit."""
    if path.is_symlink():
        raise FileRejected(f"{path.name}: refused unread: this is a symbolic link (to {os.readlink(path)}), not a "
                           "file; the pipeline never reads through links. Copy the file itself into the landing "
                           "folder.")
    size, limit = path.stat().st_size, max_input_bytes()
    if size > limit:
        raise FileRejected(f"{path.name}: refused unread: the file is {size / MB:,.1f} MB, over the input size "
                           f"limit of {limit / MB:,.1f} MB ({MAX_INPUT_ENV}). Split it into smaller files, or raise "
                           "the limit if the machine has about ten times the file's size in free memory.")


def file_checksum(path: Path) -> str:
    """SHA-256 of the file's bytes; for a symbolic link, of where it points (a link is never read through)."""
    digest = hashlib.sha256()
    if path.is_symlink():
        digest.update(b"symbolic link to " + os.fsencode(os.readlink(path)))
        return digest.hexdigest()
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
    """A cell as text the parsers read: whole floats without ``.0``, dates as ISO, blanks as "".
    Text is tested first: it is most cells, and an XLSX of 100,000 rows has over a million of them."""
    if type(value) is str:
        return value.strip()
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


def xml_prolog_problem(head: bytes, complete: bool) -> str | None:
    """What is wrong before the root element of an XML part (``head``: its first bytes; ``complete``: the
    whole part), or None. A document type declaration is refused: it can declare entities that expand
    enormously, and workbooks saved by Excel never have one. A prolog too long to see the end of is
    refused too, so a declaration cannot hide behind padding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    i = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= len(text):
            return None if complete else "an XML prolog longer than any workbook has"
        for opening, closing in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opening, i):
                end = text.find(closing, i + len(opening))
                if end < 0:
                    return None if complete else "an XML prolog longer than any workbook has"
                i = end + len(closing)
                break
        else:
            if text.startswith("<!", i):
                return "a document type declaration (<!DOCTYPE>), which can define entities that expand enormously"
            return None  # the root element (or text calamine will refuse as malformed)


def check_xlsx_archive(path: Path) -> None:
    """Refuse, before reading, an XLSX that is not a complete, reasonably sized workbook archive, or whose XML
    declares a DTD. Reads only the zip directory and the first bytes of each XML part."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise FileRejected(f"{path.name}: refused: the workbook archive has {len(parts):,} parts (more than "
                                   f"{MAX_XLSX_PARTS:,}); this looks like a damaged or malicious file")
            names = {p.filename for p in parts}
            expanded = sum(p.file_size for p in parts)
            on_disk = max(path.stat().st_size, 1)
            limit = XLSX_EXPANSION_ALLOWANCE * max_input_bytes()
            if expanded > limit or expanded / on_disk > MAX_XLSX_COMPRESSION_RATIO:
                raise FileRejected(
                    f"{path.name}: refused: the workbook would expand to {expanded / MB:,.0f} MB "
                    f"({expanded / on_disk:,.0f} times its size on disk; the limits are {limit / MB:,.0f} MB and "
                    f"{MAX_XLSX_COMPRESSION_RATIO:,} times); this looks like a damaged or malicious file")
            if "xl/workbook.xml" not in names:
                raise FileRejected(f"{path.name}: not an Excel workbook (the archive has no xl/workbook.xml)")
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels")):
                    with archive.open(part) as fh:
                        head = fh.read(XML_PROLOG_BYTES)
                    problem = xml_prolog_problem(head, complete=len(head) < XML_PROLOG_BYTES
                                                 or part.file_size <= XML_PROLOG_BYTES)
                    if problem:
                        raise FileRejected(f"{path.name}: refused: the workbook part {part.filename} has {problem}; "
                                           "workbooks saved by Excel never do, so this looks like a malicious file")
    except zipfile.BadZipFile:
        raise FileRejected(f"{path.name}: not a readable XLSX workbook: the file is damaged, truncated or "
                           "not an Excel workbook (save it again from Excel as .xlsx)") from None
    except (OSError, EOFError, RuntimeError, zlib.error, NotImplementedError) as exc:
        raise FileRejected(f"{path.name}: cannot open the workbook ({type(exc).__name__}: {exc})") from None


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
    check_input(path)
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
