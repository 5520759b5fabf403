"""After a file is judged and loaded: move it out of the landing folder, never change or delete anything.

Why here (not in the Dagster wiring): the landing sensor's runs and ``outcomes run`` must file away
exactly the same way, and the rejection report is written from the :class:`FileResult` that
``sources.validate`` computed, so this module is the one place both paths call.

- A file whose every row was accepted or skipped moves to ``landing/processed/``.
- A file with any rejection (the whole file, or some rows) moves to ``landing/rejected/`` with a
  rejection report beside it (``NAME.rejection-report.txt``): what was loaded, what was not, every
  rejected row with its column, value and reason, and what to do. Its accepted rows are loaded.
- A file whose exact bytes were loaded before goes where that earlier file went.
- Moving is the only action: a name already taken in the target folder gets a suffix (``name~2.csv``),
  so nothing is ever overwritten; a file that changed since it was judged stays where it is (its new
  version is judged by the next run).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sources.files import file_checksum
from sources.validate import FileResult

PROCESSED_DIR = "processed"
REJECTED_DIR = "rejected"
REPORT_SUFFIX = ".rejection-report.txt"
MAX_SUFFIX = 10_000


class Destination(StrEnum):
    PROCESSED = "processed"
    REJECTED = "rejected"
    LEFT_IN_PLACE = "left in place"


@dataclass(frozen=True)
class Filed:
    """Where one landing file went, and where its rejection report is (if it has one)."""

    source: Path
    destination: Destination
    moved_to: Path | None
    report: Path | None
    note: str = ""


@dataclass(frozen=True)
class EarlierLoad:
    """The earlier load of the same bytes (from the warehouse), for filing a duplicate delivery."""

    load_id: int
    source_file: str
    rejected: bool
    message: str | None


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem~2.suffix``, ``~3`` ... : the first name not already taken."""
    candidate = folder / name
    if not os.path.lexists(candidate):  # lexists: a dangling link still takes the name
        return candidate
    base = Path(name)
    suffixes = "".join(base.suffixes[-1:])
    stem = name[: len(name) - len(suffixes)] if suffixes else name
    for n in range(2, MAX_SUFFIX):
        candidate = folder / f"{stem}~{n}{suffixes}"
        if not os.path.lexists(candidate):
            return candidate
    raise FileExistsError(f"{folder}: more than {MAX_SUFFIX} files named like {name}; tidy the folder")


def move_without_overwrite(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` under a free name. Runs are serialised (one run at a time, see
    dagster.yaml), so no other writer takes the free name between the check and the rename."""
    folder.mkdir(parents=True, exist_ok=True)
    target = free_path(folder, path.name)
    os.rename(path, target)
    return target


def _unchanged(path: Path, checksum: str) -> bool:
    """Still the bytes that were judged (a symbolic link: still pointing where it did; it is moved, not read)."""
    return (path.is_symlink() or path.is_file()) and file_checksum(path) == checksum


def file_judged(result: FileResult, landing: Path, judged_at: datetime | None = None) -> Filed:
    """File away a landing file that was just judged and loaded, from its FileResult."""
    path = result.path
    if not _unchanged(path, result.checksum):
        return Filed(path, Destination.LEFT_IN_PLACE, None, None,
                     "changed or removed since it was judged: the next run judges the new version")
    if result.status == "accepted":
        return Filed(path, Destination.PROCESSED, move_without_overwrite(path, landing / PROCESSED_DIR), None)
    moved = move_without_overwrite(path, landing / REJECTED_DIR)
    report = free_path(moved.parent, moved.name + REPORT_SUFFIX)
    report.write_text(rejection_report(result, moved.name, judged_at or datetime.now()), encoding="utf-8")
    return Filed(path, Destination.REJECTED, moved, report)


def file_duplicate(path: Path, landing: Path, checksum: str, earlier: EarlierLoad,
                   judged_at: datetime | None = None) -> Filed:
    """File away a delivery whose exact bytes were loaded before: it goes where the earlier one went."""
    if not _unchanged(path, checksum):
        return Filed(path, Destination.LEFT_IN_PLACE, None, None,
                     "changed or removed since it was checked: the next run judges the new version")
    note = f"same bytes as {earlier.source_file} (load {earlier.load_id}); nothing new was loaded"
    if not earlier.rejected:
        return Filed(path, Destination.PROCESSED, move_without_overwrite(path, landing / PROCESSED_DIR), None,
                     note)
    moved = move_without_overwrite(path, landing / REJECTED_DIR)
    report = free_path(moved.parent, moved.name + REPORT_SUFFIX)
    when = (judged_at or datetime.now()).strftime("%Y-%m-%d %H:%M")
    report.write_text(
        f"Rejection report for {moved.name} ({when})\n\n"
        f"This file has exactly the same bytes as {earlier.source_file}, which was rejected before "
        f"(load {earlier.load_id}):\n  {earlier.message or 'see that file rejection report'}\n\n"
        "Nothing was loaded from it. What to do: correct the file and drop the corrected version into the "
        "landing folder; the same bytes are never judged twice.\n",
        encoding="utf-8")
    return Filed(path, Destination.REJECTED, moved, report, note)


def rejection_report(result: FileResult, filed_name: str, judged_at: datetime) -> str:
    """The text a BI analyst reads beside a rejected file: counts, reasons, every rejected row, next step."""
    lines = [
        f"Rejection report for {filed_name} ({judged_at:%Y-%m-%d %H:%M})",
        f"Landing file: {result.path.name}   adapter: {result.adapter_id or 'none (format not recognised)'}",
        f"SHA-256: {result.checksum}",
        "",
        f"Rows read: {result.rows_read} = {result.rows_accepted} accepted (loaded) + {result.rows_rejected} "
        f"rejected (not loaded) + {result.rows_skipped} skipped (out of scope, no action needed)",
    ]
    if result.file_error is not None:
        lines += ["", "THE WHOLE FILE WAS REJECTED; nothing from it was loaded:", f"  {result.file_error}", "",
                  "What to do: correct the file (or export it again in the expected format) and drop it into "
                  "the landing folder again."]
        return "\n".join(lines) + "\n"
    lines += ["", "Rejected rows by reason:"]
    lines += [f"  {count:>6} x {reason}" for reason, count in
              sorted(result.rejection_reasons().items(), key=lambda item: (-item[1], item[0]))]
    if result.skipped:
        lines += ["", "Skipped as out of scope (not errors):"]
        lines += [f"  {count:>6} x {reason}" for reason, count in sorted(result.skipped.items())]
    lines += ["", "Every rejected cell (row numbers as in the file, header = row 1):",
              f"  {'row':>6}  {'column':<16} {'value':<24} reason"]
    for row in result.rejected.sort_values(["source_row", "column"]).itertuples():
        lines.append(f"  {row.source_row:>6}  {row.column:<16} {_shown(row.value):<24} {row.reason}")
    lines += ["", "What to do: correct these rows in the source file and drop the whole corrected file into "
                  "the landing folder again. Rows already accepted are not loaded twice (an unchanged value "
                  "adds nothing; a changed value becomes a new revision)."]
    return "\n".join(lines) + "\n"


def _shown(value: object) -> str:
    text = repr(str(value))
    return text if len(text) <= 24 else text[:21] + "...'"
