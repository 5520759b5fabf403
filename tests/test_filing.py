"""sources.filing: landing files move to processed/ or rejected/ (with a rejection report); nothing is
overwritten, modified or deleted."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sources.files import file_checksum
from sources.filing import (
    PROCESSED_DIR,
    REJECTED_DIR,
    REPORT_SUFFIX,
    Destination,
    EarlierLoad,
    file_duplicate,
    file_judged,
    free_path,
)
from sources.validate import validate_file

RETURNS_HEADER = "indicator_id,area_code,period,value\n"
WHEN = datetime(2025, 7, 1, 9, 30)


def _write(path: Path, body: str) -> Path:
    path.write_text(RETURNS_HEADER + body, encoding="utf-8")
    return path


def _landing_state(landing: Path) -> dict[str, bytes]:
    return {str(p.relative_to(landing)): p.read_bytes() for p in sorted(landing.rglob("*")) if p.is_file()}


def test_accepted_file_moves_to_processed_unchanged(tmp_path, context):
    path = _write(tmp_path / "roads.csv", "se_principal_roads_maintenance,E10000018,2023/24,4\n")
    before = path.read_bytes()
    filed = file_judged(validate_file(path, context), tmp_path, WHEN)
    assert filed.destination is Destination.PROCESSED
    assert filed.moved_to == tmp_path / PROCESSED_DIR / "roads.csv"
    assert filed.moved_to.read_bytes() == before and not path.exists() and filed.report is None


def test_rows_rejected_file_moves_to_rejected_with_report(tmp_path, context):
    path = _write(tmp_path / "roads.csv", "se_principal_roads_maintenance,E10000018,2023/24,4\n"
                                          "se_principal_roads_maintenance,E10000018,2024/25,140\n"
                                          "se_principal_roads_maintenance,E07000129,2024/25,3\n")
    result = validate_file(path, context)
    filed = file_judged(result, tmp_path, WHEN)
    assert filed.destination is Destination.REJECTED
    assert filed.moved_to == tmp_path / REJECTED_DIR / "roads.csv"
    assert filed.report == tmp_path / REJECTED_DIR / ("roads.csv" + REPORT_SUFFIX)
    report = filed.report.read_text(encoding="utf-8")
    assert "Rows read: 3 = 1 accepted (loaded) + 1 rejected (not loaded) + 1 skipped" in report
    assert "1 x value outside the indicator's valid range" in report
    assert "     3  value            '140'" in report  # row 3 of the file (header = row 1)
    assert "What to do" in report and result.checksum in report


def test_whole_file_rejection_report_says_nothing_was_loaded(tmp_path, context):
    path = tmp_path / "notes.csv"
    path.write_text("hello,world\n1,2\n", encoding="utf-8")
    filed = file_judged(validate_file(path, context), tmp_path, WHEN)
    assert filed.destination is Destination.REJECTED
    report = filed.report.read_text(encoding="utf-8")
    assert "THE WHOLE FILE WAS REJECTED; nothing from it was loaded" in report
    assert "matches no known source format" in report


def test_name_clash_gets_a_suffix_and_overwrites_nothing(tmp_path, context):
    processed = tmp_path / PROCESSED_DIR
    processed.mkdir()
    (processed / "roads.csv").write_text("an earlier delivery", encoding="utf-8")
    (processed / "roads~2.csv").write_text("another earlier delivery", encoding="utf-8")
    path = _write(tmp_path / "roads.csv", "se_principal_roads_maintenance,E10000018,2023/24,4\n")
    filed = file_judged(validate_file(path, context), tmp_path, WHEN)
    assert filed.moved_to == processed / "roads~3.csv"
    assert (processed / "roads.csv").read_text(encoding="utf-8") == "an earlier delivery"
    assert (processed / "roads~2.csv").read_text(encoding="utf-8") == "another earlier delivery"


def test_report_name_clash_in_rejected_gets_a_suffix(tmp_path, context):
    first = file_judged(validate_file(_write(tmp_path / "r.csv", "x_unknown,E10000018,2023/24,abc\n"
                                             "se_principal_roads_maintenance,E10000018,2023/24,abc\n"),
                                      context), tmp_path, WHEN)
    second = file_judged(validate_file(_write(tmp_path / "r.csv", "se_principal_roads_maintenance,E10000018,"
                                              "2023/24,xyz\n"), context), tmp_path, WHEN)
    assert first.moved_to.name == "r.csv" and second.moved_to.name == "r~2.csv"
    assert second.report.name == "r~2.csv" + REPORT_SUFFIX
    assert "'abc'" in first.report.read_text() and "'xyz'" in second.report.read_text()


def test_file_changed_since_judged_stays_in_landing(tmp_path, context):
    path = _write(tmp_path / "roads.csv", "se_principal_roads_maintenance,E10000018,2023/24,4\n")
    result = validate_file(path, context)
    _write(path, "se_principal_roads_maintenance,E10000018,2023/24,5\n")  # a new version arrived meanwhile
    state = _landing_state(tmp_path)
    filed = file_judged(result, tmp_path, WHEN)
    assert filed.destination is Destination.LEFT_IN_PLACE and filed.moved_to is None
    assert "next run" in filed.note
    assert _landing_state(tmp_path) == state


def test_duplicate_goes_where_the_earlier_delivery_went(tmp_path):
    good = _write(tmp_path / "again.csv", "se_principal_roads_maintenance,E10000018,2023/24,4\n")
    filed = file_duplicate(good, tmp_path, file_checksum(good), EarlierLoad(7, "roads.csv", False, None), WHEN)
    assert filed.destination is Destination.PROCESSED and "same bytes as roads.csv (load 7)" in filed.note

    bad = _write(tmp_path / "bad-again.csv", "oops\n")
    earlier = EarlierLoad(8, "bad.csv", True, "bad.csv: matches no known source format")
    filed = file_duplicate(bad, tmp_path, file_checksum(bad), earlier, WHEN)
    assert filed.destination is Destination.REJECTED
    text = filed.report.read_text(encoding="utf-8")
    assert "same bytes as bad.csv" in text and "matches no known source format" in text


def test_free_path_keeps_the_extension(tmp_path):
    (tmp_path / "a.b.xlsx").write_bytes(b"")
    assert free_path(tmp_path, "a.b.xlsx").name == "a.b~2.xlsx"
    assert free_path(tmp_path, "new.csv").name == "new.csv"
    (tmp_path / "noext").write_bytes(b"")
    assert free_path(tmp_path, "noext").name == "noext~2"


def test_moving_keeps_bytes_and_mtime(tmp_path, context):
    path = _write(tmp_path / "roads.csv", "se_principal_roads_maintenance,E10000018,2023/24,4\n")
    os.utime(path, (1_600_000_000, 1_600_000_000))
    filed = file_judged(validate_file(path, context), tmp_path, WHEN)
    assert filed.moved_to.stat().st_mtime == 1_600_000_000
