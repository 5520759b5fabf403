"""Reading the first bytes, header row and sheet names of a file, safely, for sniffing and reading.

Why here: every adapter needs the same careful first look (encoding, BOM, sheet names of an XLSX read
without evaluating anything). A problem at this level rejects the whole file with one clear message.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import python_calamine

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})


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
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected(f"{path.name}: the file is neither UTF-8 nor Windows-1252 text")


def read_csv_text(path: Path) -> str:
    return decode_text(path.read_bytes(), path)


def csv_header(path: Path) -> list[str]:
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    text = decode_text(head, path) if head else ""
    reader = csv.reader(io.StringIO(text))
    try:
        return next(reader)
    except StopIteration:
        return []
    except csv.Error:
        return []


@dataclass(frozen=True)
class Probe:
    """What sniffing sees of a file: its kind, header cells (normalised) and sheet names."""

    path: Path
    kind: str  # "csv" | "xlsx" | "json" | "other"
    header: tuple[str, ...]
    sheets: dict[str, tuple[str, ...]]  # sheet name -> normalised first non-empty row


def xlsx_rows(path: Path, sheet: str) -> list[list[object]]:
    """All cell values of one sheet, read by calamine (values only: no formulas are evaluated)."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for zip and XML faults
        raise FileRejected(f"{path.name}: cannot read sheet {sheet!r} of the workbook ({exc})") from None


def first_nonempty_row(rows: list[list[object]]) -> tuple[int, list[object]]:
    for index, row in enumerate(rows):
        if any(str(c).strip() for c in row if c is not None):
            return index, row
    return -1, []


def probe(path: Path) -> Probe:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            sheets = {}
            for name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(name).to_python(nrows=20)
                _, row = first_nonempty_row(rows)
                sheets[name] = tuple(normalise_header(c) for c in row)
        except Exception as exc:
            raise FileRejected(f"{path.name}: not a readable XLSX workbook ({exc})") from None
        return Probe(path, "xlsx", (), sheets)
    if suffix in CSV_SUFFIXES:
        return Probe(path, "csv", tuple(normalise_header(c) for c in csv_header(path)), {})
    if suffix == ".json":
        return Probe(path, "json", (), {})
    return Probe(path, "other", (), {})
