"""Signing a quarter off: a frozen snapshot that every later report for that quarter reads.

``publish_quarter`` copies the published file (never written in place, so a plain copy of it is a
consistent database), records in the copy which quarter it signs off, when and by whom (its
``snapshot_info`` view), makes it read-only on disk and renames it into ``PATH.d/quarters/``. Later runs
never touch it. Signing the same quarter off again needs ``replace=True`` and keeps the previous snapshot
beside it under a ``.replaced-<time>`` name: nothing signed off is ever lost.

Reports read the signed-off snapshot if there is one (``snapshot_for_quarter``), else the published file.
"""

from __future__ import annotations

import getpass
import os
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from indicators.periods import Period
from warehouse.connection import WarehouseMissing, connect_read_only, connect_working
from warehouse.paths import WarehousePaths
from warehouse.publish import replace_atomically, temporary_name
from warehouse.sqlfiles import fetch_one, transaction

SIGN_OFF = """UPDATE core.publication
SET signed_off_quarter = $quarter, signed_off_at = $signed_off_at, signed_off_by = $signed_off_by"""
SNAPSHOT_INFO = "SELECT published_at, signed_off_quarter, signed_off_at, signed_off_by FROM snapshot_info"
READ_ONLY_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


class QuarterAlreadySignedOff(FileExistsError):
    """The quarter has a frozen snapshot; the message says when it was signed off and how to replace it."""


@dataclass(frozen=True)
class SignedOffQuarter:
    quarter: str
    path: Path
    published_at: datetime | None
    signed_off_at: datetime | None
    signed_off_by: str | None


def snapshot_for_quarter(paths: WarehousePaths, quarter: Period) -> Path | None:
    """The frozen snapshot of a signed-off quarter, or None when the quarter has not been signed off."""
    path = paths.quarter_snapshot(quarter.label)
    return path if path.is_file() else None


def read_sign_off(path: Path) -> SignedOffQuarter:
    with connect_read_only(path) as con:
        published_at, quarter, signed_off_at, signed_off_by = fetch_one(con, SNAPSHOT_INFO)
    return SignedOffQuarter(quarter, path, published_at, signed_off_at, signed_off_by)


def signed_off_quarters(paths: WarehousePaths) -> list[SignedOffQuarter]:
    """Every signed-off quarter's current snapshot, oldest quarter first."""
    if not paths.quarters.is_dir():
        return []
    return [read_sign_off(p) for p in sorted(paths.quarters.glob("*.duckdb")) if ".replaced-" not in p.name]


def publish_quarter(paths: WarehousePaths, quarter: Period, replace: bool = False, by: str | None = None,
                    now: datetime | None = None) -> Path:
    """Freeze the currently published snapshot as the signed-off snapshot of ``quarter``."""
    if not paths.published.is_file():
        raise WarehouseMissing(f"no published warehouse at {paths.published}; run `outcomes run` first")
    now = now or datetime.now()
    paths.ensure()
    target = paths.quarter_snapshot(quarter.label)
    if target.exists() and not replace:
        previous = read_sign_off(target)
        raise QuarterAlreadySignedOff(
            f"{quarter.label} was signed off on {previous.signed_off_at:%Y-%m-%d %H:%M} by "
            f"{previous.signed_off_by} ({target}); reports for it read that snapshot. To sign it off again "
            "use --replace: the previous snapshot is kept beside it.")
    temporary = temporary_name(target)
    try:
        shutil.copyfile(paths.published, temporary)
        with connect_working(temporary) as con, transaction(con):
            con.execute(SIGN_OFF, {"quarter": quarter.label, "signed_off_at": now,
                                   "signed_off_by": by or getpass.getuser()})
        os.chmod(temporary, READ_ONLY_FILE)
        if target.exists():
            os.link(target, target.with_name(f"{target.stem}.replaced-{now:%Y%m%dT%H%M%S}{target.suffix}"))
        replace_atomically(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
