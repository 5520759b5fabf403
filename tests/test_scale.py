"""National scale: the generator's scale option, DuckDB's CSV reader against Python's, incremental recompute.

Speed is measured by ``python -m bench pipeline``, never here; these tests hold the fast paths to the same
results as the plain ones, on small inputs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import sources.rawtable
import warehouse.compute
import warehouse.ingest
from indicators.catalogue import load_catalogue
from sources.adapters.fingertips_csv import FINGERTIPS_HEADER
from sources.sample import NATIONAL_PREFIX, NationalSizes, write_national_catalogue, write_national_sample
from sources.validate import SKIP_UNKNOWN_INDICATOR, FileResult, ValidationContext, validate_file
from warehouse.compute import NAMED_VIEWS, SCOPED_STEPS, STEPS, compute_step, mark_computed, plan_scope
from warehouse.connection import connect_working
from warehouse.ingest import ingest
from warehouse.reference import write_reference
from warehouse.sqlfiles import sql_text
from warehouse.withdraw import withdraw_load

SIZES = NationalSizes(rows=30_000, files=4)
METHOD_TABLES = ["mart.observation_current", "mart.quartile_position", "mart.trend", "mart.benchmark_comparison",
                 "mart.outcome_board"]


@pytest.fixture(scope="module")
def national(tmp_path_factory, areas, groups, settings):
    folder = tmp_path_factory.mktemp("national")
    layer = write_national_catalogue(folder / "layer.yaml", SIZES)
    catalogue = load_catalogue([layer], include_env=False)
    files = write_national_sample(folder / "landing", catalogue, areas, groups, settings, sizes=SIZES)
    return folder, catalogue, files


def test_national_sample_is_deterministic_realistic_and_accepted(national, tmp_path, areas, groups, settings):
    _folder, catalogue, files = national
    again = write_national_sample(tmp_path, catalogue, areas, groups, settings, sizes=SIZES)
    assert [p.read_bytes() for p in files] == [p.read_bytes() for p in again]
    assert {p.suffix for p in files} == {".csv", ".xlsx"}  # Fingertips exports and the returns template
    context = ValidationContext(catalogue, areas)
    results = [validate_file(p, context) for p in files]
    assert all(r.reconciles and r.rows_rejected == 0 and r.file_error is None for r in results)
    frame = pd.concat([r.accepted for r in results])
    assert 0.8 * SIZES.rows <= len(frame) <= 1.2 * SIZES.rows
    national_ids = {i.id for i in catalogue if i.id.startswith(NATIONAL_PREFIX)}
    assert set(frame.indicator_id) == national_ids
    assert frame.area_code.nunique() >= 150  # every upper-tier authority, the regions and England
    assert {"Persons", "Male", "Female"} <= set(frame.sex)
    assert frame.value.isna().mean() > 0.005  # suppressed cells, with their note
    assert (frame.loc[frame.value.isna(), "value_note"] != "").all()
    assert (frame.period_type == "quarter").any() and (frame.period_type == "financial_year").any()
    with_ci = frame.dropna(subset=["lower_ci95"])
    assert ((with_ci.lower_ci95 <= with_ci.value) & (with_ci.value <= with_ci.upper_ci95)).all()


def _awkward_fingertips(path: Path) -> Path:
    """Quoted commas and line breaks, HTML notes, thousands separators, markers, a bad number, a district."""
    rows = []
    for n, (value, count, note) in enumerate([("45.9", "1,234", '<span class="x">Estimated</span>'),
                                              ("", "", "<span>Value suppressed</span>"), ("x", "", ""),
                                              ("4o.2", "12", ""), ("40.2", "2,000", "")]):
        row = dict.fromkeys(FINGERTIPS_HEADER, "")
        row |= {"Indicator ID": "90284", "Indicator Name": "Admissions,\nunder 15s", "Area Code": "E10000018",
                "Sex": "Persons", "Age": "<15 yrs", "Time period": f"{2015 + n}/{16 + n}", "Value": value,
                "Count": count, "Denominator": "150000", "Value note": note}
        rows.append(row)
    rows.append(rows[0] | {"Area Code": "E07000129", "Area Name": "Blaby"})
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FINGERTIPS_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _judged_by_duckdb(path: Path, context, monkeypatch) -> FileResult:
    """``path`` judged with DuckDB's CSV reader, failing if the file falls back to the Python reader."""
    def no_fallback(*_args):
        raise AssertionError("the file went to the Python reader")

    with monkeypatch.context() as patched:
        patched.setattr(sources.rawtable, "table_from_frame", no_fallback)
        return validate_file(path, context)


