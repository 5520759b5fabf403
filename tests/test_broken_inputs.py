"""A corpus of broken inputs, made here: each gives the expected message in words an analyst understands,
and nothing is lost (rows read = accepted + rejected + skipped, for every file)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from sources.adapters.fingertips_csv import FINGERTIPS_HEADER
from sources.validate import (
    SKIP_AREA_NAME_UNKNOWN,
    SKIP_AREA_OUTSIDE_REGISTER,
    SKIP_UNKNOWN_INDICATOR,
    FileResult,
    validate_file,
)
from sources.writing import save_workbook

RETURNS = ["indicator_id", "area_code", "area_name", "period", "value", "numerator", "denominator",
           "lower_ci95", "upper_ci95", "value_note", "commentary"]
GOOD = {"indicator_id": "cgf_habitat_diversity_land", "area_code": "E10000018", "period": "2023/24",
        "value": "12.5"}


def returns_csv(path: Path, rows: list[dict], header: list[str] = RETURNS, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] + row.get("_extra", []))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def fingertips_csv(path: Path, rows: list[dict], header: list[str] = FINGERTIPS_HEADER) -> Path:
    base = {"Indicator ID": "90284", "Area Code": "E10000018", "Sex": "Persons", "Age": "<15 yrs",
            "Time period": "2022/23", "Value": "45.9"}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            full = base | row
            writer.writerow([full.get(h, "") for h in header])
    return path


def workbook(path: Path, rows: list[list[object]], merge: str | None = None, sheet: str = "NI192") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    return save_workbook(book, path)


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    accepted: int
    rejected: int
    skipped: int
    words: str  # expected in the file error, a rejection reason or a skip reason
    column: str | None = None  # the column a rejection names, as the file names it


def _ok(**change: str) -> dict:
    return GOOD | change


CASES: dict[str, Case] = {
    "wrong headers": Case(lambda d: _write(d / "x.csv", b"who,what,when\nE10000018,2023/24,12\n"), 0, 1, 0,
                          "matches no known source format (found header row ['who', 'what', 'when']). "
                          "Expected one of:"),
    "missing required column": Case(
        lambda d: fingertips_csv(d / "f.csv", [{}], header=[h for h in FINGERTIPS_HEADER if h != "Value"]),
        0, 1, 0, "missing required column(s) 'Value' for a Fingertips export; the header row has 'Indicator ID'"),
    "shifted columns": Case(lambda d: returns_csv(d / "r.csv", [_ok(), _ok(period="2022/23", _extra=["7"])]),
                            1, 1, 0, "its values have probably shifted"),
    "text in a number": Case(lambda d: returns_csv(d / "r.csv", [_ok(value="twelve")]), 0, 1, 0,
                             "value is not a number", "value"),
    "percent above 100": Case(lambda d: returns_csv(d / "r.csv", [_ok(value="140")]), 0, 1, 0,
                              "value outside the indicator's valid range", "value"),
    "percent sign kept as a percentage": Case(lambda d: returns_csv(d / "r.csv", [_ok(value="45%")]), 1, 0, 0, ""),
    "fraction of a count": Case(lambda d: returns_csv(d / "r.csv", [_ok(indicator_id="gc_neighbourhood_plans_adopted",
                                                                        value="38.5")]), 0, 1, 0,
                                "a count must be a whole number"),
    "lower CI above the value": Case(lambda d: returns_csv(d / "r.csv", [_ok(lower_ci95="13", upper_ci95="14")]),
                                     0, 1, 0, "lower 95% limit is above the value", "lower_ci95"),
    "upper CI below the value": Case(lambda d: returns_csv(d / "r.csv", [_ok(lower_ci95="10", upper_ci95="11")]),
                                     0, 1, 0, "upper 95% limit is below the value", "upper_ci95"),
    "count above denominator": Case(lambda d: returns_csv(d / "r.csv", [_ok(numerator="130", denominator="100")]),
                                    0, 1, 0, "count is larger than the denominator", "numerator"),
    "negative denominator": Case(lambda d: returns_csv(d / "r.csv", [_ok(numerator="1", denominator="-100")]),
                                 0, 1, 0, "count or denominator is negative"),
    "duplicate rows": Case(lambda d: returns_csv(d / "r.csv", [_ok(), _ok(value="13"), _ok(period="2022/23")]),
                           1, 2, 0, "duplicate of another row with the same indicator, area, period and breakdown "
                                    "(first at row 2)"),
    "unknown area (a district)": Case(lambda d: returns_csv(d / "r.csv", [_ok(area_code="E07000129")]), 0, 0, 1,
                                      SKIP_AREA_OUTSIDE_REGISTER),
    "malformed area code": Case(lambda d: returns_csv(d / "r.csv", [_ok(area_code="Leics")]), 0, 1, 0,
                                "the area code is not a GSS code such as E10000018", "area_code"),
    "missing area": Case(lambda d: returns_csv(d / "r.csv", [_ok(area_code="")]), 0, 1, 0,
                         "the area code is missing"),
    "area by name": Case(lambda d: returns_csv(d / "r.csv", [_ok(area_code="", area_name="Leicestershire CC")]),
                         1, 0, 0, ""),
    "ambiguous area name": Case(lambda d: returns_csv(d / "r.csv", [_ok(area_code="",
                                                                         area_name="City of London Council")]),
                                0, 1, 0, "area name 'City of London Council' fits more than one council "
                                         "(E09000001 City of London, E12000007 London); give the area code instead",
                                "area_name"),
    "unknown area name": Case(lambda d: returns_csv(d / "r.csv", [_ok(area_code="",
                                                                       area_name="Blaby Waste Partnership")]),
                              0, 0, 1, SKIP_AREA_NAME_UNKNOWN),
    "unknown indicator": Case(lambda d: returns_csv(d / "r.csv", [_ok(indicator_id="cgf_made_up")]), 0, 0, 1,
                              SKIP_UNKNOWN_INDICATOR),
    "unparseable period": Case(lambda d: returns_csv(d / "r.csv", [_ok(period="Q5 2023")]), 0, 1, 0,
                               "cannot read period 'Q5 2023': not a period form this pipeline knows", "period"),
    "ambiguous period": Case(lambda d: returns_csv(d / "r.csv", [_ok(period="2010-12")]), 0, 1, 0,
                             "ambiguous: a month, pooled years or a split year"),
    "empty file": Case(lambda d: _write(d / "r.csv", b""), 0, 0, 0, "the file is empty"),
    "header only": Case(lambda d: returns_csv(d / "r.csv", []), 0, 0, 0,
                        "the file has a header but no data rows"),
    "UTF-8 with a byte-order mark": Case(lambda d: returns_csv(d / "r.csv", [_ok()], encoding="utf-8-sig"),
                                         1, 0, 0, ""),
    "Windows-1252 text": Case(lambda d: returns_csv(d / "r.csv", [_ok(commentary="Budget £1.2m, café sites")],
                                                    encoding="cp1252"), 1, 0, 0, ""),
    "binary data in a CSV": Case(lambda d: _write(d / "r.csv", b"indicator_id\x00\x01\x02"), 0, 0, 0,
                                 "this is not a text (CSV) file: it contains binary data"),
    "formula in a number": Case(lambda d: returns_csv(d / "r.csv", [_ok(value="=10+2.5")]), 0, 1, 0,
                                "value looks like a spreadsheet formula; formulas are never evaluated"),
    "formula in commentary stays text": Case(
        lambda d: returns_csv(d / "r.csv", [_ok(commentary='=HYPERLINK("http://x","click")')]), 1, 0, 0, ""),
    "suppressed value": Case(lambda d: returns_csv(d / "r.csv", [_ok(value="[c]")]), 1, 0, 0, ""),
    "several problems in one row, all reported": Case(
        lambda d: returns_csv(d / "r.csv", [_ok(value="140", numerator="x1", lower_ci95="150", upper_ci95="160")]),
        0, 1, 0, "count is not a number"),
    "XLSX with merged header cells": Case(
        lambda d: workbook(d / "t.xlsx", [["Area code", "Financial year", None], [None, "2019/20", "2020/21"],
                                          ["E10000018", 44.1, 45.0]], merge="B1:C1"), 0, 0, 0,
        "has the area code column but no period columns"),
    "XLSX value under a blank header": Case(
        lambda d: workbook(d / "t.xlsx", [["Area code", "2019/20", None], ["E10000018", 44.1, 45.0]]), 0, 1, 0,
        "a value in a column without a header (next to '2019/20')"),
    "truncated XLSX": Case(lambda d: _truncated_workbook(d / "t.xlsx"), 0, 0, 0, "the file is damaged, truncated"),
    "CSV saved as .xlsx": Case(lambda d: _write(d / "t.xlsx", b"indicator_id,area_code\n"), 0, 0, 0,
                               "not a readable XLSX workbook"),
    "XLSX zip bomb": Case(lambda d: _zip_bomb(d / "t.xlsx"), 0, 0, 0, "this looks like a damaged or malicious file"),
    "Fingertips notes in HTML": Case(lambda d: fingertips_csv(d / "f.csv", [
        {"Value note": '<span class="tooltipValueNote">* Value for Cornwall</span>'}]), 1, 0, 0, ""),
    "Fingertips count with thousands separator": Case(lambda d: fingertips_csv(d / "f.csv", [
        {"Count": "1,245", "Denominator": "82,306"}]), 1, 0, 0, ""),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _truncated_workbook(path: Path) -> Path:
    full = workbook(path, [["Area code", "2019/20"], ["E10000018", 44.1]]).read_bytes()
    return _write(path, full[: len(full) // 2])


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 30_000_000)
    return path


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.reliability("Hostile and broken input")
@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input(name, tmp_path, context, proof):
    """A case of the broken-input corpus: the expected counts and words, nothing lost."""
    case = CASES[name]
    result = validate_file(case.make(tmp_path), context)
    proof.saw(f"{result.rows_accepted} accepted, {result.rows_rejected} rejected, {result.rows_skipped} skipped"
              + (f": \"{_messages(result).strip().splitlines()[0][:140]}\"" if _messages(result).strip() else ""))
    assert result.reconciles, f"rows lost: {result.summary()}"
    assert (result.rows_accepted, result.rows_rejected, result.rows_skipped) == (
        case.accepted, case.rejected, case.skipped), result.summary() + "\n" + result.rejected.to_string()
    if case.words:
        assert case.words in _messages(result), _messages(result)
    if case.column is not None:
        assert case.column in set(result.rejected["column"])
    if result.file_error is None and result.rows_rejected:
        assert (result.rejected["source_row"] >= 2).all()  # a row number an analyst can find in the file


def _messages(result: FileResult) -> str:
    return "\n".join([result.file_error or "", *result.rejected["reason"], *result.skipped])


def test_a_rejected_file_counts_its_rows_as_rejected(tmp_path, context):
    path = fingertips_csv(tmp_path / "f.csv", [{}, {}, {}], header=[h for h in FINGERTIPS_HEADER if h != "Value"])
    result = validate_file(path, context)
    assert result.file_error and (result.rows_read, result.rows_rejected) == (3, 3) and result.reconciles


def test_an_unreadable_workbook_has_no_countable_rows(tmp_path, context):
    """An XLSX that cannot be opened holds no rows anyone can count: it is one rejected file with 0 rows."""
    result = validate_file(CASES["truncated XLSX"].make(tmp_path), context)
    assert result.file_error and result.rows_read == 0 and result.status == "rejected"


def test_values_kept_exactly(tmp_path, context):
    """What an accepted row holds: a percentage sign read as the number, a marker kept as the note, text
    that looks like a formula kept as text, cp1252 decoded, HTML stripped, separators removed."""
    def one(case: str) -> dict:
        return validate_file(CASES[case].make(tmp_path / case.replace(" ", "_")), context).accepted.iloc[0].to_dict()

    for case in CASES:
        (tmp_path / case.replace(" ", "_")).mkdir()
    assert one("percent sign kept as a percentage")["value"] == 45.0
    suppressed = one("suppressed value")
    assert suppressed["value"] != suppressed["value"] and suppressed["value_note"] == "[c]"  # NaN, marker kept
    assert one("formula in commentary stays text")["commentary"] == '=HYPERLINK("http://x","click")'
    assert one("Windows-1252 text")["commentary"] == "Budget £1.2m, café sites"
    assert one("Fingertips notes in HTML")["value_note"] == "* Value for Cornwall"
    counted = one("Fingertips count with thousands separator")
    assert (counted["count"], counted["denominator"]) == (1245, 82306)
    assert one("area by name")["area_code"] == "E10000018"


def test_every_problem_of_a_row_is_reported(tmp_path, context):
    result = validate_file(CASES["several problems in one row, all reported"].make(tmp_path), context)
    reasons = set(result.rejected["reason"])
    assert "value outside the indicator's valid range" in reasons
    assert any(r.startswith("count is not a number") for r in reasons)
    assert "lower 95% limit is above the value" in reasons
    assert result.rows_rejected == 1 and len(result.rejected) == 3


@pytest.mark.parametrize("reader", ["duckdb", "python"])
def test_a_column_spelled_twice_is_read_from_its_first_spelling(tmp_path, context, monkeypatch, reader):
    """A header that spells one column twice ("Value", later "VALUE"): both readers take the first (the
    other is ignored, not mixed in), and report the column by the file's own first spelling."""
    import sources.rawtable

    if reader == "python":
        monkeypatch.setattr(sources.rawtable, "_duckdb_can_read", lambda _path: False)
    path = fingertips_csv(tmp_path / "f.csv", [{"VALUE": "99"}, {"Area Code": "E10000019", "Value": "abc",
                                                                "VALUE": "12"}],
                          header=[*FINGERTIPS_HEADER, "VALUE"])
    result = validate_file(path, context)
    assert result.accepted["value"].tolist() == [45.9]
    assert result.rejected[["source_row", "column", "value"]].values.tolist() == [[3, "Value", "abc"]]
