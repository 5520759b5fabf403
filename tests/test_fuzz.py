"""Fuzzing (hypothesis) the readers: whatever a file holds, judging it ends in a clear validation outcome.

For each adapter, a SAMPLE DATA file of its format is mutated (cells replaced by hostile text, numbers and
periods, cells and rows dropped, duplicated or added, header cells renamed, columns swapped, bytes cut or
inserted) and judged with ``sources.validate.validate_file``. The property: it never raises; every row read
is accepted, rejected or skipped (the counts reconcile); a file rejected whole says which file and why;
every rejected row names a row, a column (or says the whole row has shifted) and a reason. The period and
number parsers get arbitrary text: they return a value or raise PeriodError / mark the cell, nothing else.

The default suite runs a few dozen deterministic examples per adapter; ``make test-all`` runs many more,
random ones (failures are kept in .hypothesis/ and replayed first). What they found so far: a DfE file
without a time_identifier column crashed the adapter; an empty period was also reported as pandera's bare
"not_nullable" with no column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.periods import Convention, PeriodError, parse_period
from sources.canonical import MARKERS
from sources.files import cell_text, xlsx_rows, xlsx_sheet_names
from sources.parse import numbers_sql
from sources.rawtable import WHITESPACE
from sources.validate import validate_file

pytestmark = pytest.mark.reliability("Fuzzing")

DEPTHS = [pytest.param(30, id="quick"), pytest.param(400, id="deep", marks=pytest.mark.slow)]
SEED_ROWS = 40  # data rows kept from each seed file, so an example takes milliseconds
SEEDS = {  # adapter -> a SAMPLE DATA file in its format
    "fingertips_csv": "SAMPLE_fingertips_90284.csv",
    "fingertips_tidy": "SAMPLE_fingertips_tidy_01.csv",
    "ons_els": "SAMPLE_ons_explore_local_statistics.csv",
    "dfe_neet": "SAMPLE_dfe_neet_2024.csv",
    "oflog_asc": "SAMPLE_oflog_asc.csv",
    "desnz_emissions": "SAMPLE_desnz_emissions.csv",
    "defra_waste": "SAMPLE_defra_waste_11-6-1.csv",
    "eyfsp_sdg": "SAMPLE_eyfsp_4-2-1.csv",
    "returns (CSV)": "SAMPLE_returns_quarterly.csv",
    "returns (XLSX)": "SAMPLE_returns_annual.xlsx",
    "wide_years": "SAMPLE_published_tables.xlsx",
}
HOSTILE = ["", " ", "x", "[c]", "..", "-", "NaN", "nan", "inf", "-inf", "1e309", "-0", "0x1F", "1_000", "١٢٣",
           "１２３", "1,234.5", "£-5%", "45%%", "%", "=1+1", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)",
           "+cmd|' /C calc'!A0", "<b>5</b>", "\x00", "\ufeff", "\u202e123", "E10000018", "E1000001", "E99999999",
           "W06000001", "2021/22", "2021-22", "2021/23", "2022/21", "2010-12", "2021 Q5", "2021 Q1", "Q3 2021",
           "202122", "20210000", "2021-02-30", "0000/01", "9999/00", "2021-10", "Jan-Mar 2021", "Persons",
           "Female", "All ages", "Leicestershire", "City of London", "a" * 5000, "1" * 400, "1.5e-400",
           "  12.5  ", "12.5 ", "TRUE", "None", "null", "#N/A", "#DIV/0!"]
cells = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=24), st.integers().map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.from_regex(r"\A\d{4}([/-]\d{1,4})?( ?Q\d)?\Z"))


@dataclass(frozen=True)
class Seed:
    suffix: str
    sheets: dict[str, list[list[str]]]  # "" for a CSV


@pytest.fixture(scope="module")
def seeds(sample_dir) -> dict[str, Seed]:
    out = {}
    for adapter, name in SEEDS.items():
        path = sample_dir / name
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                out[adapter] = Seed(".csv", {"": list(csv.reader(fh))[: SEED_ROWS + 1]})
        else:
            out[adapter] = Seed(".xlsx", {sheet: [[cell_text(c) for c in row] for row in xlsx_rows(path, sheet)]
                                          [: SEED_ROWS + 12] for sheet in xlsx_sheet_names(path)})
    return out


mutations = st.lists(st.one_of(
    st.tuples(st.just("set"), st.integers(0, 10**6), st.integers(0, 10**6), cells),
    st.tuples(st.just("header"), st.integers(0, 10**6), cells),
    st.tuples(st.just("drop_cell"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("add_cell"), st.integers(0, 10**6), cells),
    st.tuples(st.just("drop_row"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate_row"), st.integers(0, 10**6)),
    st.tuples(st.just("blank_row"), st.integers(0, 10**6)),
    st.tuples(st.just("swap_columns"), st.integers(0, 10**6), st.integers(0, 10**6)),
), min_size=1, max_size=12)
corruptions = st.one_of(st.none(), st.tuples(st.just("cut"), st.integers(0, 10**9)),
                        st.tuples(st.just("insert"), st.integers(0, 10**9), st.binary(min_size=1, max_size=16)))


def mutate(grid: list[list[str]], ops: list[tuple]) -> list[list[str]]:
    rows = [list(r) for r in grid]
    for op, *args in ops:
        if not rows:
            break
        r = args[0] % len(rows)
        if op == "set" and rows[r]:
            rows[r][args[1] % len(rows[r])] = args[2]
        elif op == "header" and rows[0]:
            rows[0][args[0] % len(rows[0])] = args[1]
        elif op == "drop_cell" and rows[r]:
            del rows[r][args[1] % len(rows[r])]
        elif op == "add_cell":
            rows[r].append(args[1])
        elif op == "drop_row":
            del rows[r]
        elif op == "duplicate_row":
            rows.insert(r, list(rows[r]))
        elif op == "blank_row":
            rows[r] = [""] * len(rows[r])
        elif op == "swap_columns":
            for row in rows:
                a, b = args[0] % max(len(row), 1), args[1] % max(len(row), 1)
                if row:
                    row[a], row[b] = row[b], row[a]
    return rows


def write_csv(path: Path, rows: list[list[str]], corruption: tuple | None) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8", errors="surrogatepass")
    if corruption and corruption[0] == "cut":
        data = data[: corruption[1] % (len(data) + 1)]
    elif corruption:
        at = corruption[1] % (len(data) + 1)
        data = data[:at] + corruption[2] + data[at:]
    path.write_bytes(data)


def write_xlsx(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    """Cells that read as numbers are written as numbers (as Excel holds them); text starting with "="
    becomes a formula without a cached value, which a reader must not evaluate."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_typed(ILLEGAL_CHARACTERS_RE.sub("", c)) for c in row])
    book.save(path)


