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
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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
    match: str | None = None  # only calls with this string (or a path of this file name) among their arguments
    when: str = "after"  # "before" or "after" the call itself runs

    def describe(self) -> str:
        which = f" {self.match!r}" if self.match else ""
        return f"{self.when} call {self.nth} of {self.target}{which}"


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


# Where a run is, by stage (issue 10): the stage functions as their callers look them up. The trace of a run
# killed at a random moment names the last one entered.
STAGE_TARGETS: dict[str, list[str]] = {
    "read": ["sources.landing:detect_adapter", "warehouse.ingest:validate_file"],
    "load": ["pipelines.assets:ensure_schema", "warehouse.ingest:load_file", "pipelines.intake:file_judged"],
    "compute": ["pipelines.assets:write_reference", "pipelines.assets:compute_step"],
    "publish": ["pipelines.assets:publish"],
    "report": ["pipelines.assets:build_report"],
}
# Each stage's candidate points for random breakpoints: (target, match, how many calls a run over n waiting
# files makes at most, as a function of n). All of them are on the path of a run that has files to load.
# The load statements every file with new rows runs once (warehouse.load.load_file); "supersede_revised" runs
# only for a file that revises values, which the trials' fresh landing files do not.
LOAD_STATEMENTS = ("insert_load", "classify_incoming", "insert_changed", "insert_deliveries", "finish_load")
STAGE_POINTS: dict[str, list[tuple[str, str | None, Callable[[int], int]]]] = {
    "read": [("sources.landing:detect_adapter", None, lambda n: n),
             ("warehouse.ingest:validate_file", None, lambda n: n)],
    "load": [("pipelines.assets:ensure_schema", None, lambda n: 1),
             *[("warehouse.load:run_named", name, lambda n: n) for name in LOAD_STATEMENTS],
             ("pipelines.intake:file_judged", None, lambda n: n)],
    "compute": [("warehouse.compute:run", None, lambda n: 9),  # 9 method SQL files per run (compute.STEPS)
                ("warehouse.compute:derive_missing_limits", None, lambda n: 1)],
    "publish": [("warehouse.publish:remove_leftovers", None, lambda n: 1),
                ("warehouse.publish:apply_views", None, lambda n: 1),  # inside the publication transaction
                ("warehouse.publish:_check_copy", None, lambda n: 1),  # the copy is on disk, not yet checked
                ("warehouse.publish:fsync_path", None, lambda n: 2),  # the copy's fsync; the folder's after rename
                ("warehouse.publish:replace_atomically", None, lambda n: 1)],
    "report": [("reports.build:read_report_data", None, lambda n: 1),
               ("reports.build:write_workbook", None, lambda n: 1),
               ("openpyxl.writer.excel:ZipFile", None, lambda n: 1),  # the workbook archive is being written
               ("reports.build:write_html", None, lambda n: 1)],
}


def random_breakpoint(rng: random.Random, stage: str, waiting_files: int) -> Breakpoint:
    """A random point of ``stage`` in a run over ``waiting_files`` landing files (all with rows to load)."""
    target, match, calls = rng.choice(STAGE_POINTS[stage])
    return Breakpoint(target, nth=rng.randint(1, max(calls(waiting_files), 1)), match=match,
                      when=rng.choice(["before", "after"]))


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
    """``outcomes run`` in a child process, optionally stopping at ``breakpoint``; ``command`` runs another
    ``outcomes`` command (e.g. ``report``) the same way."""

    def __init__(self, landing: Path, published: Path, workdir: Path, breakpoint: Breakpoint | None = None,
                 quarter: str = "2024/25 Q1", trace: bool = False, env: dict[str, str] | None = None,
                 command: list[str] | None = None) -> None:
        self.command = command
        self.landing, self.published, self.workdir = landing, published, workdir
        self.breakpoint, self.quarter = breakpoint, quarter
        self.marker = workdir / "breakpoint-reached"
        self.trace_path = workdir / "trace.txt" if trace else None
        self.env = env or {}
        self.stdout_path, self.stderr_path = workdir / "run.out", workdir / "run.err"
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.rusage = None  # the child's resource usage (peak memory), once it has been waited for

    def start(self) -> PipelineProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for path in (self.marker, self.marker.with_name(self.marker.name + ".resume"), self.trace_path):
            if path is not None:
                path.unlink(missing_ok=True)
        command = [sys.executable, "-m", "tests.harness.run_pipeline", "--marker", str(self.marker)]
        if self.breakpoint:
            command += ["--breakpoint", json.dumps(asdict(self.breakpoint))]
        if self.trace_path:
            command += ["--trace", str(self.trace_path), "--trace-targets", json.dumps(STAGE_TARGETS)]
        command += ["--", *(self.command or ["run", "--landing", str(self.landing), "--warehouse",
                                             str(self.published), "--quarter", self.quarter, "--log-level", "WARNING"])]
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            # cwd without a dagster.yaml: the run uses a temporary Dagster instance
            self.process = subprocess.Popen(command, cwd=self.workdir, env={**child_env(), **self.env}, stdout=out,
                                            stderr=err)
        self.started = time.monotonic()
        return self

    def resume(self) -> None:
        """Let a run parked at its breakpoint go on (see tests/harness/run_pipeline.py)."""
        self.marker.with_name(self.marker.name + ".resume").touch()

    def stages(self, thread: str | None = None) -> list[str]:
        """The stage of every traced call, in order (the last is where the run was), from its trace; only
        those of ``thread`` if given (files are judged on other threads while one loads)."""
        if self.trace_path is None or not self.trace_path.exists():
            return []
        lines = [line.split(" ") for line in self.trace_path.read_text(encoding="utf-8").splitlines()]
        return [fields[0] for fields in lines if len(fields) == 3 and thread in (None, fields[2])]

    def parked_thread(self) -> str:
        """The thread parked at the breakpoint (named in the marker)."""
        return self.marker.read_text(encoding="utf-8").split()[-1]

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
        return self.wait(timeout=30)

    def kill_after(self, seconds: float) -> int:
        """Kill at a moment (``seconds`` after the start) rather than a named point (issue 10's random trials)."""
        assert self.process is not None
        deadline = self.started + seconds
        while self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.kill()

    def wait(self, timeout: float = 300.0) -> int:
        """The exit code (negative: the signal that ended it); records the child's resource usage."""
        assert self.process is not None
        if self.process.returncode is None:
            deadline = time.monotonic() + timeout
            while True:  # os.wait4 rather than Popen.wait: it also returns the child's peak memory
                pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
                if pid:
                    self.process.returncode = os.waitstatus_to_exitcode(status)
                    self.rusage = usage
                    break
                if time.monotonic() > deadline:
                    raise subprocess.TimeoutExpired(self.process.args, timeout)
                time.sleep(0.02)
        return self.process.returncode

    @property
    def peak_memory_mb(self) -> float | None:
        """The child's peak resident memory (Linux reports ru_maxrss in kilobytes)."""
        return None if self.rusage is None else self.rusage.ru_maxrss / 1024
