"""`outcomes run` end to end at national scale, as the BI team runs it: each asset's wall time and the total.

    python -m bench outcomes_run [--rows 10000000] [--dir build/bench] [--regenerate]

The pipeline benchmark (``python -m bench pipeline``) times the pipeline's functions stage by stage and writes the
plan's report. This one runs the command itself (pipelines.cli, so Dagster, every source asset and the whole
catalogue's scrutiny report) on the same national SAMPLE DATA (bench.pipeline.national_input, generated once and
reused), with its catalogue layer, from a landing folder of hard links into a fresh warehouse and report folder.
Dagster keeps its runs in a folder of the benchmark's (DAGSTER_HOME, configured as the project's dagster.yaml but for
where it stores things), never the project's instance; each asset's wall time is from Dagster's own step
statistics (step start to step end). Process start-up is before the command and in no asset; the peak memory is
the command's.

Ends with ``RESULT rows=... total_s=... report_s=... peak_rss_mb=...``: total_s is the command's wall time (what it
prints as "Completed in", plus its summary), report_s the scrutiny report asset's.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (imports are timed: they are the start-up line)
import os  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import dagster as dg  # noqa: E402
import yaml  # noqa: E402

from bench.pipeline import add_input_arguments, national_input, reset_peak_rss, rss_mb  # noqa: E402
from indicators.areas import AreaRegister, ComparatorGroups  # noqa: E402
from indicators.settings import Settings  # noqa: E402
from pipelines.cli import main as outcomes  # noqa: E402
from pipelines.cli.common import EXIT_FAILED  # noqa: E402
from warehouse.connection import connect_read_only  # noqa: E402

START_UP_S = time.perf_counter() - STARTED
QUARTER = "2024/25 Q1"  # the pipeline benchmark's quarter and run date, so both report the same figures
RUN_DATE = "2025-01-01"
REPORT_STEP = "scrutiny_report"
PROJECT_INSTANCE = Path(__file__).resolve().parents[1] / "dagster.yaml"
WHERE_STORED = ("storage", "local_artifact_storage", "compute_logs")  # paths of the project's; here DAGSTER_HOME's
ROWS_READ = "SELECT coalesce(sum(rows_read), 0) FROM core.load"


def instance_settings() -> str:
    """The project's Dagster instance settings (run concurrency, pools, telemetry) without where it stores
    things, so the benchmark's runs are configured as the BI team's but kept in the benchmark's folder."""
    settings = yaml.safe_load(PROJECT_INSTANCE.read_text()) or {}
    return yaml.safe_dump({k: v for k, v in settings.items() if k not in WHERE_STORED})


def step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Each step's wall time in the run (Dagster's own step statistics: its start to its end), in the order the
    steps started."""
    stats = sorted((s for s in instance.get_run_step_stats(run_id) if s.start_time and s.end_time),
                   key=lambda s: s.start_time)
    return {s.step_key: s.end_time - s.start_time for s in stats}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench outcomes_run", description=__doc__.splitlines()[0])
    add_input_arguments(parser)
    args = parser.parse_args(argv)
    print(f"start-up (Python, pandas, DuckDB, Dagster and the command imported): {START_UP_S:.2f} s (not in any asset)")
    data = national_input(args, AreaRegister.load(), ComparatorGroups.load(), Settings())
    run = data.folder / "outcomes-run"
    shutil.rmtree(run, ignore_errors=True)
    landing, home = run / "landing", run / "dagster-home"
    landing.mkdir(parents=True)
    home.mkdir()
    (home / "dagster.yaml").write_text(instance_settings())
    for path in data.files:  # hard links: the run moves them to processed/, the originals stay
        os.link(path, landing / path.name)
    print(f"input: {len(data.files)} files in {landing} (hard links into {data.folder / 'generated'}), catalogue "
          f"layer {data.layer}; Dagster's runs in {home}")
    os.environ["DAGSTER_HOME"] = str(home.resolve())
    reset_peak_rss()
    started = time.perf_counter()
    code = outcomes(["run", "--landing", str(landing), "--warehouse", str(run / "outcomes.duckdb"),
                     "--reports", str(run / "reports"), "--catalogue", str(data.layer), "--quarter", QUARTER,
                     "--run-date", RUN_DATE])
    total, peak = time.perf_counter() - started, rss_mb("VmHWM:")
    if code == EXIT_FAILED:
        print(f"the command failed after {total:.2f} s (its message is above): no figures", flush=True)
        return code
    with dg.DagsterInstance.get() as instance:
        seconds = step_seconds(instance, instance.get_runs(limit=1)[0].run_id)
    print("assets (wall time from Dagster's step statistics, in the order they ran):")
    for step, wall in seconds.items():
        print(f"  {step:36s} {wall:8.2f} s")
    print(f"the command: {total:.2f} s (the assets {sum(seconds.values()):.2f} s; Dagster's own work before, between "
          f"and after them the rest); exit code {code}; its peak resident memory {peak:,.0f} MB")
    print(f"RESULT rows={_rows_read(run / 'outcomes.duckdb')} total_s={total:.2f} "
          f"report_s={seconds.get(REPORT_STEP, float('nan')):.2f} peak_rss_mb={peak:.0f}")
    return code


def _rows_read(published: Path) -> int:
    """Rows the run read, from its loads in the published warehouse."""
    with connect_read_only(published) as con:
        return int(con.execute(ROWS_READ).fetchall()[0][0])
