"""The `outcomes` command: sample, run (exit codes), validate, query read-only, report."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.cli import main
from pipelines.cli.run import default_quarter


def test_run_then_query_and_report(landing, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no dagster.yaml here: a temporary Dagster instance
    warehouse = tmp_path / "wh" / "outcomes.duckdb"
    assert main(["run", "--landing", str(landing), "--warehouse", str(warehouse), "--quarter", "2024/25 Q1",
                 "--log-level", "WARNING"]) == 0
    out = capsys.readouterr().out
    assert "Published warehouse" in out and "0 rejected" in out
    assert main(["query", "SELECT count(*) AS n FROM outcome_board", "--warehouse", str(warehouse), "--csv"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] != "0"
    assert main(["report", "--quarter", "2024-04-01", "--warehouse", str(warehouse),
                 "--reports", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / "scrutiny_2024-25_Q1.html").is_file()


def test_run_exit_code_2_when_rows_are_rejected(sample_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    landing = tmp_path / "landing"
    shutil.copytree(sample_dir, landing)
    bad = landing / "SAMPLE_fingertips_90284.csv"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",Persons,", ",Persons,", 1)
    fields = lines[1].split(",")
    fields[12] = "not a number"  # Value column
    lines[1] = ",".join(fields)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["run", "--landing", str(landing), "--warehouse", str(tmp_path / "o.duckdb"), "--quarter",
                 "2024/25 Q1", "--log-level", "WARNING"])
    assert code == 2
    with duckdb.connect(str(tmp_path / "o.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT source_row, column_name, value, reason FROM rejected_rows").fetchall()
    assert rows == [(2, "Value", "not a number", "value is not a number")]


def test_query_cannot_write(landing, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    warehouse = tmp_path / "o.duckdb"
    assert main(["run", "--landing", str(landing), "--warehouse", str(warehouse), "--log-level", "WARNING"]) == 0
    assert main(["query", "CREATE TABLE x AS SELECT 1", "--warehouse", str(warehouse)]) == 1
    assert "read-only mode" in capsys.readouterr().err
    assert main(["query", f"COPY (SELECT 1) TO '{tmp_path / 'leak.csv'}'", "--warehouse", str(warehouse)]) == 1
    assert "disabled by configuration" in capsys.readouterr().err
    assert not (tmp_path / "leak.csv").exists()


def test_validate_reports_rejections(tmp_path, capsys):
    path = tmp_path / "returns.csv"
    path.write_text("indicator_id,area_code,period,value\n"
                    "cgf_habitat_diversity_land,E10000018,2023/24,4\n"
                    "cgf_habitat_diversity_land,E10000018,2024/25,140\n"
                    "cgf_habitat_diversity_land,E07000129,2024/25,3\n", encoding="utf-8")
    assert main(["validate", str(path), "--rejections", str(tmp_path / "rej.csv")]) == 2
    out = capsys.readouterr().out
    assert "3 rows read, 1 accepted, 1 rejected, 1 skipped" in out
    assert "value outside the indicator's valid range" in out
    assert Path(tmp_path / "rej.csv").read_text().count("\n") == 2


def test_default_quarter_is_the_one_just_ended():
    from datetime import date
    assert default_quarter(date(2026, 11, 23)) == "2026/27 Q2"
    assert default_quarter(date(2024, 4, 1)) == "2023/24 Q4"
