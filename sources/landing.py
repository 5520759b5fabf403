"""The landing folder: which files are waiting and which adapter reads each one.

Only files directly in the folder are considered (``processed/`` and ``rejected/`` hold finished files);
hidden files and the README the sample generator writes are not inputs, nor are folders, pipes or devices
(reading a pipe would wait for ever). A symbolic link is listed, so that it is refused with a message
(sources.files.check_input) and filed to ``rejected/`` rather than silently ignored; it is never read through.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from sources.files import XLSX_SUFFIXES, FileRejected, check_input, file_checksum
from sources.registry import INPUT_SUFFIXES, detect_adapter

UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class LandingFile:
    path: Path
    adapter_id: str  # an adapter id, or UNRECOGNISED
    problem: str | None = None


def landing_files(landing: Path) -> list[Path]:
    if not landing.is_dir():
        return []
    return sorted(p for p in landing.iterdir()
                  if (p.is_symlink() or p.is_file()) and not p.name.startswith(".")
                  and p.suffix.lower() in INPUT_SUFFIXES)


# Workbooks recognised in this process: file -> (the checksum of the bytes probed, the adapter). Every source asset
# of a run classifies the whole folder (eleven a run), and a workbook's probe loads its whole sheet (calamine reads
# no less: 0.5 s for the national benchmark's returns XLSX of 96,700 rows, against 3 ms to hash its 5 MB). A
# workbook is probed again when its bytes differ; a CSV's probe reads only its header, so it is never kept, nor is a
# file no adapter recognised (its reason may be passing, e.g. a read error). Only files still waiting are kept.
_recognised: dict[Path, tuple[str, str]] = {}
_recognised_lock = threading.Lock()


def _workbook_checksum(path: Path) -> str | None:
    """The checksum that keys a workbook's classification, or None for a file that is not kept: not a workbook, a
    link or a file over the input size limit (both refused unread by the probe), or unreadable (the probe says why)."""
    if path.suffix.lower() not in XLSX_SUFFIXES:
        return None
    try:
        check_input(path)
        return file_checksum(path)
    except (FileRejected, OSError):
        return None


def _classify_one(path: Path) -> LandingFile:
    checksum = _workbook_checksum(path)
    with _recognised_lock:
        known = _recognised.get(path)
    if checksum is not None and known is not None and known[0] == checksum:
        return LandingFile(path, known[1])
    try:
        adapter_id = detect_adapter(path).id
    except FileRejected as exc:
        return LandingFile(path, UNRECOGNISED, str(exc))
    if checksum is not None and _workbook_checksum(path) == checksum:  # not changed while it was probed
        with _recognised_lock:
            _recognised[path] = (checksum, adapter_id)
    return LandingFile(path, adapter_id)


def classify(landing: Path) -> list[LandingFile]:
    """Every waiting file with the adapter that reads it (by content), or why none does; a workbook whose bytes
    were recognised before in this process is not probed again."""
    waiting = landing_files(landing)
    found = [_classify_one(path) for path in waiting]
    still = set(waiting)
    with _recognised_lock:
        for gone in [p for p in _recognised if p.parent == landing and p not in still]:
            del _recognised[gone]
    return found
