"""Writing files the adapters read (sample data, the blank returns template), reproducibly.

openpyxl stamps each part of an XLSX archive, and the workbook's "modified" property, with the current
time; re-writing the archive with a fixed date makes the same content give the same bytes, so generated
files can be compared and checked in.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

FIXED_TIME = datetime(2025, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def save_workbook(workbook: Workbook, path: Path) -> Path:
    """Save with fixed metadata and archive dates so the same content gives byte-identical files."""
    workbook.properties.creator = "outcomes"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to now on every save
                data = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            target.writestr(fixed, data)
    return path
