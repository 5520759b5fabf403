"""Run the methods of METHODS.md as set-based SQL over every indicator, area and period at once.

Incremental runs: every method is computed per indicator (no figure of one indicator depends on another's
observations), so when only some indicators' observations changed since the last completed computation,
the steps that scale with the data (current observations, quartiles, trends, England comparisons) recompute
those indicators only, with the same SQL: the step's query runs over the changed indicators' rows and
replaces their rows in the method table. Targets, freshness and the Outcome Board (one row per indicator)
are always rebuilt whole. Anything that can change every figure (the catalogue, areas, groups, settings,
labels, a withdrawal, the methods' SQL or Python) makes the next computation a full one (:func:`plan_scope`). What is
recorded as computed is what every such step read, on the reference data, methods and withdrawals its
scope was planned on (:func:`mark_computed`), so a run of some steps only leaves the rest to the next run.

Each step rebuilds one table from .sql files under sql/methods (two of them also a view that names their
rows, NAMED_VIEWS); labels, reasons and thresholds are bound from indicators.methods so the SQL and the
Python reference use the same words and numbers. The one step
that is not SQL is deriving missing confidence limits from counts: it needs chi-square quantiles (exact
limits below 10 events), so it runs the same vectorised scipy code as the reference over the whole
column at once (never a loop per series).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import numpy as np

from indicators.areas import NEAREST_NEIGHBOURS_GROUP
from indicators.methods import confidence, labels
from indicators.methods.confidence import DERIVATION_BY_VALUE_TYPE, Z95, Z998, derive_limits
from indicators.methods.trend import CHI2_THRESHOLD
from warehouse.sqlfiles import fetch_one, run, sql_text

# step -> (SQL files run in order, the table the step builds). The outcome board runs its own inputs
# (targets, freshness) so that it is complete on its own; they are also steps of their own.
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "observations": (("methods/00_current_observations.sql",), "mart.observation_current"),
    "quartile_positions": (("methods/10_quartile_positions.sql",), "mart.quartile_position_by_series"),
    "trends": (("methods/20_trends.sql",), "mart.trend"),
    "benchmark_comparisons": (("methods/30_benchmark_comparisons.sql",), "mart.benchmark_comparison_by_series"),
    "target_status": (("methods/40_target_status.sql",), "mart.target_status"),
    "freshness": (("methods/50_freshness.sql",), "mart.freshness"),
    "outcome_board": (("methods/40_target_status.sql", "methods/50_freshness.sql", "methods/90_outcome_board.sql"),
                      "mart.outcome_board"),
}

# step -> (the view that joins its table's rows to their series' names, the view's name). The step's table holds
# series_id and what the step computes, not the names: writing them with each of 10 million rows took about 4 of
# the quartile step's 10 s and 3 of the comparison step's 4.7 s (bench/pipeline.py). Made by a full computation;
# an incremental one replaces rows in the tables the view reads. A working database made before these views holds
# a table of that name, which is dropped first.
NAMED_VIEWS: dict[str, tuple[str, str]] = {
    "quartile_positions": ("methods/11_quartile_position_view.sql", "mart.quartile_position"),
    "benchmark_comparisons": ("methods/31_benchmark_comparison_view.sql", "mart.benchmark_comparison"),
}
_IS_TABLE = ("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
             "AND schema_name = $schema AND table_name = $table")
_FORGET = "DELETE FROM {table} WHERE $every OR list_contains($indicators, indicator_id)"

PARAMS = {
    "not_ranked": labels.NOT_RANKED,
    "quartile_method": labels.QUARTILE_METHOD,
    "trend_method": labels.TREND_METHOD,
    "direction_method": labels.DIRECTION_METHOD,
    "benchmark_method": labels.BENCHMARK_METHOD,
    "benchmark_two_level_method": labels.BENCHMARK_TWO_LEVEL_METHOD,
    "target_method": labels.TARGET_METHOD,
    "cannot": labels.CANNOT_BE_CALCULATED,
    "no_change": labels.NO_SIGNIFICANT_CHANGE,
    "reason_not_annual": labels.REASON_NOT_ANNUAL,
    "reason_too_few": labels.REASON_TOO_FEW,
    "reason_loo": labels.REASON_LOO,
    "trend_agrees": labels.TREND_AGREES,
    "trend_disagrees": labels.TREND_DISAGREES,
    "trend_insufficient": labels.TREND_INSUFFICIENT,
    "trend_not_published": labels.TREND_NOT_PUBLISHED,
    "not_comparable": labels.NOT_COMPARABLE,
    "significant": labels.SIGNIFICANT,
    "not_significant": labels.NOT_SIGNIFICANT,
    "no_cis": labels.NO_CONFIDENCE_INTERVALS,
    "not_compared": labels.NOT_COMPARED,
    "green": labels.GREEN,
    "amber": labels.AMBER,
    "red": labels.RED,
    "target_no_value": labels.TARGET_NO_VALUE,
    "target_before_baseline": labels.TARGET_BEFORE_BASELINE,
    "target_no_baseline": labels.TARGET_NO_BASELINE,
    "target_no_benchmark": labels.TARGET_NO_BENCHMARK,
    "no_data": labels.NO_DATA,
    "chi2_threshold": CHI2_THRESHOLD,
    "nearest_neighbours": NEAREST_NEIGHBOURS_GROUP,
}

# Steps whose work grows with the data: recomputed for the changed indicators only in an incremental run.
SCOPED_STEPS = ("observations", "quartile_positions", "trends", "benchmark_comparisons")
SCOPE_SQL = ("CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {table} "
             "WHERE list_contains($indicators, indicator_id)")
_CREATE = re.compile(r"CREATE OR REPLACE TABLE (mart\.\w+) AS", re.I)

# The Python a computation runs besides the SQL: the limits derived from counts, and this module (the statements
# that read and write them, the parameters bound into the SQL). Part of the methods' digest (_methods_digest): any
# edit to these files, a comment too, makes the next computation after an upgrade a full one (the safe side).
METHOD_PYTHON = (Path(confidence.__file__), Path(__file__))

# What every figure depends on besides observations: a change here makes the next computation full.
REFERENCE_TABLES = ("ref.indicator", "ref.target", "ref.target_point", "ref.break_note", "ref.area",
                    "ref.aggregate_component", "ref.comparator_group", "ref.label", "ref.setting")
STATE_SQL = """
CREATE TABLE IF NOT EXISTS core.compute_state (computed_through_load BIGINT, reference_fingerprint VARCHAR,
    withdrawn_loads BIGINT);
