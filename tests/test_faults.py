"""Fault injection: ``outcomes run`` is SIGKILLed at random points, then run again.

Every trial starts from the same state (two files loaded and published, the other SAMPLE DATA files just
arrived), kills a child ``outcomes run`` at a random point of one stage (reading, loading and filing,
computing, publishing, reporting: tests/harness/pipeline.py STAGE_POINTS) or at a random moment, and then:

- the published file is whole: exactly the snapshot before the run, or (killed after the rename) exactly
  the snapshot of a clean run; no report file is half-written;
- a rerun ends with a warehouse identical to one clean run over the same files (every analyst view,
  ignoring load ids and timestamps), nothing left in the landing folder, no temporary copy beside the
  published file;
- an analyst reconnecting throughout (another process) never got an error and only ever saw one of the
  two whole snapshots.

The trials are drawn from a seed (``OUTCOMES_FAULT_SEED``, default below) so a failure can be replayed. The
default suite runs two of them; ``make test-all`` runs all 24. Named kill points (one per stage) are in
tests/test_concurrency.py.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sources.landing import landing_files
from tests.harness.contents import differences, same_contents, view_contents
from tests.harness.files import landing_with
from tests.harness.pipeline import Breakpoint, PipelineProcess, materialize_run, random_breakpoint
from tests.harness.readers import ANSWER_FIELDS, ReaderProcess, snapshot_answer
from warehouse.connection import connect_read_only

pytestmark = pytest.mark.reliability("Faults: SIGKILL at random points, then a rerun")

SEED = int(os.environ.get("OUTCOMES_FAULT_SEED", "20241"))
STAGES = ("read", "load", "compute", "publish", "report")
MOMENT = (3.0, 18.0)  # seconds after the child starts (it imports for ~4 s, a run takes ~12 s on these machines)
PRELOADED = 2  # files loaded and published before the trial's run


@dataclass(frozen=True)
class Trial:
    number: int
    stage: str  # a stage, or "moment" (killed at a random time, wherever the run is)

    @property
    def id(self) -> str:
        return f"{self.number:02d}-{self.stage}"


TRIALS = [Trial(n, STAGES[n % len(STAGES)]) for n in range(20)] + [Trial(n, "moment") for n in range(20, 24)]
QUICK = {2, 20}  # compute and a moment (load and publish: tests/test_concurrency.py; report: below)


@dataclass(frozen=True)
class Baseline:
    root: Path
    contents: dict[str, list[tuple]]
    answer: dict
    fresh_files: int  # files the trial's run will judge (the rest are duplicates of the preloaded ones)


def _content(answer: dict) -> dict:
    """A reader's answer without the publication time (a rerun republishes the same content)."""
    return {k: answer[k] for k in ANSWER_FIELDS if k != "published_at"}


def _answer(published: Path) -> dict:
    with connect_read_only(published) as con:
        return snapshot_answer(con)


@pytest.fixture(scope="module")
def baseline(sample_dir, tmp_path_factory) -> Baseline:
    root = tmp_path_factory.mktemp("fault-baseline")
    landing, published = root / "landing", root / "wh" / "outcomes.duckdb"
    landing_with(sample_dir, landing, count=PRELOADED)
    assert materialize_run(landing, published).success
    total = len(landing_with(sample_dir, landing))  # every file arrives (the preloaded two again: duplicates)
    return Baseline(root, view_contents(published), _answer(published), total - PRELOADED)


def _reports_whole(reports: Path) -> list[str]:
    """Report files a scrutiny officer could open now, each checked complete; raises on a half-written one."""
    names = []
    for workbook in sorted(reports.glob("*.xlsx")):
        load_workbook(workbook, read_only=True).close()
        names.append(workbook.name)
    for page in sorted(reports.glob("*.html")):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"{page} is half-written"
        names.append(page.name)
    return names


@pytest.mark.parametrize("trial", [pytest.param(t, id=t.id, marks=() if t.number in QUICK else pytest.mark.slow)
                                   for t in TRIALS])
