"""End to end at national scale: every stage's time and peak memory, a naive pandas reference, a bare DuckDB floor.

    python -m bench pipeline [--rows 10000000] [--dir build/bench] [--memory-limit 3GB] [--regenerate] [--quick]

Input: ``--rows`` observation rows of SAMPLE DATA from the project's one generator (sources.sample, national
scale: every upper-tier authority, the regions and England; generated indicators in a catalogue layer; 15
financial years, Persons/Male/Female, CIs, counts, suppressed cells, a few quarterly series) as ~100
Fingertips CSV exports and one returns template XLSX. Generated once under ``--dir`` (not timed) and reused.

Then the pipeline's own code, stage by stage, on a fresh working warehouse (the functions the Dagster assets
call): reference tables; take in (warehouse.ingest: each file loaded in its own transaction, in order, while
the next ones are read and judged on other cursors, so these three parts overlap: the stage's wall time
counts, and each part's busy time, read (adapters), validate (sources.validate's judgement) and load
(revision history), is printed beneath it); observations (current revisions and derived rows), quartiles,
trends, comparisons (with England), outcome board (with targets and freshness), publish (checkpointed copy,
atomic rename), report (the plan's quarterly scrutiny report). Each stage prints wall time, CPU time of all
threads (CPU / wall = cores kept busy) and its own peak resident memory (Linux resets the high-water mark per
stage).

In the same run:
* naive reference: a straightforward pandas groupby/apply with a Python call per series (trends and direction
  of travel) and per comparator partition (quartiles) and per row (England comparison), using the readable
  Python methods in indicators.methods, on a sample (one series in 20 and one partition in 10, at most 3,000 and
  1,000, so a small input is tried quickly), scaled linearly to the whole input (said so). Its results
  must be identical to the pipeline's on the sample (checked: the script fails otherwise);
* floor: a bare DuckDB pass over the same data in CSV form: read_csv of every file into a table (one read_csv
  per header layout) plus one window rank over every row, run twice (``--floor-runs``) and the fastest counted,
  so a slow moment of the machine does not flatter floor_ratio (the returns XLSX is read from a CSV copy made
  beforehand: DuckDB cannot read XLSX offline);
* bare load: the least the take-in could cost in this design: the Fingertips CSVs read by DuckDB and inserted
  into core.observation of a fresh warehouse, each file in its own transaction, as many at once as the
  take-in judges, with nothing judged (no trim, scope, period, area or rule) and no revision history; printed
  beside the take-in's time (which also reads the one returns XLSX);
* take-in parts one at a time: one file in ten (``--parts-every``) and the returns XLSX read, then validated,
  then loaded, on one cursor into a fresh warehouse in a new process, each part timed on its own (wall time, CPU
  time, peak memory and the part's own memory, its peak above what the process held when it began): what each
  part costs, which the overlapped take-in cannot say;
* rerun: one of the hundred files changes (5% of its values revised); the landing folder is taken in again
  (unchanged files cost a checksum) and only the indicators that file feeds are recomputed.

Ends with ``RESULT rows=... total_s=... peak_rss_mb=... naive_ratio=... floor_ratio=... rerun_ratio=...``:
naive_ratio = scaled reference time / pipeline time of the same compute stages; floor_ratio = pipeline
total / floor; rerun_ratio = rerun time / full run time. Process start-up (imports, Dagster's included) is
printed on its own line and counted in no stage.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()

import argparse  # noqa: E402  (imports are timed: they are the start-up line)
import csv  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor  # noqa: E402
from contextlib import contextmanager, suppress  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

import pipelines.definitions  # noqa: E402, F401  (Dagster and the asset graph: part of a run's start-up)
from indicators.areas import AreaRegister, ComparatorGroups  # noqa: E402
from indicators.catalogue import load_catalogue  # noqa: E402
from indicators.methods.benchmark import compare_with_benchmark  # noqa: E402
from indicators.methods.direction import Reading, series_direction  # noqa: E402
from indicators.methods.quartiles import phe_quantile  # noqa: E402
from indicators.methods.trend import TrendPoint, recent_trend  # noqa: E402
from indicators.periods import parse_fiscal_quarter  # noqa: E402
from indicators.settings import Settings  # noqa: E402
from pipelines.progress import Progress  # noqa: E402
from reports.build import build_report  # noqa: E402
from reports.config import Selection  # noqa: E402
from sources.adapters.fingertips_csv import COLUMNS as FINGERTIPS_COLUMNS  # noqa: E402
from sources.canonical import BREAKDOWN_DEFAULTS  # noqa: E402
from sources.files import csv_header, file_checksum, mapped_positions, normalise_header, xlsx_rows  # noqa: E402
from sources.rawtable import csv_records_sql, sql_text  # noqa: E402
from sources.sample import (  # noqa: E402
    NATIONAL_PREFIX,
    NationalSizes,
    write_national_catalogue,
    write_national_sample,
)
from sources.validate import FileResult, ValidationContext, judge_raw, read_file  # noqa: E402
from warehouse.compute import compute_step, mark_computed, plan_scope  # noqa: E402
from warehouse.connection import connect_working  # noqa: E402
from warehouse.ingest import JUDGE_AHEAD, ingest, one_thread_per_statement  # noqa: E402
from warehouse.load import load_file  # noqa: E402
from warehouse.paths import WarehousePaths  # noqa: E402
from warehouse.publish import publish  # noqa: E402
from warehouse.reference import write_reference  # noqa: E402
from warehouse.schema import ensure_schema  # noqa: E402

START_UP_S = time.perf_counter() - _STARTED
QUARTER = "2024/25 Q1"
RUN_DATE = date(2025, 1, 1)
COMPUTE = ("quartiles", "trends", "comparisons")
PLAN_OUTCOMES = ("cgf", "gc", "io", "se", "sw", "en")


# --- measuring -----------------------------------------------------------------------------------------------

def rss_mb(field_name: str) -> float:
    """This process's resident memory in MB from /proc/self/status (``VmRSS:`` now, ``VmHWM:`` its peak since the
    last :func:`reset_peak_rss`); elsewhere the peak of the whole process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Linux: reset the resident high-water mark, so each stage reports its own peak."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Clock:
    """Seconds, CPU seconds (all threads) and peak resident memory per stage (a stage may be entered many
    times). CPU / wall says how many of the cores a stage kept busy."""

    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    rise_mb: dict[str, float] = field(default_factory=dict)  # peak above the resident memory at the stage's start

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        reset_peak_rss()
        started, cpu, resident = time.perf_counter(), _cpu_s(), rss_mb("VmRSS:")
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.cpu[name] = self.cpu.get(name, 0.0) + _cpu_s() - cpu
            peak = rss_mb("VmHWM:")
            self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), peak)
            self.rise_mb[name] = max(self.rise_mb.get(name, 0.0), peak - resident)

    def print(self, names: list[str], title: str, rise: bool = False) -> None:
        """``rise``: also each stage's own memory, its peak above what the process held when it began."""
        print(title)
        for name in names:
            print(f"  {name:14s} {self.seconds[name]:8.2f} s   cpu {self.cpu[name]:7.2f} s   "
                  f"peak RSS {self.peak_mb[name]:7,.0f} MB" + (f" (+{self.rise_mb[name]:,.0f} MB)" if rise else ""))
        print(f"  {'total':14s} {self.total(names):8.2f} s   cpu {sum(self.cpu[n] for n in names):7.2f} s   "
              f"peak RSS {max(self.peak_mb[n] for n in names):7,.0f} MB")

    def total(self, names: list[str]) -> float:
        return sum(self.seconds[n] for n in names)