CREATE TABLE IF NOT EXISTS core.compute_scope (full_run BOOLEAN, indicators VARCHAR[]);
ALTER TABLE core.compute_scope ADD COLUMN IF NOT EXISTS basis VARCHAR;
CREATE TABLE IF NOT EXISTS core.compute_done (step VARCHAR, through_load BIGINT, reference_fingerprint VARCHAR);
"""  # compute_scope.basis and compute_done.reference_fingerprint hold a basis (_basis: fingerprint and withdrawals)
CHANGED_INDICATORS_SQL = """
SELECT DISTINCT indicator_id FROM core.observation
WHERE load_id > $through OR superseded_by_load > $through ORDER BY indicator_id
"""
LOADS_SQL = "SELECT coalesce(max(load_id), 0), count(*) FILTER (WHERE withdrawn_at IS NOT NULL) FROM core.load"

NEEDS_LIMITS_SQL = """
SELECT rowid AS row_id, value_type, multiplier, count,
    coalesce(denominator, 1.0) AS denominator, lower_ci95 IS NULL OR upper_ci95 IS NULL AS need95,
    lower_ci998 IS NULL OR upper_ci998 IS NULL AS need998
FROM {table}
WHERE value IS NOT NULL AND count IS NOT NULL AND count >= 0
  AND (lower_ci95 IS NULL OR upper_ci95 IS NULL OR lower_ci998 IS NULL OR upper_ci998 IS NULL)
  AND (value_type = 'count'
       OR (value_type = 'proportion' AND denominator > 0 AND count <= denominator)
       OR (value_type = 'crude_rate' AND denominator > 0))
