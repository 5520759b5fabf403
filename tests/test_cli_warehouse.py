"""The analysts' and BI team's warehouse commands: query --quarter/--as-at, export, publish-quarter, withdraw."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.harness.pipeline import load_and_publish
from warehouse.paths import WarehousePaths


@pytest.fixture
def warehouse(sample_dir, tmp_path, context, areas, groups, settings) -> str:
    paths = WarehousePaths(tmp_path / "wh" / "outcomes.duckdb")
    load_and_publish(paths, sorted(sample_dir.glob("*.csv")), context, areas, groups, settings,
                     datetime(2024, 7, 5, 9))
    return str(paths.published)


def _last_line(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_publish_quarter_then_query_and_report_it(warehouse, tmp_path, capsys):
    assert main(["publish-quarter", "2024/25 Q1", "--warehouse", warehouse]) == 0
    assert "2024/25 Q1 signed off" in capsys.readouterr().out
    assert main(["report", "--quarter", "2024/25 Q1", "--warehouse", warehouse, "--reports", str(tmp_path)]) == 0
    frozen = WarehousePaths(Path(warehouse)).quarter_snapshot("2024/25 Q1")
    assert f"signed off; read from {frozen};" in capsys.readouterr().out
    assert main(["report", "--quarter", "2024/25 Q2", "--warehouse", warehouse, "--reports", str(tmp_path)]) == 0
    assert f"DRAFT: not signed off; read from {warehouse};" in capsys.readouterr().out
    assert main(["publish-quarter", "2024-04-01", "--warehouse", warehouse]) == 1
    assert "was signed off on" in capsys.readouterr().err
    assert main(["publish-quarter", "--list", "--warehouse", warehouse]) == 0
    assert capsys.readouterr().out.startswith("2024/25 Q1: signed off")
    assert main(["query", "SELECT signed_off_quarter FROM snapshot_info", "--quarter", "2024/25 Q1", "--csv",
                 "--warehouse", warehouse]) == 0
    assert _last_line(capsys) == "2024/25 Q1"
    assert main(["query", "SELECT 1", "--quarter", "2023/24 Q4", "--warehouse", warehouse]) == 1
    assert "2023/24 Q4 has not been signed off" in capsys.readouterr().err


def test_withdraw_then_query_as_at_before_it(warehouse, capsys):
    count = "SELECT count(*) FROM observations WHERE load_id = 1"
    assert main(["query", count, "--csv", "--warehouse", warehouse]) == 0
    loaded = int(_last_line(capsys))
    assert loaded > 0
    assert main(["query", "SELECT source_file FROM loads WHERE load_id = 1", "--csv", "--warehouse", warehouse]) == 0
    first_file = _last_line(capsys)
    assert main(["withdraw", "1", "--reason", "supplier sent the wrong year", "--warehouse", warehouse]) == 0
    assert f"Withdrew load 1 ({first_file}): {loaded} value(s)" in capsys.readouterr().out
    assert main(["query", count, "--csv", "--warehouse", warehouse]) == 0
    assert _last_line(capsys) == "0"
    assert main(["query", count, "--csv", "--as-at", "2024-07-05", "--warehouse", warehouse]) == 0
    assert _last_line(capsys) == str(loaded)
    assert main(["withdraw", "1", "--reason", "again", "--warehouse", warehouse]) == 1
    assert "already withdrawn" in capsys.readouterr().err


def test_export_views_and_a_snapshot(warehouse, sample_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", "outcome_board", "loads", "--format", "csv", "--output", str(out),
                 "--warehouse", warehouse]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["loads.csv", "outcome_board.csv"]
    assert f"loads: {len(list(sample_dir.glob('*.csv')))} rows" in capsys.readouterr().out  # one load per file
    assert main(["export", "--all", "--output", str(tmp_path / "snap"), "--warehouse", warehouse]) == 0
    assert (tmp_path / "snap" / "LATEST").read_text() == "20240705T090000\n"
    assert main(["export", "--warehouse", warehouse]) == 1
    assert main(["export", "no_such_view", "--warehouse", warehouse]) == 1
    assert "no analyst view 'no_such_view'" in capsys.readouterr().err
