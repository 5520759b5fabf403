"""Runs of the whole pipeline for reliability tests: in this process (Dagster ``materialize``) or as an
``outcomes run`` child process that a test can SIGKILL at a chosen point.

A ``Breakpoint`` names a function on the run's path (``module:attribute``, patched where the caller looks
it up) and which call to stop at. The child (tests/harness/run_pipeline.py) wraps that function; on the
chosen call it writes a marker file and sleeps, so the parent kills it exactly there: inside the load
transaction, between writing the publish copy and renaming it, and so on. No production code knows
about this. ``KILL_POINTS`` are the named points the tests (and issue 10's many trials) use.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import dagster as dg

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.settings import Settings
from sources.validate import ValidationContext
from tests.harness.processes import child_env
from warehouse.connection import connect_working
from warehouse.ingest import Ingested, ingest
from warehouse.paths import WarehousePaths
from warehouse.publish import publish
from warehouse.rebuild import rebuild_methods
from warehouse.reference import write_reference


@dataclass(frozen=True)
class Breakpoint:
    target: str  # "package.module:function", the name as the caller looks it up
    nth: int = 1  # stop at the nth call that matches
    match: str | None = None  # only calls with this string among their positional arguments match
    when: str = "after"  # "before" or "after" the call itself runs


KILL_POINTS: dict[str, Breakpoint] = {
    # reading and judging the second file, before anything of it is written
    "validate": Breakpoint("warehouse.ingest:validate_file", nth=2, when="before"),
    # inside the load transaction of the third file this run loads: its revisions are inserted, not committed
    "load": Breakpoint("warehouse.load:run_named", nth=3, match="insert_changed", when="after"),
    # the second method table has been rebuilt, the others not
    "compute": Breakpoint("warehouse.compute:run", nth=2, when="after"),
    # the publish copy is complete on disk under its temporary name, not yet renamed
    "publish": Breakpoint("warehouse.publish:replace_atomically", when="before"),
    # published; the report's workbook is written, its HTML page not
    "report": Breakpoint("reports.build:write_html", when="before"),
}


def load_and_publish(paths: WarehousePaths, files: list[Path], context: ValidationContext, areas: AreaRegister,
                     groups: ComparatorGroups, settings: Settings, now: datetime | None = None) -> list[Ingested]:
    """The pipeline's warehouse steps without Dagster (reference tables, ingest, methods, publish), at a
    chosen time: for tests about the warehouse rather than the orchestration."""
    paths.ensure()
    with connect_working(paths.working) as con:
        write_reference(con, context.catalogue, areas, groups, settings)
        done = ingest(con, files, context, now=now)
        rebuild_methods(con)
    publish(paths, now=now)
    return done


def materialize_run(landing: Path, published: Path, reports: Path | None = None,
                    partition_key: str = "2024-04-01") -> dg.ExecuteInProcessResult:
    """The whole asset graph in this process (ephemeral Dagster instance)."""
    from pipelines.assets import ALL_ASSETS
    from pipelines.resources import pipeline_resources

    resources = pipeline_resources(landing, published, reports=reports or published.parent / "reports")
    return dg.materialize(ALL_ASSETS, resources=resources, partition_key=partition_key)


class PipelineProcess:
    """``outcomes run`` in a child process, optionally stopping at ``breakpoint``."""

    def __init__(self, landing: Path, published: Path, workdir: Path, breakpoint: Breakpoint | None = None,
                 quarter: str = "2024/25 Q1") -> None:
        self.landing, self.published, self.workdir = landing, published, workdir
        self.breakpoint, self.quarter = breakpoint, quarter
        self.marker = workdir / "breakpoint-reached"
        self.stdout_path, self.stderr_path = workdir / "run.out", workdir / "run.err"
        self.process: subprocess.Popen | None = None

    def start(self) -> PipelineProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.marker.unlink(missing_ok=True)
        command = [sys.executable, "-m", "tests.harness.run_pipeline", "--marker", str(self.marker)]
        if self.breakpoint:
            command += ["--breakpoint", json.dumps(asdict(self.breakpoint))]
        command += ["--", "run", "--landing", str(self.landing), "--warehouse", str(self.published),
                    "--quarter", self.quarter, "--log-level", "WARNING"]
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            # cwd without a dagster.yaml: the run uses a temporary Dagster instance
            self.process = subprocess.Popen(command, cwd=self.workdir, env=child_env(), stdout=out, stderr=err)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def output(self) -> str:
        return (self.stdout_path.read_text(errors="replace") + self.stderr_path.read_text(errors="replace"))

    def wait_for_breakpoint(self, timeout: float = 120.0) -> None:
        """Block until the child is parked at its breakpoint; fail with its output if it never gets there."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while not self.marker.exists():
            if self.process.poll() is not None:
                raise AssertionError(f"run exited ({self.process.returncode}) before its breakpoint "
                                     f"{self.breakpoint}:\n{self.output()[-3000:]}")
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"breakpoint {self.breakpoint} not reached in {timeout} s")
            time.sleep(0.02)

    def kill(self) -> int:
        """SIGKILL: no finally blocks, no atexit, no flush; what a power cut or the OOM killer does."""
        assert self.process is not None
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=30)

    def kill_after(self, seconds: float) -> int:
        """Kill at a moment rather than a named point (issue 10's random trials)."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return self.kill()

    def wait(self, timeout: float = 300.0) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)


def run_to_completion(landing: Path, published: Path, workdir: Path) -> PipelineProcess:
    """A complete ``outcomes run`` in a child process; fails with its output unless it exits 0."""
    run = PipelineProcess(landing, published, workdir).start()
    code = run.wait()
    if code != 0:
        raise AssertionError(f"outcomes run exited {code}:\n{run.output()[-3000:]}")
    return run