"""

APPLY_LIMITS_SQL = """
UPDATE {table} AS o SET
    lower_ci95 = CASE WHEN d.need95 THEN d.lower95 ELSE o.lower_ci95 END,
    upper_ci95 = CASE WHEN d.need95 THEN d.upper95 ELSE o.upper_ci95 END,
    lower_ci998 = CASE WHEN d.need998 THEN d.lower998 ELSE o.lower_ci998 END,
    upper_ci998 = CASE WHEN d.need998 THEN d.upper998 ELSE o.upper_ci998 END,
    ci_method = CASE WHEN d.need95 THEN d.method ELSE o.ci_method END
FROM _derived_limits d
WHERE o.rowid = d.row_id
"""


def derive_missing_limits(con: duckdb.DuckDBPyConnection, table: str = "mart.observation_current") -> int:
    """Fill missing 95% and 99.8% limits from counts (Wilson for proportions, Byar for crude rates and
    counts; METHODS.md section 6) for the whole table at once; returns the rows filled. ``table``: ours."""
    need = con.execute(NEEDS_LIMITS_SQL.format(table=table)).df()
    if need.empty:
        return 0
    need["method"] = need["value_type"].map(DERIVATION_BY_VALUE_TYPE)
    is_count = (need["value_type"] == "count").to_numpy()
    multiplier = np.where(is_count, 1.0, need["multiplier"].to_numpy(dtype=float))
    denominator = np.where(is_count, 1.0, need["denominator"].to_numpy(dtype=float))
    count = need["count"].to_numpy(dtype=float)
    for suffix, z in (("95", Z95), ("998", Z998)):
        lower = np.empty(len(need))
        upper = np.empty(len(need))
        for method in need["method"].unique():
            rows = (need["method"] == method).to_numpy()
            lower[rows], upper[rows] = derive_limits(method, count[rows], denominator[rows], multiplier[rows], z)
        need[f"lower{suffix}"], need[f"upper{suffix}"] = lower, upper
    con.register("_derived_limits", need)
    try:
        con.execute(APPLY_LIMITS_SQL.format(table=table))
    finally:
        con.unregister("_derived_limits")
    return len(need)


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The reference tables (labels and settings included) and the methods (:func:`_methods_digest`): a change to
    either makes the next computation a full one, so rows computed by other methods, or in another layout, are not
    kept beside new ones."""
    parts = [str(fetch_one(con, f"SELECT md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) "
                                f"FROM {table} t")[0]) for table in REFERENCE_TABLES]  # table names: constants
    return "|".join([*parts, _methods_digest()])


def _methods_digest() -> str:
    """The methods' SQL, the words and thresholds bound into it (PARAMS) and the source of the Python a computation
    runs besides it (METHOD_PYTHON): after an upgrade that changes how limits are derived from counts, say, an
    incremental run would otherwise keep the unchanged indicators' figures from the old code."""
    files = sorted({f for files, _ in STEPS.values() for f in files} | {f for f, _ in NAMED_VIEWS.values()})
    parts = [*(sql_text(f) for f in files), repr(sorted(PARAMS.items())),
             *(path.read_text(encoding="utf-8") for path in METHOD_PYTHON)]
    return hashlib.md5("\0".join(parts).encode()).hexdigest()


def _basis(fingerprint: str, withdrawn: int) -> str:
    """What a computation rests on besides the loads: the reference data and methods, and the withdrawals."""
    return f"{fingerprint}|withdrawn {withdrawn}"


