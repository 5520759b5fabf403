"""The landing folder: which files are waiting and which adapter reads each one.

Only files directly in the folder are considered (``processed/`` and ``rejected/`` hold finished files);
hidden files and the README the sample generator writes are not inputs, nor are folders, pipes or devices
(reading a pipe would wait for ever). A symbolic link is listed, so that it is refused with a message
(sources.files.check_input) and filed to ``rejected/`` rather than silently ignored; it is never read through.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from sources.files import FileRejected
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


# landing folder -> {file: (its stat signature, what classify found)}. Every source asset of a run classifies the
# whole folder (eleven a run), and a workbook's probe loads its whole sheet (calamine reads no less): at national
# scale a returns XLSX of 100,000 rows cost 0.5 s a probe, 4.5 s a run. A file is probed again when its signature
# changes: size, modification and change times (the change time moves on every write and cannot be set back)
# and inode (a file replaced by another). Only the folder's current files are kept.
_classified: dict[Path, dict[Path, tuple[tuple[int, ...], LandingFile]]] = {}
_classified_lock = threading.Lock()


def _signature(path: Path) -> tuple[int, ...]:
    st = os.lstat(path)  # a link is classified as a link (refused), never through it
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _classify_one(path: Path) -> LandingFile:
    try:
        return LandingFile(path, detect_adapter(path).id)
    except FileRejected as exc:
        return LandingFile(path, UNRECOGNISED, str(exc))


def classify(landing: Path) -> list[LandingFile]:
    """Every waiting file with the adapter that reads it (by content), or why none does; a file unchanged since
    the last call is not probed again."""
    with _classified_lock:
        known = _classified.get(landing.resolve(), {})
    current: dict[Path, tuple[tuple[int, ...], LandingFile]] = {}
    for path in landing_files(landing):
        try:
            signature = _signature(path)
        except OSError:  # gone since the listing: classify says why, as for any unreadable file
            current[path] = ((), _classify_one(path))
            continue
        seen = known.get(path)
        current[path] = seen if seen is not None and seen[0] == signature else (signature, _classify_one(path))
    with _classified_lock:
        _classified[landing.resolve()] = {p: v for p, v in current.items() if v[0]}
    return [found for _, found in current.values()]