def _typed(text: str) -> object:
    try:
        return float(text) if text.strip() and text.strip().lower() not in {"nan", "inf", "-inf"} else text
    except ValueError:
        return text


def check_judgement(path: Path, context) -> None:
    result = validate_file(path, context)  # must not raise, whatever the file holds
    assert result.reconciles, result.summary()
    if result.file_error is not None:
        assert result.file_error.startswith(path.name) and len(result.file_error) > len(path.name) + 10
    if len(result.rejected):
        assert (result.rejected["source_row"] >= 1).all()
        assert (result.rejected["reason"].astype(str).str.len() > 0).all()
        whole_row = result.rejected["reason"].astype(str).str.startswith("the row has")  # a shifted row
        assert ((result.rejected["column"].astype(str).str.len() > 0) | whole_row).all()


@pytest.mark.parametrize("examples", DEPTHS)
@pytest.mark.parametrize("adapter", list(SEEDS))
def test_mutated_files_are_judged_never_crash(adapter, examples, seeds, context, tmp_path, proof):
    """Mutations of a real-format file (hostile cells, dropped or added cells and rows, renamed headers,
    swapped columns, cut or inserted bytes) are always judged: no exception, counts reconcile, every
    rejection names its file, or its row, column and reason."""
    seed = seeds[adapter]
    path = tmp_path / f"fuzzed{seed.suffix}"
    if seed.suffix == ".xlsx":
        examples = max(examples // 3, 10)  # each example writes a workbook with openpyxl: slower

    @settings(max_examples=examples, deadline=None, derandomize=examples < 100, database=None if examples < 100
              else settings.default.database, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.data_too_large])
    @given(ops=mutations, corruption=corruptions, sheet=st.sampled_from(sorted(seed.sheets)))
    def judged(ops, corruption, sheet):
        grids = dict(seed.sheets)
        grids[sheet] = mutate(grids[sheet], ops)
        if seed.suffix == ".csv":
            write_csv(path, grids[""], corruption)
        else:
            write_xlsx(path, grids)
        check_judgement(path, context)

    judged()
    proof.saw(f"{examples} mutated {seed.suffix[1:].upper()} files from {SEEDS[adapter]} "
              f"({'deterministic' if examples < 100 else 'random'} examples): all judged")