def plan_scope(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """Which indicators this run must recompute, and record it for the steps (:func:`current_scope`):
    None = every indicator (no completed computation yet, or the reference data or withdrawals changed),
    else the indicators with observations loaded or superseded since the last completed computation. The
    basis it was planned on is recorded with it: a step that recomputes only these indicators is as current as
    that basis, even if the reference data changed since (:func:`_record_done`)."""
    con.execute(STATE_SQL)
    state = fetch_one(con, "SELECT computed_through_load, reference_fingerprint, withdrawn_loads "
                           "FROM core.compute_state")
    _, withdrawn = fetch_one(con, LOADS_SQL)
    fingerprint = _fingerprint(con)
    scope: list[str] | None = None
    if state is not None and state[1] == fingerprint and state[2] == withdrawn:
        scope = [i for (i,) in con.execute(CHANGED_INDICATORS_SQL, {"through": state[0]}).fetchall()]
    con.execute("DELETE FROM core.compute_scope")
    con.execute("INSERT INTO core.compute_scope (full_run, indicators, basis) VALUES ($full, $indicators, $basis)",
                {"full": scope is None, "indicators": scope or [], "basis": _basis(fingerprint, withdrawn)})
    return scope


def current_scope(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """The scope :func:`plan_scope` recorded for this run (None = every indicator)."""
    con.execute(STATE_SQL)
    found = fetch_one(con, "SELECT full_run, indicators FROM core.compute_scope")
    return None if found is None or found[0] else list(found[1])


def mark_computed(con: duckdb.DuckDBPyConnection) -> bool:
    """Record what the method tables now reflect, so the next run starts from there: the loads through the
    oldest any step that scales with the data (SCOPED_STEPS) read, when each of them ran with today's reference
    data and methods (else nothing is recorded, and the next run recomputes everything since the last record).
    Returns whether they reflect every load. Why: a run may compute only some steps (a selection of Dagster
    assets, a run stopped between steps); recording every load then would leave what the steps that did not
    run missed behind for good."""
    con.execute(STATE_SQL)
    done = {step: (through, basis) for step, through, basis in
            con.execute("SELECT step, through_load, reference_fingerprint FROM core.compute_done").fetchall()}
    fingerprint = _fingerprint(con)
    latest, withdrawn = fetch_one(con, LOADS_SQL)
    basis = _basis(fingerprint, withdrawn)
    if any(step not in done or done[step][0] is None or done[step][1] != basis for step in SCOPED_STEPS):
        return False
    through = min(done[step][0] for step in SCOPED_STEPS)
    con.execute("DELETE FROM core.compute_state")
    con.execute("INSERT INTO core.compute_state VALUES ($through, $fingerprint, $withdrawn)",
                {"through": through, "fingerprint": fingerprint, "withdrawn": withdrawn})
    return through == latest


def _record_done(con: duckdb.DuckDBPyConnection, step: str, through: int | None, scoped: bool) -> None:
    """``step`` ran on the observations of the loads through ``through`` (for mark_computed), on today's basis
    when it computed every indicator, else on the basis its scope was planned on (a scope planned before the
    reference data changed or a load was withdrawn leaves out indicators that change makes stale)."""
    con.execute(STATE_SQL)
    if scoped:
        found = fetch_one(con, "SELECT basis FROM core.compute_scope")
        basis = "" if found is None or found[0] is None else str(found[0])  # no plan recorded: never current
    else:
        basis = _basis(_fingerprint(con), fetch_one(con, LOADS_SQL)[1])
    con.execute("DELETE FROM core.compute_done WHERE step = $step", {"step": step})
    con.execute("INSERT INTO core.compute_done VALUES ($step, $through, $basis)",
                {"step": step, "through": through, "basis": basis})


def _observations_through(con: duckdb.DuckDBPyConnection, step: str) -> int | None:
    """The loads a step that scales with the data reads: every load for the observations step (they are read
    now), else those the observations step last read."""
    con.execute(STATE_SQL)
    if step == "observations":
        return int(fetch_one(con, LOADS_SQL)[0])
    found = fetch_one(con, "SELECT through_load FROM core.compute_done WHERE step = 'observations'")
    return None if found is None else found[0]


def _scoped_run(con: duckdb.DuckDBPyConnection, step: str, params: dict, indicators: Sequence[str]) -> None:
    """Run ``step``'s SQL over the given indicators' rows only and replace their rows in its table."""
    files, table = STEPS[step]
    scope = {"indicators": list(indicators)}
    if step == "observations":
        con.execute(SCOPE_SQL.format(name="_scope_core", table="core.observation"), scope)
        sources = {"core.observation": "_scope_core"}
    else:
        con.execute(SCOPE_SQL.format(name="_scope_current", table="mart.observation_current"), scope)
        sources = {"mart.observation_current": "_scope_current"}
    for file in files:
        sql = _CREATE.sub("CREATE OR REPLACE TEMP TABLE _step_result AS", sql_text(file), count=1)
        for name, scoped in sources.items():
            sql = sql.replace(name, scoped)
        run(con, sql, params)
    if step == "observations":  # series ids start with the indicator's number: no clash with the others'
        derive_missing_limits(con, "_step_result")
    con.execute(f"DELETE FROM {table} WHERE list_contains($indicators, indicator_id)", scope)
    con.execute(f"INSERT INTO {table} SELECT * FROM _step_result")
    if step == "observations":
        _forget_named_rows(con, indicators)
    con.execute("DROP TABLE IF EXISTS _step_result; DROP TABLE IF EXISTS _scope_core; "
                "DROP TABLE IF EXISTS _scope_current")


def compute_step(con: duckdb.DuckDBPyConnection, step: str, run_date: date | None = None,
                 indicators: Sequence[str] | None = None) -> int:
    """Rebuild one method table; returns its row count. ``run_date`` (default today) is the date the
    freshness of each indicator is judged against. ``indicators``: recompute only these (an incremental
    run, steps in SCOPED_STEPS; the method tables must exist); None = every indicator."""
    files, table = STEPS[step]
    params = {**PARAMS, "run_date": run_date or date.today()}
    through = _observations_through(con, step) if step in SCOPED_STEPS else None
    if indicators is not None and step in SCOPED_STEPS:
        if indicators:
            _scoped_run(con, step, params, indicators)
        _record_done(con, step, through, scoped=True)
        return int(fetch_one(con, f"SELECT count(*) FROM {table}")[0])  # table names are constants
    for file in files:
        run(con, sql_text(file), params)
    if step == "observations":
        derive_missing_limits(con)
        _forget_named_rows(con, None)
    if step in NAMED_VIEWS:
        _make_named_view(con, *NAMED_VIEWS[step])
    if step in SCOPED_STEPS:
        _record_done(con, step, through, scoped=False)
    return int(fetch_one(con, f"SELECT count(*) FROM {table}")[0])  # table names are constants


def _is_table(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    return bool(fetch_one(con, _IS_TABLE, {"schema": schema, "table": name})[0])


def _make_named_view(con: duckdb.DuckDBPyConnection, file: str, view: str) -> None:
    if _is_table(con, view):
        con.execute(f"DROP TABLE {view}")  # a name of ours (NAMED_VIEWS)
    run(con, sql_text(file))


def _forget_named_rows(con: duckdb.DuckDBPyConnection, indicators: Sequence[str] | None) -> None:
    """Delete the rows of the tables behind NAMED_VIEWS for ``indicators`` (None: every one) once their
    observations were recomputed. Why: the observations step numbers areas and breakdowns afresh, so until the
    quartile and comparison steps run again (a run that stops between steps, or a selection of assets), their
    old rows would be joined to other series, a rank shown against the wrong area. The views show nothing for
    those indicators meanwhile, and what the steps after the observations recorded (:func:`mark_computed`) no
    longer holds: they must run again before the loads count as computed."""
    con.execute(STATE_SQL)
    con.execute("DELETE FROM core.compute_done WHERE step <> 'observations'")
    for step in NAMED_VIEWS:
        table = STEPS[step][1]
        if _is_table(con, table):
            con.execute(_FORGET.format(table=table),  # a name of ours (STEPS)
                        {"every": indicators is None, "indicators": list(indicators or [])})