def _judged_by_python(path: Path, context, monkeypatch) -> FileResult:
    with monkeypatch.context() as patched:
        patched.setattr(sources.rawtable, "_duckdb_can_read", lambda _path: False)
        return validate_file(path, context)


def test_duckdb_csv_reader_judges_as_the_python_reader(tmp_path, context, monkeypatch):
    path = _awkward_fingertips(tmp_path / "awkward.csv")
    fast = _judged_by_duckdb(path, context, monkeypatch)
    plain = _judged_by_python(path, context, monkeypatch)
    assert fast.rows_read == plain.rows_read == 6 and fast.skipped == plain.skipped
    pd.testing.assert_frame_equal(fast.accepted, plain.accepted)
    pd.testing.assert_frame_equal(fast.rejected, plain.rejected)
    assert list(fast.rejected.reason) == ["value is not a number"] and list(fast.rejected.source_row) == [5]
    assert list(fast.accepted.value_note) == ["Estimated", "Value suppressed", "x", ""]
    assert fast.accepted["count"].iloc[0] == 1234


def test_duckdb_csv_reader_trims_cells_and_skips_blank_records_as_the_python_reader(tmp_path, context, monkeypatch):
    """Cells padded with each kind of white space are trimmed, and a record of white space only is not a row,
    by DuckDB's reader (one test per record, sources.rawtable) exactly as by the Python reader."""
    path = tmp_path / "padded.csv"
    # white space at both ends of cells, at their ends only, at their starts only; then a record whose only padded
    # cell is its first (the indicator), and one whose only padded cell is its last filled one (the note)
    padded = [("90284", " E10000018", "45.9 ", "\xa0Estimated\t"), ("90284", "E10000018\t", "12\f", "Provisional "),
              ("90284", "\vE10000018", "3.5", " x"), (" 90284", "E10000018", "4", ""),
              ("90284", "E10000018", "5", "Final\t")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FINGERTIPS_HEADER)
        writer.writeheader()
        for n, (indicator, area, value, note) in enumerate(padded):
            row = dict.fromkeys(FINGERTIPS_HEADER, "")
            row |= {"Indicator ID": indicator, "Area Code": area, "Sex": "Persons", "Age": "<15 yrs",
                    "Time period": f"{2015 + n}/{16 + n}", "Value": value, "Value note": note}
            writer.writerow(row)
            if n < 2:
                writer.writerow(dict.fromkeys(FINGERTIPS_HEADER, " \t") if n == 0 else {})  # blank records
    fast = _judged_by_duckdb(path, context, monkeypatch)
    plain = _judged_by_python(path, context, monkeypatch)
    assert fast.rows_read == plain.rows_read == 5 and fast.rows_accepted == 5
    pd.testing.assert_frame_equal(fast.accepted, plain.accepted)
    assert list(fast.accepted.value) == [45.9, 12.0, 3.5, 4.0, 5.0] and set(fast.accepted.area_code) == {"E10000018"}
    assert list(fast.accepted.value_note) == ["Estimated", "Provisional", "x", "", "Final"]
    assert list(fast.accepted.source_row) == [2, 4, 6, 7, 8]


