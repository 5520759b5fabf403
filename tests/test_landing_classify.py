"""Classifying the landing folder: each file probed once while it stays the same, again when it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import sources.landing as landing
from sources.landing import UNRECOGNISED, classify

RETURNS = "indicator_id,area_code,period,value\nse_principal_roads_maintenance,E10000018,2023/24,4\n"
FINGERTIPS = ("Indicator ID,Indicator Name,Area Code,Area Name,Area Type,Sex,Age,Time period,Value\n"
              "90366,Life expectancy at birth,E10000018,Leicestershire,County,Male,All ages,2021 - 23,80.1\n")


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


def test_an_unchanged_file_is_probed_once(tmp_path: Path, probes: list[str]) -> None:
    (tmp_path / "returns.csv").write_text(RETURNS)
    (tmp_path / "fingertips.csv").write_text(FINGERTIPS)
    first = classify(tmp_path)
    assert [(f.path.name, f.adapter_id) for f in first] == [("fingertips.csv", "fingertips_csv"),
                                                            ("returns.csv", "returns")]
    assert classify(tmp_path) == first  # as every source asset of a run asks
    assert sorted(probes) == ["fingertips.csv", "returns.csv"]


def test_a_changed_replaced_or_new_file_is_probed_again(tmp_path: Path, probes: list[str]) -> None:
    returns, fingertips = tmp_path / "returns.csv", tmp_path / "fingertips.csv"
    returns.write_text(RETURNS)
    fingertips.write_text(FINGERTIPS)
    classify(tmp_path)
    probes.clear()

    returns.write_text("not,a,known,header\n1,2,3,4\n")  # rewritten in place: another format now
    replacement = tmp_path / "replacement.tmp"
    replacement.write_text(RETURNS)
    os.replace(replacement, fingertips)  # another file under the same name (a new inode)
    (tmp_path / "new.csv").write_text(RETURNS)
    found = {f.path.name: f for f in classify(tmp_path)}

    assert sorted(probes) == ["fingertips.csv", "new.csv", "returns.csv"]
    assert found["returns.csv"].adapter_id == UNRECOGNISED and "matches no known source format" in (
        found["returns.csv"].problem or "")
    assert found["fingertips.csv"].adapter_id == found["new.csv"].adapter_id == "returns"


def test_a_removed_file_is_forgotten(tmp_path: Path, probes: list[str]) -> None:
    (tmp_path / "returns.csv").write_text(RETURNS)
    classify(tmp_path)
    (tmp_path / "returns.csv").unlink()
    assert classify(tmp_path) == []
    (tmp_path / "returns.csv").write_text(RETURNS)
    assert [f.adapter_id for f in classify(tmp_path)] == ["returns"]
    assert probes == ["returns.csv", "returns.csv"]
