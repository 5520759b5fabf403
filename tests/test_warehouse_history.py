"""Loading keeps history: idempotent loads, revisions, withdrawals, as-at reconstruction, row accounting.

Files are small Fingertips exports of the child injury admissions indicator (90284, low is good) written
here, loaded with the real validation and load path at fixed times, so every timestamp in an assertion is
known.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import warehouse.load as warehouse_load
from sources.canonical import KEY_COLUMNS
from sources.sample import FINGERTIPS_HEADER
from sources.validate import validate_file
from tests.harness.contents import differences, view_contents
from tests.harness.pipeline import load_and_publish
from warehouse.as_at import parse_as_at, warehouse_as_at
from warehouse.connection import connect_read_only, connect_working
from warehouse.paths import WarehousePaths
from warehouse.publish import publish
from warehouse.rebuild import rebuild_methods
from warehouse.schema import WarehouseSchemaMismatch, ensure_schema
from warehouse.withdraw import WithdrawError, withdraw_load

HOME, LINCS, NORFOLK = "E10000018", "E10000019", "E10000020"
T1, T2, T3, T4 = (datetime(2024, 4, 10, 9), datetime(2024, 7, 10, 9), datetime(2024, 10, 10, 9),
                  datetime(2025, 1, 10, 9))
KEY_SQL = "SELECT value, change, load_id, source_file, source_row FROM observations WHERE area_code = ? AND period = ?"


def neet_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A Fingertips CSV export of indicator 90284 with (area, period, value) rows, 95% CI value -/+ 1."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FINGERTIPS_HEADER)
        for area, period, value in rows:
            row = dict.fromkeys(FINGERTIPS_HEADER, "")
            row.update({"Indicator ID": "90284", "Area Code": area, "Sex": "Persons", "Age": "<15 yrs",
                        "Time period": period, "Value": value})
            if value.replace(".", "").isdigit():
                row.update({"Lower CI 95.0 limit": float(value) - 1, "Upper CI 95.0 limit": float(value) + 1})
            writer.writerow([row[h] for h in FINGERTIPS_HEADER])
    return path


@pytest.fixture
def warehouse(tmp_path, areas, groups, settings, context):
    """Load files and publish at chosen times, the way the pipeline does, without Dagster."""
    paths = WarehousePaths(tmp_path / "wh" / "outcomes.duckdb")

    def load(files: list[Path], now: datetime) -> list:
        return load_and_publish(paths, files, context, areas, groups, settings, now)

    def withdraw(load_id: int, now: datetime, reason: str = "wrong extract"):
        with connect_working(paths.working) as con:
            done = withdraw_load(con, load_id, reason, by="tester", now=now)
            rebuild_methods(con)
        publish(paths, now=now)
        return done

    def sql(text: str, params: list | None = None) -> list[tuple]:
        with connect_read_only(paths.published) as con:
            return con.execute(text, params or []).fetchall()

    return paths, load, withdraw, sql


@pytest.fixture
def deliveries(tmp_path) -> tuple[Path, Path]:
    """First delivery, then a revised one: same 2022/23 value, a revised 2023/24 value, a new area."""
    first = neet_file(tmp_path / "neet_2024_04.csv",
                      [(HOME, "2022/23", "10.0"), (HOME, "2023/24", "12.0"), (LINCS, "2023/24", "9.0")])
    second = neet_file(tmp_path / "neet_2024_07.csv",
                       [(HOME, "2022/23", "10.0"), (HOME, "2023/24", "11.5"), (NORFOLK, "2023/24", "8.0")])
    return first, second


def test_a_load_without_current_revisions_stores_what_comparing_them_would(sample_dir, tmp_path, areas, groups,
                                                                         settings, context, monkeypatch):
    """A file whose indicators have no current revision is loaded without the comparison (warehouse.load
    ._classify); the revisions, deliveries and counts are those the comparison gives."""
    files = sorted(sample_dir.iterdir())
    statements: list[str] = []
    run_named = warehouse_load.run_named

    def recording(con, file, name, params=None):
        statements.append(name)
        return run_named(con, file, name, params)

    monkeypatch.setattr(warehouse_load, "run_named", recording)

    def stored(folder: str) -> tuple[list, ...]:
        paths = WarehousePaths(tmp_path / folder / "outcomes.duckdb")
        load_and_publish(paths, files, context, areas, groups, settings, T1)
        with connect_read_only(paths.working) as con:
            return tuple(con.execute(sql).fetchall() for sql in (
                "SELECT * EXCLUDE (revision_id) FROM core.observation ORDER BY ALL",
                "SELECT d.load_id, d.source_row, o.indicator_id, o.area_code, o.period, o.sex, o.age, o.category_type,"
                " o.category FROM core.delivery d JOIN core.observation o USING (revision_id) ORDER BY ALL",
                "SELECT load_id, rows_new, rows_revised, rows_unchanged FROM core.load ORDER BY ALL"))

    skipping = stored("skipping")
    assert statements.count("classify_all_new") >= 5 and len(skipping[0]) > 1000
    statements.clear()
    query = warehouse_load.load_query
    monkeypatch.setattr(warehouse_load, "load_query",
                        lambda name: "SELECT true" if name == "any_current_revision" else query(name))
    comparing = stored("comparing")
    assert "classify_all_new" not in statements and "classify_incoming" in statements
    assert skipping == comparing


def test_the_same_bytes_twice_change_nothing(sample_dir, tmp_path, warehouse):
    paths, load, _, _ = warehouse
    files = sorted(sample_dir.iterdir())
    load(files, T1)
    before = view_contents(paths.published)
    with connect_read_only(paths.working) as con:
        stored = con.execute("SELECT (SELECT count(*) FROM core.observation), (SELECT count(*) FROM core.delivery),"
                             " (SELECT count(*) FROM core.load)").fetchall()
    renamed = tmp_path / "same_bytes_other_name.csv"
    renamed.write_bytes(files[0].read_bytes())
    again = load([*files, renamed], T2)
    assert [d.result for d in again] == [None] * (len(files) + 1)  # judged by checksum, not validated again
    assert {d.outcome.duplicate_of for d in again} == set(range(1, len(files) + 1))
    with connect_read_only(paths.working) as con:
        assert con.execute("SELECT (SELECT count(*) FROM core.observation), (SELECT count(*) FROM core.delivery),"
                           " (SELECT count(*) FROM core.load)").fetchall() == stored
    assert differences(view_contents(paths.published), before) == []


def test_a_revision_supersedes_and_the_old_value_stays_queryable(warehouse, deliveries):
    _, load, _, sql = warehouse
    load([deliveries[0]], T1)
    load([deliveries[1]], T2)
    assert sql("SELECT load_id, rows_new, rows_revised, rows_unchanged FROM loads ORDER BY load_id") == [
        (1, 3, 0, 0), (2, 1, 1, 1)]
    assert sql(KEY_SQL, [HOME, "2023/24"]) == [(11.5, "revised", 2, "neet_2024_07.csv", 3)]
    assert sql(KEY_SQL, [HOME, "2022/23"]) == [(10.0, "new", 1, "neet_2024_04.csv", 2)]  # unchanged: no new revision
    history = sql("SELECT value, load_id, loaded_at, superseded_at, superseded_by, superseded_by_load, is_current "
                  "FROM observation_history WHERE area_code = ? AND period = '2023/24' ORDER BY loaded_at", [HOME])
    assert history == [(12.0, 1, T1, T2, "revision", 2, False), (11.5, 2, T2, None, None, None, True)]
    assert sql("SELECT count(*) FROM observations") == [(4,)]
    # What the warehouse said between the two loads:
    assert sql("SELECT area_code, period, value FROM observations_as_at(?) ORDER BY ALL", [T1 + timedelta(days=1)]) == [
        (HOME, "2022/23", 10.0), (HOME, "2023/24", 12.0), (LINCS, "2023/24", 9.0)]


def test_withdrawing_a_revision_brings_the_earlier_value_back(warehouse, deliveries):
    _, load, withdraw, sql = warehouse
    load([deliveries[0]], T1)
    load([deliveries[1]], T2)
    done = withdraw(2, T3)
    assert (done.rows_closed, done.rows_reinstated) == (2, 1)  # 2023/24 revised + Norfolk new; 2022/23 was load 1's
    assert sql(KEY_SQL, [HOME, "2023/24"]) == [(12.0, "reinstated", 1, "neet_2024_04.csv", 3)]
    assert sql("SELECT count(*) FROM observations WHERE area_code = ?", [NORFOLK]) == [(0,)]
    assert sql("SELECT load_id, withdrawn_at, withdrawn_reason, withdrawn_by FROM loads WHERE withdrawn_at IS NOT NULL"
               ) == [(2, T3, "wrong extract", "tester")]
    # Nothing lost: every revision is still there, with how and when it ended.
    assert sql("SELECT value, change, superseded_by, load_withdrawn FROM observation_history "
               "WHERE area_code = ? AND period = '2023/24' ORDER BY revision_id", [HOME]) == [
        (12.0, "new", "revision", False), (11.5, "revised", "withdrawal", True), (12.0, "reinstated", None, False)]
    assert sql("SELECT superseded_by FROM observation_history WHERE area_code = ?", [NORFOLK]) == [("withdrawal",)]


def test_withdrawing_the_latest_of_three_brings_back_the_second(warehouse, deliveries, tmp_path):
    _, load, withdraw, sql = warehouse
    third = neet_file(tmp_path / "neet_2024_10.csv", [(HOME, "2023/24", "11.0")])
    load([deliveries[0]], T1)
    load([deliveries[1]], T2)
    load([third], T3)
    withdraw(3, T4)
    assert sql(KEY_SQL, [HOME, "2023/24"]) == [(11.5, "reinstated", 2, "neet_2024_07.csv", 3)]
    withdraw(2, T4 + timedelta(days=1))
    assert sql(KEY_SQL, [HOME, "2023/24"]) == [(12.0, "reinstated", 1, "neet_2024_04.csv", 3)]


def test_withdrawing_the_first_delivery_keeps_what_a_later_file_confirmed(warehouse, deliveries):
    _, load, withdraw, sql = warehouse
    load([deliveries[0]], T1)
    load([deliveries[1]], T2)
    done = withdraw(1, T3)
    assert (done.rows_closed, done.rows_reinstated) == (2, 1)  # 2022/23 (confirmed by load 2) and Lincolnshire
    assert sql(KEY_SQL, [HOME, "2022/23"]) == [(10.0, "reinstated", 2, "neet_2024_07.csv", 2)]
    assert sql(KEY_SQL, [HOME, "2023/24"]) == [(11.5, "revised", 2, "neet_2024_07.csv", 3)]
    assert sql("SELECT count(*) FROM observations WHERE area_code = ?", [LINCS]) == [(0,)]


def test_reloading_a_withdrawn_file_is_a_new_load(warehouse, deliveries):
    _, load, withdraw, sql = warehouse
    load([deliveries[0]], T1)
    load([deliveries[1]], T2)
    withdraw(2, T3)
    (again,) = load([deliveries[1]], T4)
    assert again.outcome.load_id == 3 and again.result is not None
    assert sql(KEY_SQL, [HOME, "2023/24"]) == [(11.5, "revised", 3, "neet_2024_07.csv", 3)]


def test_withdraw_refuses_what_it_cannot_do(warehouse, deliveries):
    paths, load, withdraw, _ = warehouse
    load([deliveries[0]], T1)
    with pytest.raises(WithdrawError, match="no load 9"):
        withdraw(9, T2)
    withdraw(1, T2)
    with pytest.raises(WithdrawError, match="already withdrawn on 2024-07-10"):
        withdraw(1, T3)
    with connect_working(paths.working) as con, pytest.raises(WithdrawError, match="reason"):
        withdraw_load(con, 1, "  ")


def test_as_at_reproduces_what_each_published_snapshot_said(warehouse, deliveries, sample_dir):
    paths, load, withdraw, sql = warehouse
    said = {}
    load([*sorted(sample_dir.glob("*.csv"))[:2], deliveries[0]], T1)
    said[T1] = view_contents(paths.published)
    load([deliveries[1]], T2)
    said[T2] = view_contents(paths.published)
    withdraw(3, T3)
    said[T3] = view_contents(paths.published)
    assert said[T1] != said[T2] != said[T3]
    for moment, contents in said.items():
        with warehouse_as_at(paths.published, moment + timedelta(days=30)) as rebuilt:
            assert differences(view_contents(rebuilt), contents) == [], moment
            with connect_read_only(rebuilt) as con:
                assert con.execute("SELECT as_at FROM snapshot_info").fetchall() == [(moment + timedelta(days=30),)]
    # The macro gives the same observations without a rebuild.
    columns = "indicator_id, area_code, period, sex, age, category_type, category, value, change, source_file"
    with warehouse_as_at(paths.published, T2) as rebuilt, connect_read_only(rebuilt) as con:
        expected = sorted(con.execute(f"SELECT {columns} FROM observations").fetchall())
    assert sorted(sql(f"SELECT {columns} FROM observations_as_at(?)", [T2])) == expected


def test_parse_as_at():
    assert parse_as_at("2024-07-01") == datetime(2024, 7, 1, 23, 59, 59, 999999)
    assert parse_as_at("2024-07-01T09:30") == datetime(2024, 7, 1, 9, 30)
    with pytest.raises(ValueError, match="not a date"):
        parse_as_at("July")


def test_every_row_is_accounted_for_in_loads(warehouse, tmp_path):
    _, load, _, sql = warehouse
    path = neet_file(tmp_path / "neet_mixed.csv", [(HOME, "2023/24", "10.5"), (HOME, "2022/23", "abc"),
                                                   ("E07000129", "2023/24", "9"), ("W06000001", "2023/24", "9"),
                                                   (LINCS, "2023/24", "8")])
    load([path], T1)
    assert sql("SELECT rows_read, rows_accepted, rows_rejected, rows_skipped, skip_reasons, skip_reasons_text, "
               "reconciles, status FROM loads") == [
        (5, 2, 1, 2, {"area outside the register (e.g. a district or a non-English area)": 2},
         "area outside the register (e.g. a district or a non-English area): 2", True, "accepted_with_rejections")]
    assert sql("SELECT source_file, source_row, column_name, value, reason FROM rejected_rows") == [
        ("neet_mixed.csv", 3, "Value", "abc", "value is not a number")]


def test_a_working_database_of_another_schema_version_is_refused(tmp_path):
    old = tmp_path / "working.duckdb"
    with duckdb.connect(str(old)) as con:  # the walking skeleton's layout: no schema_version, no revision ids
        con.execute("CREATE SCHEMA core; CREATE TABLE core.observation (load_id BIGINT, value DOUBLE)")
    with connect_working(old) as con, pytest.raises(WarehouseSchemaMismatch, match="schema version 1"):
        ensure_schema(con)


@pytest.mark.real_data
def test_real_fingertips_files_load_once_reconcile_and_withdraw(real_data, warehouse, context):
    """OHID's own 2022/23 export of indicator 90284 (upper-tier authorities, then regions)."""
    _, load, withdraw, sql = warehouse
    files = [real_data / "fingertips" / "dfe_csc_la_hospital_admissions_2223_ind90284.csv",
             real_data / "fingertips" / "dfe_csc_region_hospital_admissions_2223_ind90284.csv"]
    done = load(files, T1)
    judged = [d.result for d in done]
    assert sql("SELECT rows_read, rows_accepted, rows_rejected, rows_skipped, reconciles FROM loads ORDER BY load_id"
               ) == [(r.rows_read, r.rows_accepted, r.rows_rejected, r.rows_skipped, True) for r in judged]
    assert sql("SELECT count(*) FROM rejected_rows") == [(sum(len(r.rejected) for r in judged),)]
    # loaded files release their accepted rows (judged on the loader's connection): judge them again; England in both
    keys = pd.concat([validate_file(f, context).accepted for f in files]).drop_duplicates(KEY_COLUMNS)
    assert len(keys) < sum(r.rows_accepted for r in judged)
    assert sql("SELECT count(*) FROM observations") == [(len(keys),)]
    assert [d.result for d in load(files, T2)] == [None, None]  # the same bytes again: nothing
    done = withdraw(1, T3)
    assert sql("SELECT count(*) FROM observations") == [(judged[1].rows_accepted,)]
    assert sql("SELECT DISTINCT load_id FROM observations") == [(2,)]  # England now from the regional file
    assert sql("SELECT count(*) FROM observation_history") == [(len(keys) + done.rows_reinstated,)]
