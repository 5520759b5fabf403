"""`outcomes report`: quarter or year, one committee or all, and clear errors."""

from __future__ import annotations

import pytest

from pipelines.cli import main
from reports.config import load_config
from tests.reports_support import shared_sample_warehouse
from warehouse.paths import WarehousePaths


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings) -> WarehousePaths:
    return shared_sample_warehouse(tmp_path_factory, sample_dir, catalogue, areas, groups, settings)


def test_annual_report_for_one_committee(sample_warehouse, tmp_path, capsys):
    code = main(["report", "--year", "2024/25", "--committee", "children_and_families", "--run-id", "cli-1",
                 "--warehouse", str(sample_warehouse.published), "--reports", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert (tmp_path / "annual_2024-25_children_and_families.xlsx").is_file()
    assert (tmp_path / "annual_2024-25_children_and_families.html").is_file()
    assert f"DRAFT: not signed off; read from {sample_warehouse.published}; run id cli-1; SAMPLE DATA" in out


def test_quarterly_report_for_every_committee(sample_warehouse, tmp_path, capsys):
    assert main(["report", "--quarter", "2024/25 Q1", "--all-committees", "--warehouse",
                 str(sample_warehouse.published), "--reports", str(tmp_path)]) == 0
    built = sorted(p.stem for p in tmp_path.glob("*.xlsx"))
    assert built == sorted(f"scrutiny_2024-25_Q1_{c}" for c in load_config().committees)


@pytest.mark.parametrize(("args", "message"), [
    (["--quarter", "2024/25 Q1", "--committee", "nope"], "no committee 'nope'"),
    (["--quarter", "2024/25 Q1", "--outcome", "nope"], "none of ['nope'] is in the warehouse"),
    (["--year", "2024"], "not a financial year"),
])
def test_errors_exit_1_with_a_message(sample_warehouse, tmp_path, capsys, args, message):
    assert main(["report", *args, "--warehouse", str(sample_warehouse.published), "--reports", str(tmp_path)]) == 1
    assert message in capsys.readouterr().err