@pytest.mark.parametrize("examples", DEPTHS)
def test_arbitrary_bytes_are_judged_never_crash(examples, context, tmp_path, proof):
    """Arbitrary bytes saved as .csv or .xlsx (and a zip archive of arbitrary parts) are rejected with a
    message or judged row by row; never an exception."""

    @settings(max_examples=examples, deadline=None, derandomize=examples < 100,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.binary(max_size=2048), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".xlsm"]),
           parts=st.dictionaries(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                  "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]),
                                 st.binary(max_size=256), max_size=4))
    def judged(data, suffix, parts):
        path = tmp_path / f"random{suffix}"
        if parts and suffix == ".xlsx":
            import zipfile

            with zipfile.ZipFile(path, "w") as archive:
                for name, body in parts.items():
                    archive.writestr(name, body)
        else:
            path.write_bytes(data)
        check_judgement(path, context)

    judged()
    proof.saw(f"{examples} files of random bytes or random archive parts: all judged")


periods_ish = st.one_of(st.text(max_size=20), st.sampled_from(HOSTILE),
                        st.from_regex(r"\A\s*(\d{1,8}|Q\d|[A-Za-z]{3})([ /\-]{1,2}(\d{1,4}|Q\d|[A-Za-z]{3}))"
                                      r"{0,3}\s*\Z"))


@pytest.mark.parametrize("examples", [pytest.param(500, id="quick"),
                                      pytest.param(20_000, id="deep", marks=pytest.mark.slow)])
def test_period_parser_returns_a_period_or_a_period_error(examples, proof):
    """Any text, with any adapter convention: a period whose start is not after its end, or a PeriodError
    naming the value; nothing else."""
    outcomes = {"period": 0, "PeriodError": 0}

    @settings(max_examples=examples, deadline=None, derandomize=examples < 1000)
    @given(text=periods_ish, convention=st.sampled_from([None, *Convention]))
    def parsed(text, convention):
        try:
            period = parse_period(text, convention)
        except PeriodError as exc:
            assert str(exc)
            outcomes["PeriodError"] += 1
            return
        assert period.label and period.start <= period.end
        outcomes["period"] += 1

    parsed()
    proof.saw(f"{sum(outcomes.values()):,} texts: {outcomes['period']:,} periods, "
              f"{outcomes['PeriodError']:,} PeriodErrors, nothing else")


@pytest.mark.parametrize("examples", [pytest.param(300, id="quick"),
                                      pytest.param(5_000, id="deep", marks=pytest.mark.slow)])
def test_number_parser_marks_every_cell_it_cannot_read(examples, proof):
    """Any cells: each becomes a finite number, a marker (kept as the note), empty, or is marked bad with
    the cell still there for its rejection; never an exception, never infinity."""

    con = duckdb.connect()

    @settings(max_examples=examples, deadline=None, derandomize=examples < 1000)
    @given(values=st.lists(cells, max_size=30))
    def parsed(values):
        # as the pipeline reads them: text cells, trimmed, in a DuckDB table, through the one number reader
        con.register("cells_in", pd.DataFrame({"uid": range(len(values)), "value": pd.Series(values, dtype=object)}))
        con.execute("CREATE OR REPLACE TEMP TABLE cells AS SELECT uid::BIGINT AS uid, "
                    "trim(value::VARCHAR, $ws) AS value FROM cells_in", {"ws": WHITESPACE})
        con.unregister("cells_in")
        rows = con.execute(f"SELECT uid, value, value__marker, value__bad, value__percent "
                           f"FROM ({numbers_sql(['value'], 'cells')}) ORDER BY uid").fetchall()
        assert len(rows) == len(values)
        for text, (_, number, marker, is_bad, _percent) in zip(values, rows, strict=True):
            assert number is None or abs(number) != float("inf")
            lowered = str(text).strip(WHITESPACE).lower()
            if lowered in MARKERS:
                assert marker and number is None and not is_bad
            elif is_bad:
                assert number is None
            else:
                assert number is not None or lowered in {"", "nan", "none", "null"}

    parsed()
    proof.saw(f"{examples:,} lists of up to 30 hostile cells: every cell a number, a marker, empty, or marked bad")