def test_records_whose_first_required_cell_is_empty_or_spaced_are_judged_cell_by_cell(tmp_path, context,
                                                                                       monkeypatch):
    """DuckDB's reader decides most records are not blank from their first required cell alone (sources.rawtable);
    a record where that cell is empty, white space or starts with white space is still a row when any other cell,
    kept by the adapter or not, holds something, and is blank only when none does, as with the Python reader.
    White space is what Python's str.strip() removes, the ideographic and em spaces included."""
    path = tmp_path / "first_cells.csv"
    records = [{"Indicator ID": "90284", "Value": "45.9"},  # a row
               {"Indicator ID": "", "Value": "12"},  # no indicator: a row (skipped, counted), not blank
               {"Indicator ID": "\xa0"},  # nothing but a no-break space: blank
               {"Parent Code": "E12000004"},  # only a column nobody keeps is filled: a row (skipped)
               {"Indicator ID": "\t90284", "Value": "3.5"},  # padded first cell: a row, trimmed
               {"Indicator ID": " ", "Value note": "\xa0"},  # white space only: blank
               {"Indicator ID": "\u3000", "Value note": "\x1c\u2003"},  # other white space only: blank
               {"Indicator ID": "90284\u2003", "Value": "\u30007.5"}]  # padded with other white space: trimmed
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FINGERTIPS_HEADER)
        writer.writeheader()
        for n, cells in enumerate(records):
            row = dict.fromkeys(FINGERTIPS_HEADER, "")
            if cells.get("Value"):
                row |= {"Area Code": "E10000018", "Sex": "Persons", "Age": "<15 yrs",
                        "Time period": f"{2015 + n}/{16 + n}"}
            writer.writerow(row | cells)
    fast = _judged_by_duckdb(path, context, monkeypatch)
    plain = _judged_by_python(path, context, monkeypatch)
    assert fast.rows_read == plain.rows_read == 5 and fast.rows_accepted == 3
    pd.testing.assert_frame_equal(fast.accepted, plain.accepted)
    pd.testing.assert_frame_equal(fast.rejected, plain.rejected)
    assert fast.skipped == plain.skipped == {SKIP_UNKNOWN_INDICATOR: 2}
    assert list(fast.accepted.source_row) == [2, 6, 9]