# --- input ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Input:
    folder: Path
    layer: Path
    files: list[Path]
    floor_csvs: list[Path]


def national_input(args: argparse.Namespace, areas: AreaRegister, groups: ComparatorGroups,
                   settings: Settings) -> Input:
    """The national SAMPLE DATA of ``args.rows`` rows under ``args.dir`` (``files``, ``seed``, ``regenerate``):
    generated once, not timed, and reused by every benchmark that runs on it, unless made with other files or seed
    (the folder is named by the rows only; the ``done`` file records all three)."""
    folder = Path(args.dir) / f"national-{args.rows}"
    layer, originals, floor_dir = folder / "national_catalogue.yaml", folder / "generated", folder / "floor-csv"
    made_with = f"rows={args.rows} files={args.files} seed={args.seed}"
    done = folder / "done"
    if args.regenerate or not done.is_file() or done.read_text().splitlines()[0] != made_with:
        shutil.rmtree(folder, ignore_errors=True)
        originals.mkdir(parents=True)
        started = time.perf_counter()
        sizes = NationalSizes(rows=args.rows, files=args.files)
        write_national_catalogue(layer, sizes)
        catalogue = load_catalogue([layer], include_env=False)
        bar = Progress("generate SAMPLE DATA (not timed)", sizes.files, "files")
        written = write_national_sample(originals, catalogue, areas, groups, settings, args.seed, sizes,
                                        progress=lambda n, _total: bar.update(n))
        bar.finish()
        floor_dir.mkdir()
        for path in written:  # the floor reads CSV: the XLSX's rows written as CSV, once
            if path.suffix == ".xlsx":
                rows = xlsx_rows(path, "Returns")
                with (floor_dir / (path.stem + ".csv")).open("w", newline="", encoding="utf-8") as fh:
                    csv.writer(fh).writerows(rows)
            else:
                (floor_dir / path.name).symlink_to(path.resolve())
        done.write_text(f"{made_with}\ngenerated in {time.perf_counter() - started:.1f} s\n")
    files = sorted(p for p in originals.iterdir() if p.name.startswith("SAMPLE_"))
    return Input(folder, layer, files, sorted(floor_dir.iterdir()))


