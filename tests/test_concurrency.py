"""Readers are never blocked and never see a half-written snapshot; a killed run loses nothing.

Analysts hold the published file open in other processes while a full pipeline run publishes; runs are
SIGKILLed at named points and rerun. Both use tests/harness, which the reliability proof (issue 10)
extends to many trials (tests/test_faults.py, tests/test_readers_under_load.py). ``clean_run`` is the
session's reference run (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.contents import differences, same_contents, view_contents
from tests.harness.files import landing_with, revised_extract, sha256
from tests.harness.pipeline import KILL_POINTS, PipelineProcess, materialize_run
from tests.harness.readers import ANSWER_FIELDS, ReaderProcess, snapshot_answer
from warehouse.connection import connect_read_only

REVISED_SOURCE = "SAMPLE_fingertips_90284.csv"


def _answer(published: Path) -> dict:
    with connect_read_only(published) as con:
        return snapshot_answer(con)


def _content(record: dict) -> dict:
    """A reader's answer without the publication time (a rerun republishes the same content)."""
    return {k: record[k] for k in ANSWER_FIELDS if k != "published_at"}


@pytest.mark.reliability("Readers under load")
def test_reader_keeps_its_snapshot_while_a_run_publishes(sample_dir, tmp_path, proof):
    """An analyst holding a connection keeps reading the snapshot it opened while a run publishes; one
    reconnecting sees the old snapshot, then the new one, never a mixture."""
    landing = tmp_path / "landing"
    landing_with(sample_dir, landing)
    published = tmp_path / "wh" / "outcomes.duckdb"
    assert materialize_run(landing, published).success
    before = _answer(published)

    holder = ReaderProcess(published, tmp_path / "holder", mode="hold").start()
    refresher = ReaderProcess(published, tmp_path / "refresher", mode="reconnect").start()
    holder.wait_until(3)
    refresher.wait_until(3)

    assert revised_extract(sample_dir / REVISED_SOURCE, landing / "fingertips_90284_revised.csv") > 0
    assert materialize_run(landing, published).success  # publishes while both readers are connected
    after = _answer(published)  # a new connection

    held_count = len(holder.records())
    holder.wait_until(held_count + 5)  # the holder keeps querying its old snapshot after the swap
    refresher.wait_until(len(refresher.records()) + 5)
    held, refreshed = holder.stop(), refresher.stop()

    assert after["published_at"] != before["published_at"]
    assert after["revisions"] > before["revisions"] and after["value_sum"] != before["value_sum"]
    assert after["observations"] == before["observations"]  # revised values replace, never duplicate
    assert [r for r in held + refreshed if not r["ok"]] == []
    assert all({k: r[k] for k in ANSWER_FIELDS} == before for r in held), "the holder's snapshot changed"
    seen = [{k: r[k] for k in ANSWER_FIELDS} for r in refreshed]
    assert all(s in (before, after) for s in seen), "a reader saw a mixture of two snapshots"
    assert seen[0] == before and seen[-1] == after
    proof.saw(f"holder: {len(held)} queries, all on the snapshot it opened; refresher: {len(refreshed)} queries, "
              f"old then new snapshot; 0 errors")


def _kill_points():
    default = {"load", "publish"}
    return [pytest.param(name, marks=() if name in default else pytest.mark.slow) for name in KILL_POINTS]


@pytest.mark.reliability("Faults: SIGKILL at named points, then a rerun")
@pytest.mark.parametrize("point", _kill_points())
def test_sigkill_then_rerun_ends_as_one_clean_run(point, sample_dir, tmp_path, clean_run, proof):
    """SIGKILL at a named point (KILL_POINTS); the published file stays whole and readable, and a rerun
    ends identical to one clean run."""
    landing = tmp_path / "landing"
    landing_with(sample_dir, landing, count=2)
    published = tmp_path / "wh" / "outcomes.duckdb"
    assert materialize_run(landing, published).success
    first = sha256(published)
    first_contents = view_contents(published)
    landing_with(sample_dir, landing)  # the rest of the files arrive
    reader = ReaderProcess(published, tmp_path / "reader", mode="reconnect").start()
    reader.wait_until(2)

    run = PipelineProcess(landing, published, tmp_path / "killed", KILL_POINTS[point]).start()
    run.wait_for_breakpoint()
    if point != "report":
        assert sha256(published) == first  # untouched while the run works
    if point == "publish":  # killed with the complete new copy on disk, one rename away from publication
        assert [p.name for p in published.parent.glob(".outcomes.duckdb.*")] == [f".outcomes.duckdb.{run.pid}.tmp"]
    assert run.kill() != 0

    # The published file is whole: the old snapshot, or (killed after publishing) the complete new one.
    contents = view_contents(published)
    assert same_contents(contents, first_contents) or same_contents(contents, clean_run), differences(
        contents, clean_run)
    if point == "load":
        with connect_read_only(published.parent / "outcomes.d" / "working.duckdb") as con:
            loads = con.execute("SELECT count(*) FROM loads").fetchall()[0][0]
        assert loads == 4  # 2 before + the 2 files committed before the kill; the third rolled back

    assert materialize_run(landing, published).success
    assert differences(view_contents(published), clean_run) == []
    assert list(published.parent.glob(".outcomes.duckdb.*")) == []  # no temporary copy left behind

    # An analyst reconnecting throughout saw no error and only whole snapshots: the first or the final.
    reader.wait_until(len(reader.records()) + 2)
    seen = reader.stop()
    whole = [_content(seen[0]), _content(_answer(published))]
    assert [r for r in seen if not r["ok"]] == []
    assert all(_content(r) in whole for r in seen)
    proof.saw(f"killed {KILL_POINTS[point].describe()}; published file whole; rerun equal to a clean run; "
              f"analyst reconnecting throughout: {len(seen)} queries, 0 errors, whole snapshots only")