def test_files_taken_in_together_run_one_duckdb_thread_per_statement(sample_dir, tmp_path, areas, groups,
                                                                     settings, context, monkeypatch):
    """As many files as judges: DuckDB's threads are 1 while they load (the judges and the loader keep the cores
    busy), and as before afterwards, also when a file fails or the consumer stops early; fewer files keep every
    thread."""
    csvs = sorted(p for p in sample_dir.iterdir() if p.suffix == ".csv")[:7]
    seen: list[int] = []
    load_file = warehouse.ingest.load_file

    def threads(con: duckdb.DuckDBPyConnection) -> int:
        return int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])

    def recording(con: duckdb.DuckDBPyConnection, result: FileResult, now=None):
        seen.append(threads(con))
        if result.path == csvs[4]:
            raise OSError("disk full")
        return load_file(con, result, now)

    def take_in(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list:
        return list(warehouse.ingest.ingest_each(con, files, context, ahead=2))

    monkeypatch.setattr(warehouse.ingest, "load_file", recording)
    with connect_working(tmp_path / "working.duckdb") as con:
        con.execute("SET threads = 2")
        write_reference(con, context.catalogue, areas, groups, settings)
        take_in(con, csvs[:1])
        assert seen == [2] and threads(con) == 2
        take_in(con, csvs[1:3])
        assert seen == [2, 1, 1] and threads(con) == 2
        with pytest.raises(OSError, match="disk full"):
            take_in(con, csvs[3:5])
        assert seen == [2, 1, 1, 1, 1] and threads(con) == 2
        loading = warehouse.ingest.ingest_each(con, csvs[5:7], context, ahead=2)
        next(loading)
        assert seen[-1] == 1 and threads(con) == 1
        loading.close()  # the consumer stops after the first file
        assert threads(con) == 2


def test_incremental_recompute_gives_the_full_recompute(national, tmp_path, areas, groups, settings):
    _, catalogue, files = national
    context = ValidationContext(catalogue, areas)
    landing = tmp_path / "landing"
    landing.mkdir()
    csvs = [p for p in files if p.suffix == ".csv"]
    for path in csvs:
        (landing / path.name).write_bytes(path.read_bytes())
    with connect_working(tmp_path / "working.duckdb") as con:
        write_reference(con, catalogue, areas, groups, settings)
        ingest(con, sorted(landing.iterdir()), context)
        assert plan_scope(con) is None  # nothing computed yet: everything
        for step in STEPS:
            compute_step(con, step)
        mark_computed(con)
        assert plan_scope(con) == []  # nothing changed since

        changed = landing / csvs[0].name  # revise one file: every 10th value 3% higher, its limits dropped
        with changed.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        for n, row in enumerate(rows[1:]):
            if n % 10 == 0 and row[12]:
                row[12], row[13], row[14] = f"{float(row[12]) * 1.03:.4f}", "", ""
        with changed.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        ingest(con, [changed], context)
        scope = plan_scope(con)
        fed = sorted({i.id for i in catalogue if i.source.code in {r[0] for r in rows[1:]}})
        assert scope == fed and 0 < len(scope) < len([i for i in catalogue if i.id.startswith(NATIONAL_PREFIX)])
        for step in STEPS:
            compute_step(con, step, indicators=scope)
        incremental = {t: _table(con, t) for t in METHOD_TABLES}
        for step in STEPS:
            compute_step(con, step)
        for table in METHOD_TABLES:
            pd.testing.assert_frame_equal(incremental[table], _table(con, table), check_dtype=False)


def _table(con, table: str) -> pd.DataFrame:
    return _table_of(con.execute(f"SELECT * EXCLUDE (series_id) FROM {table}" if table.endswith("observation_current")
                                 else f"SELECT * FROM {table}").df())


def test_bench_floor_reads_each_layout_once_and_really_ranks(tmp_path):
    """The benchmark's floor: files grouped by header (one read_csv per layout, every row kept) and a rank
    that DuckDB computes (a bare count over a window lets DuckDB drop the window: the old floor ranked nothing)."""
    from bench.pipeline import FLOOR_RANK, _by_layout, read_floor

    fingertips = ["Indicator ID", "Time period", "Sex", "Value"]
    paths = []
    files = [(fingertips, [["1", "2020/21", "Persons", "3.5"], ["1", "2020/21", "Persons", "2"]]),
             (["Code", "Year", "Amount"], [["E10000018", "2021", "7"]]),
             (fingertips, [["1", "2020/21", "Persons", "2"]])]
    for n, (header, rows) in enumerate(files):
        path = tmp_path / f"f{n}.csv"
        with path.open("w", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])
        paths.append(path)
    assert list(_by_layout(paths).values()) == [[str(paths[0]), str(paths[2])], [str(paths[1])]]
    con = duckdb.connect()
    assert read_floor(con, paths) == 2
    assert con.execute("SELECT count(*) FROM floor").fetchall() == [(4,)]
    assert con.execute(FLOOR_RANK).fetchall() == [(3,)]  # 2, 2, 3.5 rank 1, 1, 3 (ties share a rank)
    plan = con.execute("EXPLAIN " + FLOOR_RANK).fetchall()[0][1]
    assert "WINDOW" in plan.upper()