# --- the pipeline, stage by stage ------------------------------------------------------------------------------

BUSY_PARTS = {"read": (("warehouse.ingest", "file_checksum"), ("sources.validate", "read_file")),
              "validate": (("sources.validate", "judge_raw"),),
              "load": (("warehouse.ingest", "load_file"),)}


class Busy:
    """Seconds spent inside the functions of each part of taking files in (read, validate, load), summed
    over the threads that run them: warehouse.ingest loads one file while other cursors judge the next
    ones, so the parts overlap and their busy times add up to more than the take-in's wall time. The
    functions are wrapped where their callers look them up, for the take-in only; nothing else changes."""

    def __init__(self) -> None:
        self.seconds = {part: 0.0 for part in BUSY_PARTS}
        self._lock = threading.Lock()

    def _timed(self, part: str, fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.seconds[part] += time.perf_counter() - started
        return timed

    @contextmanager
    def wrapping(self) -> Iterator[None]:
        originals = [(sys.modules[module], name, getattr(sys.modules[module], name))
                     for targets in BUSY_PARTS.values() for module, name in targets]
        for part, targets in BUSY_PARTS.items():
            for module, name in targets:
                setattr(sys.modules[module], name, self._timed(part, getattr(sys.modules[module], name)))
        try:
            yield
        finally:
            for module, name, fn in originals:
                setattr(module, name, fn)


def _take_in(con: duckdb.DuckDBPyConnection, files: list[Path], context: ValidationContext, clock: Clock,
             busy: Busy, label: str) -> int:
    """Read, judge and load every file with the pipeline's own take-in (warehouse.ingest: each file loaded in
    its own transaction, in order, while the next ones are judged on other cursors), timed as one stage,
    with each part's busy time."""
    bar = Progress(label, len(files), "files")
    with busy.wrapping(), clock.stage("take in"):
        done = ingest(con, files, context, progress=lambda n, _total, _path: bar.update(n))
    bar.finish()
    for one in done:
        assert one.result is not None and one.result.reconciles and not one.result.rows_rejected, one.path
    return sum(one.result.rows_read for one in done)


def _methods(con: duckdb.DuckDBPyConnection, clock: Clock, scope: list[str] | None) -> None:
    for stage, step in (("observations", "observations"), ("quartiles", "quartile_positions"),
                        ("trends", "trends"), ("comparisons", "benchmark_comparisons"),
                        ("outcome board", "outcome_board")):
        with clock.stage(stage):
            compute_step(con, step, RUN_DATE, indicators=scope)
    mark_computed(con)


def _publish_and_report(paths: WarehousePaths, clock: Clock, reports: Path) -> None:
    with clock.stage("publish"):
        publish(paths)
    with clock.stage("report"):
        build_report(paths.published, parse_fiscal_quarter(QUARTER), reports, run_id="bench",
                     selection=Selection(key="plan", name="Strategic Plan outcomes", outcomes=PLAN_OUTCOMES))


# --- naive reference -------------------------------------------------------------------------------------------

def _f(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


@dataclass
class Naive:
    seconds: dict[str, float]
    checked: dict[str, tuple[int, int]]  # what -> (agreeing, compared)


def _sample_size(asked: int | None, population: int, share: int, least: int, most: int) -> int:
    """How many of ``population`` the naive reference runs: ``asked``, else one in ``share`` between ``least`` and
    ``most``, so that a small input is tried in seconds and a large one keeps a sample of the same size."""
    return min(asked if asked is not None else max(least, min(most, population // share)), population)


def _naive(con: duckdb.DuckDBPyConnection, catalogue, groups: ComparatorGroups, settings: Settings,
           n_series: int | None, n_partitions: int | None, seed: int) -> Naive:
    """pandas groupby/apply with one Python call per series / partition / row, on a sample, scaled."""
    rng = random.Random(seed)
    all_series = con.execute("SELECT DISTINCT indicator_id, area_code, sex FROM mart.observation_current "
                             "WHERE starts_with(indicator_id, $p)", {"p": NATIONAL_PREFIX}).fetchall()
    sample = rng.sample(all_series, _sample_size(n_series, len(all_series), 20, 300, 3000))
    con.execute("CREATE OR REPLACE TEMP TABLE naive_series AS SELECT * FROM (SELECT unnest($i) AS indicator_id, "
                "unnest($a) AS area_code, unnest($s) AS sex)",
                {"i": [s[0] for s in sample], "a": [s[1] for s in sample], "s": [s[2] for s in sample]})
    rows = con.execute("SELECT o.* FROM mart.observation_current o JOIN naive_series USING (indicator_id, area_code, "
                       "sex)").df()
    indicators = catalogue.indicators

    def per_series(key: tuple, part: pd.DataFrame) -> dict:
        part = part.sort_values("period_start")
        polarity = indicators[key[0]].polarity
        points = [TrendPoint(r.period, _f(r.value), _f(r.lower_ci95), _f(r.upper_ci95), r.period_type)
                  for r in part.itertuples()]
        readings = [Reading(r.period, r.period_start.date(), r.period_end.date(), r.period_type, _f(r.value),
                            _f(r.lower_ci95), _f(r.upper_ci95)) for r in part.itertuples()]
        group = indicators[key[0]].comparator_group
        direction = series_direction(readings, polarity, indicators[key[0]].decimals,
                                     member_on=lambda day: key[1] in groups.members(group, day))
        return {"recent_trend": recent_trend(points, polarity).label,
                "direction": direction.change.label if direction.change else None}

    started = time.perf_counter()
    trends = {key: per_series(key, part) for key, part in rows.groupby(["indicator_id", "area_code", "sex"])}
    trend_s = time.perf_counter() - started

    england = con.execute("SELECT indicator_id, period, sex, value FROM mart.observation_current WHERE area_code = "
                          "'E92000001'").df().set_index(["indicator_id", "period", "sex"])["value"]
    started = time.perf_counter()
    compared = rows[rows.area_code != "E92000001"].apply(lambda r: compare_with_benchmark(
        _f(r.value), _f(r.lower_ci95), _f(r.upper_ci95), _f(england.get((r.indicator_id, r.period, r.sex))),
        indicators[r.indicator_id].polarity), axis=1)
    compare_s = time.perf_counter() - started
    compared_rows = int((rows.area_code != "E92000001").sum())

    # quartiles: sampled partitions (group x indicator x period x sex), members by the group's validity dates
    partitions = con.execute("SELECT DISTINCT group_id, indicator_id, period, sex FROM mart.quartile_position "
                             "WHERE starts_with(indicator_id, $p)", {"p": NATIONAL_PREFIX}).fetchall()
    chosen = rng.sample(partitions, _sample_size(n_partitions, len(partitions), 10, 100, 1000))
    wanted = pd.DataFrame(chosen, columns=["group_id", "indicator_id", "period", "sex"])
    con.register("naive_partitions", wanted)
    values = con.execute("SELECT DISTINCT p.group_id, o.indicator_id, o.period, o.period_end, o.sex, o.area_code, "
                         "o.value FROM mart.observation_current o JOIN naive_partitions p USING (indicator_id, period, "
                         "sex) WHERE o.value IS NOT NULL").df()
    con.unregister("naive_partitions")
    home, default_group = settings.home_area, settings.comparator_group

    def per_partition(key: tuple, part: pd.DataFrame) -> dict:
        group_id, indicator_id, period, sex = key
        members = set(groups.members(group_id, part["period_end"].iloc[0].date()))
        if group_id in (indicators[indicator_id].comparator_group, default_group):
            members.add(home)
        part = part[part.area_code.isin(members)]
        positions = phe_quantile([_f(v) for v in part.value], indicators[indicator_id].polarity)
        return {(group_id, indicator_id, period, sex, a): (p.rank, p.quartile)
                for a, p in zip(part.area_code, positions, strict=True)}

    started = time.perf_counter()
    quartiles: dict = {}
    for key, part in values.groupby(["group_id", "indicator_id", "period", "sex"]):
        quartiles |= per_partition(key, part)
    quartile_s = time.perf_counter() - started

    # identical results: the pipeline's rows for the same sample
    got = con.execute("SELECT indicator_id, area_code, sex, recent_trend, direction_of_travel FROM mart.trend "
                      "JOIN naive_series USING (indicator_id, area_code, sex)").fetchall()
    trend_ok = sum(trends[(i, a, s)]["recent_trend"] == t for i, a, s, t, _ in got)
    direction_ok = sum(trends[(i, a, s)]["direction"] == d for i, a, s, _, d in got)
    flags = dict(zip(zip(rows.loc[compared.index, "indicator_id"], rows.loc[compared.index, "area_code"],
                         rows.loc[compared.index, "period"], rows.loc[compared.index, "sex"], strict=True),
                     compared, strict=True))
    got_b = con.execute("SELECT indicator_id, area_code, period, sex, compared_with_england FROM "
                        "mart.benchmark_comparison JOIN naive_series USING (indicator_id, area_code, sex)").fetchall()
    flags_ok = sum(flags[(i, a, p, s)] == c for i, a, p, s, c in got_b)
    con.register("naive_partitions", wanted)
    got_q = con.execute("SELECT group_id, indicator_id, period, sex, area_code, rank, quartile FROM "
                        "mart.quartile_position JOIN naive_partitions USING (group_id, indicator_id, period, sex)"
                        ).fetchall()
    con.unregister("naive_partitions")
    quartile_ok = sum(quartiles.get((g, i, p, s, a)) == (r, q) for g, i, p, s, a, r, q in got_q)
    total_partitions = len(partitions)
    total_rows = int(con.execute("SELECT count(*) FROM mart.observation_current WHERE area_code <> 'E92000001' AND "
                                 "starts_with(indicator_id, $p)", {"p": NATIONAL_PREFIX}).fetchall()[0][0])
    print(f"naive reference (pandas groupby/apply, one Python call per series / partition / row), on a sample "
          f"scaled linearly to the whole input:\n"
          f"  trends + direction: {trend_s:.2f} s for {len(sample):,} series -> "
          f"{trend_s * len(all_series) / len(sample):,.0f} s for {len(all_series):,}\n"
          f"  quartiles: {quartile_s:.2f} s for {len(chosen):,} partitions -> "
          f"{quartile_s * total_partitions / len(chosen):,.0f} s for {total_partitions:,}\n"
          f"  England comparison: {compare_s:.2f} s for {compared_rows:,} rows -> "
          f"{compare_s * total_rows / max(compared_rows, 1):,.0f} s for {total_rows:,}")
    return Naive({"trends": trend_s * len(all_series) / len(sample),
                  "quartiles": quartile_s * total_partitions / len(chosen),
                  "comparisons": compare_s * total_rows / max(compared_rows, 1)},
                 {"recent trend": (trend_ok, len(got)), "direction of travel": (direction_ok, len(got)),
                  "England comparison": (flags_ok, len(got_b)), "rank and quartile": (quartile_ok, len(got_q))})


# --- floor ---------------------------------------------------------------------------------------------------

# The floor reads the files of one layout with one read_csv (all 99 Fingertips exports share a header; only the
# returns' CSV copy differs) and unions the layouts by name: union_by_name over every file would sniff each one
# and took 14 s where reading by layout took 9 s at 10 million rows. The rank is consumed (its maximum): with a
# bare count(*) over it DuckDB drops the window and answers from the table's row count (seen in EXPLAIN).
FLOOR_READ = "SELECT * FROM read_csv(${name})"
FLOOR_RANK = """
SELECT max(r) FROM (SELECT rank() OVER (PARTITION BY "Indicator ID", "Time period", "Sex" ORDER BY "Value") AS r
                    FROM floor)
"""


def _by_layout(csvs: list[Path]) -> dict[str, list[str]]:
    """Parameter name -> the files that share one header, in order of first appearance."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for path in csvs:
        groups.setdefault(tuple(csv_header(path)), []).append(str(path))
    return {f"layout{n}": files for n, files in enumerate(groups.values())}


def read_floor(con: duckdb.DuckDBPyConnection, csvs: list[Path]) -> int:
    """Every file into the table ``floor``, one read_csv per header layout; returns the layouts read."""
    layouts = _by_layout(csvs)
    con.execute("CREATE TABLE floor AS " + " UNION ALL BY NAME ".join(FLOOR_READ.format(name=name) for name in layouts),
                layouts)
    return len(layouts)


def _floor(csvs: list[Path], memory_limit: str) -> tuple[float, int]:
    """Seconds of the bare pass (read every file into one table, rank every row) and the layouts read."""
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    layouts = read_floor(con, csvs)
    con.execute(FLOOR_RANK).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return seconds, layouts


# --- bare load: the least the take-in could cost -----------------------------------------------------------------

# The canonical columns the bare load fills from a Fingertips export's cells: text as read (a blank key cell as
# "" and a blank breakdown as its default, as the columns are NOT NULL), numbers cast. It writes no core.load or
# core.delivery row and no period dates: nothing is judged and no revision history is kept.
_BARE_TEXT = ("indicator_id", "area_code", "period", "sex", "age", "category_type", "category", "value_note",
              "published_trend", "published_comparison")
_BARE_NOT_NULL = {"indicator_id": "", "area_code": "", "period": "", **BREAKDOWN_DEFAULTS}
_BARE_NUMBERS = ("value", "lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998", "count", "denominator")
BARE_LOAD = """
INSERT INTO core.observation (revision_id, load_id, indicator_id, area_code, period, sex, age, category_type,
    category, value_note, published_trend, published_comparison, value, lower_ci95, upper_ci95, lower_ci998,
    upper_ci998, count, denominator, source_id, source_file, source_row, file_checksum, loaded_at, change)
SELECT nextval('core.revision_id_seq'), $load_id, {text}, {numbers}, 'fingertips_csv', $source_file,
    record, '', now(), 'new'
FROM ({records}) WHERE record > 1
"""


def bare_load_sql(header: list[str]) -> str | None:
    """BARE_LOAD for a Fingertips export with this header (None for another layout), reading the file with
    the take-in's own CSV reader call (sources.rawtable.csv_records_sql: cells by position, so the statement
    holds our own text only, never the file's)."""
    normalised = [normalise_header(h) for h in header]
    if not FINGERTIPS_COLUMNS.required <= set(normalised):
        return None
    # the adapter's raw names are the canonical ones, but for the indicator's code
    found = {"indicator_id" if raw == "code" else raw: f"c{i}"
             for raw, i in mapped_positions(normalised, FINGERTIPS_COLUMNS.mapping).items()}
    cell = {c: found.get(c, "NULL") for c in (*_BARE_TEXT, *_BARE_NUMBERS)}
    text = [f"coalesce({cell[c]}, {sql_text(_BARE_NOT_NULL[c])})" if c in _BARE_NOT_NULL else cell[c]
            for c in _BARE_TEXT]
    return BARE_LOAD.format(
        text=", ".join(text), numbers=", ".join(f"TRY_CAST({cell[c]} AS DOUBLE)" for c in _BARE_NUMBERS),
        records=csv_records_sql("$path", len(header)))


def bare_load(con: duckdb.DuckDBPyConnection, csvs: list[Path], workers: int) -> tuple[int, int]:
    """The Fingertips exports among ``csvs`` read by DuckDB and inserted into core.observation, each file in
    its own transaction, ``workers`` files at once (a cursor each, one DuckDB thread per statement, as the take-in
    runs): the take-in without judging (no trim, no scope, no rule) and without revision history. Returns (files,
    rows) inserted."""
    statements = [(path, sql) for path in csvs if (sql := bare_load_sql(csv_header(path))) is not None]
    local = threading.local()
    cursors: list[duckdb.DuckDBPyConnection] = []

    def one(numbered: tuple[int, tuple[Path, str]]) -> None:
        load_id, (path, sql) = numbered
        cursor = getattr(local, "cursor", None)
        if cursor is None:
            cursor = local.cursor = con.cursor()
            cursors.append(cursor)
        cursor.execute("BEGIN")
        cursor.execute(sql, {"load_id": load_id, "source_file": path.name, "path": str(path)})
        cursor.execute("COMMIT")

    bar = Progress("bare load (not a pipeline stage)", len(statements), "files")
    try:
        with one_thread_per_statement(con), ThreadPoolExecutor(max_workers=workers) as pool:
            for done, _ in enumerate(pool.map(one, enumerate(statements, start=1)), start=1):
                bar.update(done)
    finally:
        for cursor in cursors:
            cursor.close()
    bar.finish()
    return len(statements), int(con.execute("SELECT count(*) FROM core.observation").fetchall()[0][0])


def _bare(csvs: list[Path], folder: Path, memory_limit: str) -> tuple[float, int, int]:
    """Seconds of :func:`bare_load` into a fresh warehouse (removed afterwards), files and rows."""
    shutil.rmtree(folder, ignore_errors=True)
    paths = WarehousePaths(folder / "outcomes.duckdb")
    paths.ensure()
    with connect_working(paths.working) as con:
        con.execute(f"SET memory_limit = '{memory_limit}'")  # our argument, checked by DuckDB
        con.execute("SET enable_progress_bar = false")
        ensure_schema(con)
        started = time.perf_counter()
        files, rows = bare_load(con, csvs, JUDGE_AHEAD)
        seconds = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return seconds, files, rows


def _parts_in_a_fresh_process(files: list[Path], every: int, layer: Path, folder: Path,
                              memory_limit: str) -> tuple[Clock, int, int]:
    """:func:`_parts_one_at_a_time` in a new process, so each part's memory is its own, not what the stages before
    it left allocated in this one."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_parts_one_at_a_time, files, every, layer, folder, memory_limit).result()


def _parts_one_at_a_time(files: list[Path], every: int, layer: Path, folder: Path,
                         memory_limit: str) -> tuple[Clock, int, int]:
    """Every ``every``-th file and the returns XLSX taken in part by part on one cursor into a fresh warehouse
    (removed afterwards): read (checksum, adapter, raw table), validate (judgement), load (revision history), each
    part a stage of its own with its own wall time, CPU time and memory (its peak above what the process held
    when it began, the largest over the files). The take-in overlaps the parts of different files on several
    threads, which is faster but leaves no part a wall time or memory of its own. Returns the clock, the files and
    the rows read."""
    catalogue, areas = load_catalogue([layer], include_env=False), AreaRegister.load()
    context, groups, settings = ValidationContext(catalogue, areas), ComparatorGroups.load(), Settings()
    sampled = sorted({*files[::every], *(p for p in files if p.suffix == ".xlsx")})
    parts, rows = Clock(), 0
    bar = Progress("take-in parts one at a time", len(sampled), "files")
    shutil.rmtree(folder, ignore_errors=True)
    paths = WarehousePaths(folder / "outcomes.duckdb")
    paths.ensure()
    try:
        with connect_working(paths.working) as con:
            con.execute(f"SET memory_limit = '{memory_limit}'")  # our argument, checked by DuckDB
            con.execute("SET enable_progress_bar = false")
            write_reference(con, catalogue, areas, groups, settings)
            for done, path in enumerate(sampled, start=1):
                with parts.stage("read"):
                    checksum = file_checksum(path)
                    read = read_file(path, con, None, checksum)
                assert not isinstance(read, FileResult), read.summary()
                adapter, raw = read
                with parts.stage("validate"):
                    result = judge_raw(con, raw, path, checksum, adapter, context)
                with parts.stage("load"):
                    load_file(con, result)
                rows += result.rows_read
                bar.update(done)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    bar.finish()
    return parts, len(sampled), rows


# --- rerun ---------------------------------------------------------------------------------------------------

def _revise_one(files: list[Path], landing: Path) -> Path:
    """The inputs in a landing folder (hard links) with one Fingertips file revised (every 20th value +5%)."""
    landing.mkdir(parents=True, exist_ok=True)
    target = next(p for p in files if p.suffix == ".csv")
    for path in files:  # hard links: the pipeline never reads through a symbolic link
        if path != target:
            os.link(path, landing / path.name)
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    value = rows[0].index("Value")
    for n, row in enumerate(rows[1:]):
        if n % 20 == 0 and row[value]:
            row[value] = f"{float(row[value]) * 1.05:.4f}"
            row[value + 1] = row[value + 2] = ""  # its old limits no longer hold
    with (landing / target.name).open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    return landing / target.name


# --- main ----------------------------------------------------------------------------------------------------

def _not_negative(text: str) -> int:
    number = int(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return number


# What --quick changes (argument -> (default, quick)): what costs a small run its seconds besides the pipeline is
# the naive reference's sample (at least 300 series, about 17 ms each), the take-in part by part in a fresh process
# (its start-up) and the second floor run.
SETTINGS_QUICK: dict[str, tuple[int | None, int]] = {
    "naive_series": (None, 60), "naive_partitions": (None, 30), "parts_every": (10, 0), "floor_runs": (2, 1)}
QUICK = ", ".join(f"--{name.replace('_', '-')} {quick}" for name, (_, quick) in SETTINGS_QUICK.items())


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose the national input (national_input), for every benchmark that runs on it."""
    parser.add_argument("--rows", type=int, default=1_000_000, help="observation rows to generate (about)")
    parser.add_argument("--files", type=int, default=100, help="landing files the rows are spread over")
    parser.add_argument("--dir", default="build/bench", help="where inputs and warehouses go (git-ignored)")
    parser.add_argument("--seed", type=int, default=20220401)
    parser.add_argument("--regenerate", action="store_true", help="generate the input again")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pipeline", description=__doc__.splitlines()[0])
    add_input_arguments(parser)
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit of the working database")
    parser.add_argument("--naive-series", type=int, default=None,
                        help="series run through the naive reference (default: one in 20, from 300 to 3,000)")
    parser.add_argument("--naive-partitions", type=int, default=None,
                        help="quartile partitions, likewise (default: one in 10, from 100 to 1,000)")
    parser.add_argument("--floor-runs", type=int, default=None,
                        help="runs of the floor; the fastest counts (this machine's speed varies between runs; "
                             "default 2)")
    parser.add_argument("--parts-every", type=_not_negative, default=None,
                        help="take every N-th file (and the returns XLSX) in part by part, each part timed on its "
                             "own (0: skip; default 10)")
    parser.add_argument("--quick", action="store_true",
                        help=f"a first try in seconds: {QUICK} unless given")
    args = parser.parse_args(argv)
    for name, (default, quick) in SETTINGS_QUICK.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else default)
    print(f"start-up (Python, pandas, DuckDB, Dagster and the asset graph imported): {START_UP_S:.2f} s "
          "(not in any stage)")
    settings, areas = Settings(), AreaRegister.load()
    groups = ComparatorGroups.load()
    data = national_input(args, areas, groups, settings)
    catalogue = load_catalogue([data.layer], include_env=False)
    context = ValidationContext(catalogue, areas)
    size_mb = sum(p.stat().st_size for p in data.files) / 1e6
    print(f"input: {len(data.files)} files ({size_mb:,.0f} MB) in {data.folder}; {len(catalogue):,} indicators "
          f"({sum(i.id.startswith(NATIONAL_PREFIX) for i in catalogue):,} generated); DuckDB {duckdb.__version__}, "
          f"memory_limit {args.memory_limit}")

    run = data.folder / "run"
    shutil.rmtree(run, ignore_errors=True)
    paths = WarehousePaths(run / "outcomes.duckdb")
    paths.ensure()
    clock = Clock()
    stages = ["reference", "take in", "observations", "quartiles", "trends", "comparisons", "outcome board",
              "publish", "report"]
    with connect_working(paths.working) as con:
        con.execute(f"SET memory_limit = '{args.memory_limit}'")  # our argument, checked by DuckDB
        con.execute("SET enable_progress_bar = false")
        with clock.stage("reference"):
            write_reference(con, catalogue, areas, groups, settings)
        busy = Busy()
        rows = _take_in(con, data.files, context, clock, busy, "take in (read, validate, load)")
        plan_scope(con)
        _methods(con, clock, None)
        naive = _naive(con, catalogue, groups, settings, args.naive_series, args.naive_partitions, args.seed)
    _publish_and_report(paths, clock, run / "reports")
    warehouse_mb = paths.working.stat().st_size / 1e6
    print(f"rows read {rows:,}; working warehouse {warehouse_mb:,.0f} MB, published "
          f"{paths.published.stat().st_size / 1e6:,.0f} MB")
    clock.print(stages, "pipeline stages (wall time, CPU time of all threads, peak resident memory of the stage)")
    print(f"  take in, busy time of each part (summed over the {JUDGE_AHEAD + 1} threads that overlap; the "
          "wall time is the line above):")
    for part, seconds in busy.seconds.items():
        print(f"    {part:12s} {seconds:8.2f} s")
    if args.parts_every:
        parts, parts_files, parts_rows = _parts_in_a_fresh_process(
            data.files, args.parts_every, data.layer, data.folder / "parts", args.memory_limit)
        parts.print(["read", "validate", "load"],
                    f"  take in, part by part (not a pipeline stage): one file in {args.parts_every} and the returns "
                    f"XLSX ({parts_files} files, {parts_rows:,} rows)\n  read, then validated, then loaded, one file "
                    "at a time on one cursor into a fresh warehouse, in a fresh process (DuckDB's default threads), "
                    "each part timed on "
                    "its own;\n  (+MB): the part's own memory, its peak above what the process held when it began:",
                    rise=True)
    total = clock.total(stages)
    peak = max(clock.peak_mb[s] for s in stages)

    print("identical results (naive reference = pipeline, on the sample):")
    identical = True
    for what, (agree, compared) in naive.checked.items():
        print(f"  {what}: {agree:,} of {compared:,}")
        identical &= agree == compared and compared > 0
    compute_s = sum(clock.seconds[s] for s in COMPUTE)
    naive_ratio = sum(naive.seconds.values()) / compute_s
    print(f"naive reference {sum(naive.seconds.values()):,.0f} s (scaled) against {compute_s:.2f} s for "
          f"{', '.join(COMPUTE)}: {naive_ratio:,.0f}x")

    floors = [_floor(data.floor_csvs, args.memory_limit) for _ in range(max(args.floor_runs, 1))]
    floor_s, layouts = min(floors)
    print(f"floor: bare DuckDB read_csv of the same data ({len(data.floor_csvs)} CSV files, {layouts} layouts, one "
          f"read_csv each) + one window rank over every row, the fastest of {len(floors)} run(s) "
          f"({', '.join(f'{s:.2f}' for s, _ in floors)} s): {floor_s:.2f} s")

    bare_s, bare_files, bare_rows = _bare(data.floor_csvs, data.folder / "bare", args.memory_limit)
    take_in_s = clock.seconds["take in"]
    print(f"bare load: the {bare_files} Fingertips CSV files ({bare_rows:,} rows) read by DuckDB and inserted into "
          f"core.observation of a fresh warehouse, a commit per file, {JUDGE_AHEAD} at a time (one DuckDB thread per "
          f"statement, as the take-in), nothing judged, no revision history: {bare_s:.2f} s (the take-in above, "
          f"which also reads the returns XLSX: {take_in_s:.2f} s, {take_in_s / bare_s:.1f}x)")

    rerun = Clock()
    landing = data.folder / "rerun-landing"
    shutil.rmtree(landing, ignore_errors=True)
    changed = _revise_one(data.files, landing)
    started = time.perf_counter()
    with connect_working(paths.working) as con:
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
        con.execute("SET enable_progress_bar = false")
        with rerun.stage("take in"):
            write_reference(con, catalogue, areas, groups, settings)
            done = ingest(con, sorted(landing.iterdir()), context, now=datetime.now() + timedelta(seconds=1))
        with rerun.stage("plan"):
            scope = plan_scope(con)
        _methods(con, rerun, scope)
    _publish_and_report(paths, rerun, run / "reports")
    rerun_s = time.perf_counter() - started
    judged = [d for d in done if d.result is not None]
    print(f"rerun after one file of {len(data.files)} changed ({changed.name}): {len(judged)} file judged, "
          f"{sum(d.outcome.rows_revised for d in judged):,} values revised; "
          f"{len(scope) if scope is not None else 'all'} indicator(s) recomputed")
    rerun.print(["take in", "plan", "observations", "quartiles", "trends", "comparisons", "outcome board",
                 "publish", "report"], "rerun stages")
    rerun_ratio = rerun_s / total
    print(f"rerun {rerun_s:.2f} s against the full run's {total:.2f} s: {rerun_ratio:.2f}")
    print(f"RESULT rows={rows} total_s={total:.2f} peak_rss_mb={peak:.0f} naive_ratio={naive_ratio:.1f} "
          f"floor_ratio={total / floor_s:.2f} rerun_ratio={rerun_ratio:.3f} identical={'yes' if identical else 'NO'}")
    return 0 if identical else 1