def test_killed_run_then_rerun_equals_one_clean_run(trial, baseline, clean_run, tmp_path, proof):
    """SIGKILL a run at a random point of a stage (or a random moment); the published file stays whole and
    readable throughout; a rerun ends identical to one clean run."""
    root = tmp_path / "trial"
    shutil.copytree(baseline.root, root)
    landing, published = root / "landing", root / "wh" / "outcomes.duckdb"
    reader = ReaderProcess(published, tmp_path / "reader", mode="reconnect").start()
    reader.wait_until(2)

    rng = random.Random(f"{SEED}:{trial.number}")
    if trial.stage == "moment":
        seconds = rng.uniform(*MOMENT)
        run = PipelineProcess(landing, published, tmp_path / "killed", trace=True).start()
        code = run.kill_after(seconds)
        where = f"{seconds:.1f} s after start"
    else:
        point = random_breakpoint(rng, trial.stage, baseline.fresh_files)
        run = PipelineProcess(landing, published, tmp_path / "killed", point, trace=True).start()
        run.wait_for_breakpoint()
        code = run.kill()
        where = point.describe()
    # where the run was: for a breakpoint, the stage of the parked thread (the take-in's other threads go on)
    stages = run.stages() if trial.stage == "moment" else run.stages(thread=run.parked_thread())
    killed_in = stages[-1] if stages else "start-up (before any stage)"
    if trial.stage != "moment":
        assert killed_in == trial.stage, f"{where}: the parked thread's trace ends with {stages[-5:]}"

    after_kill = view_contents(published)
    if same_contents(after_kill, baseline.contents):
        state = "the snapshot before the run"
    else:
        assert differences(after_kill, clean_run) == [], "the published file is neither snapshot"
        state = "the new snapshot (killed after publishing)"
    reports = _reports_whole(published.parent / "reports")

    assert materialize_run(landing, published).success
    assert differences(view_contents(published), clean_run) == []
    assert landing_files(landing) == [], "a landing file was not filed by the rerun"
    assert list(published.parent.glob(".outcomes.duckdb.*")) == []
    reports = _reports_whole(published.parent / "reports")

    reader.wait_until(len(reader.records()) + 2)
    seen = reader.stop()
    errors = [r for r in seen if not r["ok"]]
    whole = [_content(baseline.answer), _content(_answer(published))]
    assert errors == []
    assert all(_content(r) in whole for r in seen), "an analyst saw a mixture of snapshots"
    snapshots = sorted({r["published_at"] for r in seen})
    proof.saw(f"seed {SEED}; killed {where} (exit {code}), in stage '{killed_in}'")
    proof.saw(f"published file afterwards: {state}; reports whole: {len(reports)}")
    proof.saw("rerun: every analyst view equal to a clean run's; landing emptied; no temporary copy left")
    proof.saw(f"analyst reconnecting throughout: {len(seen)} queries, {len(errors)} errors, "
              f"{len(snapshots)} whole snapshot(s) seen, no mixture")


@pytest.mark.reliability("Faults: SIGKILL at named points, then a rerun")
def test_a_report_killed_while_being_written_is_never_seen_half_written(baseline, tmp_path, proof):
    """SIGKILL `outcomes report` while the workbook archive is being written: the report a scrutiny officer
    opens is the previous complete one, never a truncated file."""
    root = tmp_path / "trial"
    shutil.copytree(baseline.root, root)
    published, reports = root / "wh" / "outcomes.duckdb", root / "wh" / "reports"
    before = {p.name: p.read_bytes() for p in reports.iterdir()}
    point = Breakpoint("openpyxl.writer.excel:ZipFile", when="after")  # the archive is open for writing
    run = PipelineProcess(root / "landing", published, tmp_path / "killed", point,
                          command=["report", "--quarter", "2024/25 Q1", "--warehouse", str(published),
                                   "--reports", str(reports)]).start()
    run.wait_for_breakpoint()
    assert run.kill() != 0
    assert sorted(_reports_whole(reports)) == sorted(before)
    assert {p.name: p.read_bytes() for p in reports.iterdir() if not p.name.startswith(".")} == before
    leftovers = sorted(p.name for p in reports.iterdir() if p.name.startswith("."))
    proof.saw(f"killed {point.describe()}: {len(before)} report files unchanged and complete; "
              f"temporary file(s) left hidden: {leftovers}")
