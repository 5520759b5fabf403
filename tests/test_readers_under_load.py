"""Readers under load: eight analysts query the published warehouse in a loop, from their own processes, while
five consecutive pipeline runs each publish a new snapshot.

Four analysts hold one read-only connection for the whole time (an open notebook or DBeaver session); four
open a new connection for every query (a dashboard refreshing). Every answer is one query (one transaction)
over several views, so a mixture of two snapshots would show as an answer that matches no published
snapshot. Each run brings a new revision of one Fingertips extract, so every snapshot differs from the one
before. Readers stop at their stop file, or at their bounds on queries and seconds (tests/harness/readers.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.files import landing_with, revised_extract
from tests.harness.pipeline import PipelineProcess, materialize_run
from tests.harness.readers import ANSWER_FIELDS, ReaderProcess, snapshot_answer
from warehouse.connection import connect_read_only

pytestmark = pytest.mark.reliability("Readers under load")

READERS = 8
RUNS = 5
REVISED_SOURCE = "SAMPLE_fingertips_90284.csv"
QUICK_FILES = ("SAMPLE_fingertips_90284.csv", "SAMPLE_fingertips_90631.csv", "SAMPLE_returns_quarterly.csv")


def _answer(published: Path) -> dict:
    with connect_read_only(published) as con:
        return {k: v for k, v in snapshot_answer(con).items() if k in ANSWER_FIELDS}


@pytest.mark.parametrize("scale", [pytest.param("quick"), pytest.param("full", marks=pytest.mark.slow)])
def test_eight_analysts_read_while_five_runs_publish(scale, sample_dir, tmp_path, proof):
    """8 read-only analyst processes (4 holding a connection, 4 reconnecting per query) query in a loop while
    5 consecutive runs publish: no reader error, no failed run, every answer one whole snapshot."""
    landing, published = tmp_path / "landing", tmp_path / "wh" / "outcomes.duckdb"
    if scale == "quick":  # three files, runs in this process
        landing.mkdir()
        for name in QUICK_FILES:
            (landing / name).write_bytes((sample_dir / name).read_bytes())
    else:  # every SAMPLE DATA file, each run an `outcomes run` child process
        landing_with(sample_dir, landing)
    assert materialize_run(landing, published).success
    snapshots = [_answer(published)]

    readers = [ReaderProcess(published, tmp_path / f"reader{n}", mode="hold" if n % 2 else "reconnect",
                             interval=0.25 if scale == "quick" else 0.1, max_seconds=900).start()
               for n in range(READERS)]
    for reader in readers:
        reader.wait_until(2)
    codes = []
    for k in range(1, RUNS + 1):
        revised_extract(sample_dir / REVISED_SOURCE, landing / f"fingertips_90284_revision_{k}.csv",
                        every=2, factor=1 + k / 50)
        if scale == "quick":  # 0 as `outcomes run` would exit: success, nothing rejected
            result = materialize_run(landing, published)
            rejected = sum(int(m.materialization.metadata["rows_rejected"].value)
                           for m in result.get_asset_materialization_events()
                           if "rows_rejected" in m.materialization.metadata)
            codes.append(1 if not result.success else 2 if rejected else 0)
        else:
            codes.append(PipelineProcess(landing, published, tmp_path / f"run{k}").start().wait(timeout=600))
        snapshots.append(_answer(published))
        for reader in readers:  # every reader answers at least once between two publications
            reader.wait_until(len(reader.records()) + 1)
    records = {reader.workdir.name: reader.stop() for reader in readers}

    assert codes == [0] * RUNS
    assert len({s["published_at"] for s in snapshots}) == RUNS + 1
    assert len({s["value_sum"] for s in snapshots}) == RUNS + 1, "each run must publish different figures"
    errors = [r for rs in records.values() for r in rs if not r["ok"]]
    assert errors == []
    mixtures = [r for rs in records.values() for r in rs if {k: r[k] for k in ANSWER_FIELDS} not in snapshots]
    assert mixtures == [], "an answer matched no published snapshot"
    seen = {}
    for name, rs in records.items():
        order = [snapshots.index({k: r[k] for k in ANSWER_FIELDS}) for r in rs]
        assert order == sorted(order), f"{name} went back to an older snapshot"
        if int(name.removeprefix("reader")) % 2:  # holding one connection: the snapshot it opened, throughout
            assert set(order) == {0}
        seen[name] = len(set(order))
    queries = sum(len(rs) for rs in records.values())
    proof.saw(f"{scale}: {RUNS} runs (exit codes {codes}) published {RUNS} new snapshots while {READERS} analysts "
              f"made {queries:,} queries: 0 errors, 0 answers that mix snapshots")
    proof.saw("holding readers kept the snapshot they opened; reconnecting readers saw "
              f"{sorted(v for k, v in seen.items() if int(k.removeprefix('reader')) % 2 == 0)} snapshots each, "
              "always in publication order")
