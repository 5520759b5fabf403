"""Classifying the landing folder: a workbook is probed once while its bytes stay the same, again when they change
(whatever its size and times), and every other file is probed on every call."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import sources.landing as landing
from sources.landing import UNRECOGNISED, classify

RETURNS_CSV = "indicator_id,area_code,period,value\nse_principal_roads_maintenance,E10000018,2023/24,4\n"


def write_returns_workbook(path: Path, value_header: str = "value") -> Path:
    """A returns template workbook, its parts stored uncompressed with fixed times, so that two workbooks whose
    header differs by a letter have the same size."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(["indicator_id", "area_code", "period", value_header])
    sheet.append(["se_principal_roads_maintenance", "E10000018", "2023/24", 4])
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        for part in source.infolist():
            target.writestr(zipfile.ZipInfo(part.filename, date_time=(2024, 1, 1, 0, 0, 0)), source.read(part))
    return path


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files detect_adapter probed, in order."""
    seen: list[str] = []
    real = landing.detect_adapter

    def counting(path: Path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(landing, "detect_adapter", counting)
    return seen


def test_a_workbook_is_probed_once_while_unchanged_and_a_csv_every_time(tmp_path: Path, probes: list[str]) -> None:
    write_returns_workbook(tmp_path / "returns.xlsx")
    (tmp_path / "returns.csv").write_text(RETURNS_CSV)
    first = classify(tmp_path)
    assert [(f.path.name, f.adapter_id) for f in first] == [("returns.csv", "returns"), ("returns.xlsx", "returns")]
    assert classify(tmp_path) == classify(tmp_path) == first  # as every source asset of a run asks
    assert sorted(probes) == ["returns.csv"] * 3 + ["returns.xlsx"]


def test_a_workbook_whose_bytes_change_is_probed_again_whatever_its_size_and_times(tmp_path: Path,
                                                                                   probes: list[str]) -> None:
    book = write_returns_workbook(tmp_path / "returns.xlsx")
    before = os.stat(book)
    assert classify(tmp_path)[0].adapter_id == "returns"
    write_returns_workbook(tmp_path / "other.tmp", value_header="xalue")  # no longer the template's header
    os.replace(tmp_path / "other.tmp", book)
    os.utime(book, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(book).st_size == before.st_size and os.stat(book).st_mtime_ns == before.st_mtime_ns
    found = classify(tmp_path)[0]
    assert found.adapter_id == UNRECOGNISED and "matches no known source format" in (found.problem or "")
    assert probes == ["returns.xlsx", "returns.xlsx"]


def test_an_unrecognised_workbook_is_probed_on_every_call(tmp_path: Path, probes: list[str]) -> None:
    write_returns_workbook(tmp_path / "returns.xlsx", value_header="xalue")
    assert classify(tmp_path)[0].adapter_id == classify(tmp_path)[0].adapter_id == UNRECOGNISED
    assert probes == ["returns.xlsx", "returns.xlsx"]


def test_a_workbook_no_longer_waiting_is_forgotten(tmp_path: Path, probes: list[str]) -> None:
    book = write_returns_workbook(tmp_path / "returns.xlsx")
    classify(tmp_path)
    assert book in landing._recognised
    book.unlink()
    assert classify(tmp_path) == []
    assert not [p for p in landing._recognised if p.parent == tmp_path]


def test_a_workbook_over_the_size_limit_is_refused_unread(tmp_path: Path, probes: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Over OUTCOMES_MAX_INPUT_MB the probe refuses a workbook without reading it, and classify does not hash it
    either, on any call."""
    hashed: list[str] = []
    real = landing.file_checksum
    monkeypatch.setattr(landing, "file_checksum", lambda path: hashed.append(path.name) or real(path))
    write_returns_workbook(tmp_path / "returns.xlsx")
    monkeypatch.setenv("OUTCOMES_MAX_INPUT_MB", "0.001")
    for _ in range(2):
        found = classify(tmp_path)[0]
        assert found.adapter_id == UNRECOGNISED and "OUTCOMES_MAX_INPUT_MB" in (found.problem or "")
    assert hashed == [] and probes == ["returns.xlsx", "returns.xlsx"]