def test_bench_bare_load_inserts_fingertips_exports_by_header_position(tmp_path):
    """The benchmark's bare load (the take-in without judging): every Fingertips export's rows inserted into
    core.observation with each cell in its column, found by header whatever the column order; blank breakdowns
    take their defaults (the columns are NOT NULL); another layout is left out."""
    from bench.pipeline import bare_load
    from warehouse.paths import WarehousePaths
    from warehouse.schema import ensure_schema

    header = FINGERTIPS_HEADER
    blank = dict.fromkeys(header, "")
    full = {**blank, "Indicator ID": "90", "Area Code": "E10000018", "Time period": "2020/21", "Sex": "Male",
            "Age": "18+ yrs", "Category Type": "Deprivation", "Category": "Most deprived", "Value": "12.5",
            "Lower CI 95.0 limit": "1", "Upper CI 95.0 limit": "2", "Lower CI 99.8 limit": "3",
            "Upper CI 99.8 limit": "4", "Count": "40", "Denominator": "5", "Value note": "[c]",
            "Recent Trend": "T", "Compared to England value or percentiles": "C"}
    sparse = {**blank, "Indicator ID": "90", "Area Code": "E10000019", "Time period": "2020/21", "Value": "x"}
    paths = []
    for name, columns, rows in (("a.csv", header, [full, sparse]), ("b.csv", list(reversed(header)), [full]),
                                ("c.csv", ["Code", "Year", "Amount"], [{"Code": "E1", "Year": "2021", "Amount": "7"}])):
        path = tmp_path / name
        with path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    store = WarehousePaths(tmp_path / "w" / "outcomes.duckdb")
    store.ensure()
    with connect_working(store.working) as con:
        ensure_schema(con)
        assert bare_load(con, paths, workers=2) == (2, 3)
        got = con.execute(
            "SELECT source_file, source_row, indicator_id, area_code, period, sex, age, category_type, category, "
            "value, lower_ci95, upper_ci95, lower_ci998, upper_ci998, count, denominator, value_note, "
            "published_trend, published_comparison FROM core.observation ORDER BY source_file, source_row").fetchall()
    filled = ("90", "E10000018", "2020/21", "Male", "18+ yrs", "Deprivation", "Most deprived", 12.5, 1.0, 2.0, 3.0,
              4.0, 40.0, 5.0, "[c]", "T", "C")
    assert got == [("a.csv", 2, *filled),
                   ("a.csv", 3, "90", "E10000019", "2020/21", "Persons", "All ages", "", "", None, None, None, None,
                    None, None, None, None, None, None),
                   ("b.csv", 2, *filled)]


def test_text_columns_are_normalised_as_cell_by_cell():
    """An adapter's raw frame in the raw table: a column of text only (the XLSX readers' frames) is stripped in SQL
    for the whole frame, and columns holding anything else are converted cell by cell; either way each cell must be
    what cell_text gives one by one (every white space Python strips, U+3000 included), and an empty breakdown
    cell takes its default."""
    from sources.files import cell_text
    from sources.rawtable import table_from_frame

    text = [" E10000018 ", "\tLeicestershire\xa0", "", "2023/24\u3000", "12.5 "]
    mixed = [12.0, None, " 3 ", float("nan"), 7.25]
    raw = pd.DataFrame({"area_code": pd.Series(text, dtype=object), "value": pd.Series(mixed, dtype=object),
                        "sex": pd.Series(["", " Male", "Female ", "\u2003", "Persons"], dtype=object),
                        "source_row": range(2, 7)})
    con = duckdb.connect()
    table, _ = table_from_frame(con, raw)
    rows = con.execute(f"SELECT area_code, value, sex, age, category FROM {table} ORDER BY uid").fetchall()
    assert [r[0] for r in rows] == [cell_text(v) for v in text]
    assert [r[1] for r in rows] == ["12", "", "3", "", "7.25"]
    assert [r[2] for r in rows] == ["Persons", "Male", "Female", "Persons", "Persons"]
    assert {(r[3], r[4]) for r in rows} == {("All ages", "")}


def test_a_working_database_from_before_the_named_views_is_recomputed_whole(national, tmp_path, areas, groups,
                                                                             settings, monkeypatch):
    """Quartile positions and England comparisons are written per series and named by views. A working database
    computed by other methods' SQL (here: a table under each view's name, and one method file that differs) gets a
    full computation, whose views give the rows the tables held."""
    with connect_working(tmp_path / "working.duckdb") as con:
        _computed(con, national, areas, groups, settings)
        named = {view: _table(con, view) for _, view in NAMED_VIEWS.values()}
        assert all(len(frame) for frame in named.values())
        for view in named:  # as an earlier version left them
            con.execute(f"CREATE TABLE {view}_old AS SELECT * FROM {view}; DROP VIEW {view}; "
                        f"ALTER TABLE {view}_old RENAME TO {view.split('.')[1]}")
        assert plan_scope(con) == []
        with monkeypatch.context() as patched:
            patched.setattr(warehouse.compute, "sql_text",
                            lambda f: sql_text(f) + ("\n-- changed" if "trends" in f else ""))
            assert plan_scope(con) is None
        for step in STEPS:
            compute_step(con, step)
        views = {r[0] for r in con.execute("SELECT schema_name || '.' || view_name FROM duckdb_views()").fetchall()}
        assert set(named) <= views
        for view, frame in named.items():
            pd.testing.assert_frame_equal(_table(con, view), frame)


