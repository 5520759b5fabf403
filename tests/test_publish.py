"""Publishing and signing off: quarters frozen for their reports, leftovers of a killed publish cleared,
and a lock that names its holder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from indicators.periods import parse_fiscal_quarter
from reports.config import ALL_OUTCOMES, load_config
from reports.data import read_report_data
from tests.harness.files import revised_extract, sha256
from tests.harness.pipeline import load_and_publish
from tests.harness.processes import child_env
from warehouse.connection import WarehouseLocked, connect_read_only, connect_working
from warehouse.paths import WarehousePaths
from warehouse.publish import publish
from warehouse.quarters import (
    QuarterAlreadySignedOff,
    publish_quarter,
    signed_off_quarters,
    snapshot_for_quarter,
)

Q1, Q2 = parse_fiscal_quarter("2024/25 Q1"), parse_fiscal_quarter("2024/25 Q2")
REVISED = "SAMPLE_fingertips_90284.csv"  # hospital admissions for injuries in children (Fingertips 90284)


@pytest.fixture
def published(sample_dir, tmp_path, context, areas, groups, settings):
    paths = WarehousePaths(tmp_path / "wh" / "outcomes.duckdb")
    files = sorted(sample_dir.glob("*.csv"))

    def load(extra: list[Path], now: datetime) -> None:
        load_and_publish(paths, [*files, *extra], context, areas, groups, settings, now)

    load([], datetime(2024, 7, 5, 9))
    return paths, load


def _board_value(path: Path) -> float:
    """The Outcome Board's latest value of the indicator whose source of record is Fingertips 90284."""
    with connect_read_only(path) as con:
        rows = con.execute("SELECT b.latest_value FROM outcome_board b JOIN indicators i USING (indicator_id) "
                           "WHERE i.source_selector LIKE '%code=90284%'").fetchall()
    return rows[0][0]


def test_a_signed_off_quarter_is_frozen_and_its_reports_read_it(published, sample_dir, tmp_path):
    paths, load = published
    assert snapshot_for_quarter(paths, Q1) is None
    frozen = publish_quarter(paths, Q1, by="scrutiny officer", now=datetime(2024, 7, 20, 12))
    assert frozen == paths.quarter_snapshot("2024/25 Q1") and frozen.name == "2024-25_Q1.duckdb"
    assert not os.stat(frozen).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    signed = sha256(frozen)

    assert revised_extract(sample_dir / REVISED, tmp_path / "admissions_revised.csv", every=1) > 0
    load([tmp_path / "admissions_revised.csv"], datetime(2024, 9, 1, 9))  # a later run revises the figures
    assert sha256(frozen) == signed
    assert _board_value(paths.published) != _board_value(frozen)

    assert snapshot_for_quarter(paths, Q1) == frozen and snapshot_for_quarter(paths, Q2) is None
    report = read_report_data(paths.published, Q1, kind="quarterly", snapshot_quarter=Q1, selection=ALL_OUTCOMES,
                              config=load_config())
    assert report.source.path == frozen and report.source.signed_off
    with connect_read_only(frozen) as con:
        (admissions,) = con.execute("SELECT indicator_id FROM indicators WHERE source_selector LIKE '%code=90284%'"
                                    ).fetchall()[0]
    row = report.board[report.board.indicator_id == admissions].iloc[0]
    assert row.latest_value == _board_value(frozen)
    with connect_read_only(frozen) as con:
        assert con.execute("SELECT signed_off_quarter, signed_off_at, signed_off_by FROM snapshot_info").fetchall() == [
            ("2024/25 Q1", datetime(2024, 7, 20, 12), "scrutiny officer")]


def test_signing_off_again_needs_replace_and_keeps_the_previous_snapshot(published, sample_dir, tmp_path):
    paths, load = published
    first = publish_quarter(paths, Q1, by="officer", now=datetime(2024, 7, 20, 12))
    first_sha = sha256(first)
    revised_extract(sample_dir / REVISED, tmp_path / "admissions_revised.csv", every=1)
    load([tmp_path / "admissions_revised.csv"], datetime(2024, 9, 1, 9))
    with pytest.raises(QuarterAlreadySignedOff, match="signed off on 2024-07-20 12:00 by officer"):
        publish_quarter(paths, Q1)
    assert sha256(first) == first_sha
    again = publish_quarter(paths, Q1, replace=True, by="officer", now=datetime(2024, 9, 2, 10))
    assert _board_value(again) == _board_value(paths.published)
    (kept,) = paths.quarters.glob("2024-25_Q1.replaced-*.duckdb")
    assert kept.name == "2024-25_Q1.replaced-20240902T100000.duckdb" and sha256(kept) == first_sha
    assert [(q.quarter, q.signed_off_at) for q in signed_off_quarters(paths)] == [
        ("2024/25 Q1", datetime(2024, 9, 2, 10))]


def test_publish_clears_what_a_killed_publish_left(published, sample_dir):
    paths, _ = published
    leftovers = [paths.published.with_name(f".outcomes.duckdb.{pid}.tmp{suffix}")
                 for pid, suffix in ((4242, ""), (4242, ".wal"), (77, ""))]
    for path in leftovers:
        path.write_bytes(b"half a database")
    publish(paths)
    assert not any(p.exists() for p in leftovers)
    with connect_read_only(paths.published) as con:
        assert con.execute("SELECT count(*) FROM loads").fetchall() == [(len(list(sample_dir.glob("*.csv"))),)]


HOLD = """
import sys, time
from pathlib import Path
from warehouse.connection import connect_working
with connect_working(Path(sys.argv[1])):
    Path(sys.argv[2]).touch()
    time.sleep(120)
"""


def test_a_lock_names_the_process_holding_it(tmp_path):
    working, ready = tmp_path / "working.duckdb", tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(working), str(ready)], env=child_env())
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline, "the holder did not start"
            time.sleep(0.05)
        with pytest.raises(WarehouseLocked) as writer, connect_working(working):
            pass
        message = str(writer.value)
        assert f"{working} is locked by PID {holder.pid}" in message
        assert "from warehouse.connection import connect_working" in message  # the holder's command line
        assert "Only one pipeline run" in message
        with pytest.raises(WarehouseLocked, match="read_only=True"), connect_read_only(working):
            pass
    finally:
        holder.kill()
        holder.wait()