def test_recomputed_observations_never_join_older_quartile_or_comparison_rows(national, tmp_path, areas, groups,
                                                                              settings):
    """The observations step numbers series afresh: until the quartile and comparison steps run again, their views
    show nothing for the recomputed indicators (never another area's rank), then the same rows as before."""
    _, catalogue, files = national
    with connect_working(tmp_path / "working.duckdb") as con:
        write_reference(con, catalogue, areas, groups, settings)
        ingest(con, [p for p in files if p.suffix == ".csv"], ValidationContext(catalogue, areas))
        for step in STEPS:
            compute_step(con, step)
        before = {view: _table(con, view) for _, view in NAMED_VIEWS.values()}
        one = sorted(before["mart.quartile_position"].indicator_id.unique())[1]
        compute_step(con, "observations", indicators=[one])
        for view, frame in before.items():
            pd.testing.assert_frame_equal(_table(con, view), _table_of(frame[frame.indicator_id != one]))
        for step in ("quartile_positions", "benchmark_comparisons"):
            compute_step(con, step, indicators=[one])
        for view, frame in before.items():
            pd.testing.assert_frame_equal(_table(con, view), frame)
        compute_step(con, "observations")
        assert not any(len(_table(con, view)) for view in before)


def _table_of(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)[:9]).reset_index(drop=True)


def test_a_run_of_some_steps_only_leaves_the_rest_for_the_next_run(national, tmp_path, areas, groups, settings):
    """A run that computes the outcome board but not the steps before it (a selection of Dagster assets) must not
    record the new loads as computed: the next run still recomputes the indicators they changed."""
    with connect_working(tmp_path / "working.duckdb") as con:
        _computed(con, national, areas, groups, settings, held_back=1)  # a new file, then the board alone
        compute_step(con, "outcome_board")
        assert not mark_computed(con)
        changed = plan_scope(con)
        assert changed == _indicators_of_last_load(con)
        for step in STEPS:
            compute_step(con, step, indicators=changed)
        assert mark_computed(con) and plan_scope(con) == []


def _computed(con: duckdb.DuckDBPyConnection, national, areas, groups, settings, held_back: int = 0) -> None:
    """The national CSVs but the first ``held_back`` loaded and computed (recorded as computed), then those."""
    _, catalogue, files = national
    csvs = [p for p in files if p.suffix == ".csv"]
    context = ValidationContext(catalogue, areas)
    write_reference(con, catalogue, areas, groups, settings)
    ingest(con, csvs[held_back:], context)
    plan_scope(con)
    for step in STEPS:
        compute_step(con, step)
    assert mark_computed(con) and plan_scope(con) == []
    ingest(con, csvs[:held_back], context)


def _indicators_of_last_load(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [i for (i,) in con.execute("SELECT DISTINCT indicator_id FROM core.observation WHERE load_id = "
                                      "(SELECT max(load_id) FROM core.load) ORDER BY 1").fetchall()]


def test_observations_recomputed_alone_leave_the_later_steps_to_the_next_run(national, tmp_path, areas, groups,
                                                                             settings):
    """The observations step forgets the quartile and comparison rows of what it recomputes: run alone after the
    later steps (a selection of Dagster assets), it must not leave their earlier record standing, or those rows
    would be missing for good; the next run recomputes them, to what a full computation gives."""
    with connect_working(tmp_path / "working.duckdb") as con:
        _computed(con, national, areas, groups, settings, held_back=1)
        changed = plan_scope(con)
        for step in SCOPED_STEPS:  # then the run stops before the board
            compute_step(con, step, indicators=changed)
        compute_step(con, "observations", indicators=plan_scope(con))  # the observations alone, then the board
        compute_step(con, "outcome_board")
        assert not mark_computed(con)
        assert plan_scope(con) == changed
        for step in STEPS:
            compute_step(con, step, indicators=changed)
        assert mark_computed(con)
        incremental = {view: _table(con, view) for _, view in NAMED_VIEWS.values()}
        for step in STEPS:
            compute_step(con, step)
        for view, frame in incremental.items():
            pd.testing.assert_frame_equal(frame, _table(con, view))


def test_a_change_to_the_methods_python_or_bound_words_makes_the_next_computation_full(national, tmp_path, areas,
                                                                                       groups, settings, monkeypatch):
    """An upgrade can change a method without touching its SQL: how limits are derived from counts (Python), or a
    label or threshold bound into the SQL. Either makes the next run recompute every indicator."""
    with connect_working(tmp_path / "working.duckdb") as con:
        _computed(con, national, areas, groups, settings)
        changed_python = tmp_path / "confidence.py"
        changed_python.write_text(warehouse.compute.METHOD_PYTHON[0].read_text(encoding="utf-8") + "\n# changed\n",
                                  encoding="utf-8")
        with monkeypatch.context() as patched:
            patched.setattr(warehouse.compute, "METHOD_PYTHON", (changed_python, *warehouse.compute.METHOD_PYTHON[1:]))
            assert plan_scope(con) is None
        assert plan_scope(con) == []
        with monkeypatch.context() as patched:
            patched.setitem(warehouse.compute.PARAMS, "chi2_threshold", warehouse.compute.PARAMS["chi2_threshold"] + 1)
            assert plan_scope(con) is None
        assert plan_scope(con) == []


def test_a_withdrawal_then_the_board_alone_leaves_a_full_computation_to_the_next_run(national, tmp_path, areas,
                                                                                   groups, settings):
    """A withdrawal changes what every method reads; a run of the board alone after it (the withdrawal's rebuild
    stopped, a selection of assets) must not record the methods as current."""
    with connect_working(tmp_path / "working.duckdb") as con:
        _computed(con, national, areas, groups, settings)
        withdraw_load(con, 1, "sent in error")
        compute_step(con, "outcome_board")
        assert not mark_computed(con)
        assert plan_scope(con) is None


def test_steps_run_on_a_scope_planned_before_the_methods_changed_are_not_current(national, tmp_path, areas, groups,
                                                                                 settings, monkeypatch):
    """A scope planned before the reference data or the methods changed leaves out indicators that change makes
    stale: steps that ran on it afterwards must not be recorded as current, so the next run is a full one."""
    with connect_working(tmp_path / "working.duckdb") as con:
        _computed(con, national, areas, groups, settings, held_back=1)
        changed = plan_scope(con)
        monkeypatch.setattr(warehouse.compute, "sql_text",
                            lambda f: sql_text(f) + ("\n-- changed" if "trends" in f else ""))
        for step in STEPS:
            compute_step(con, step, indicators=changed)
        assert not mark_computed(con)
        assert plan_scope(con) is None


def test_bench_outcomes_run_reads_each_asset_time_from_the_run():
    """The outcomes_run benchmark's per-asset times: from each step's start to its end, in the order the steps
    started, read from a real run's step statistics."""
    import time as clock

    import dagster as dg

    from bench.outcomes_run import step_seconds

    @dg.asset
    def slow() -> int:
        clock.sleep(0.3)
        return 1

    @dg.asset
    def quick(slow: int) -> int:
        return slow + 1

    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([slow, quick], instance=instance)
        seconds = step_seconds(instance, result.run_id)
    assert list(seconds) == ["slow", "quick"]
    assert 0.3 <= seconds["slow"] < 5 and 0 <= seconds["quick"] < seconds["slow"]
