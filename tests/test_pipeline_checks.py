"""Asset checks passing and failing on constructed input: they report what sources/ and the warehouse decided."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.alerts import Notifier
from pipelines.assets import ALL_ASSETS, LANDING_ASSETS
from pipelines.checks import HOME_AREA_COVERAGE, OVERDUE, RECONCILIATION, VALIDATION, reconciliation_result
from pipelines.intake import TakenIn
from pipelines.resources import PipelineSettings, WarehouseResource
from sources.canonical import empty_canonical
from sources.filing import Destination, Filed
from sources.validate import REJECTED_COLUMNS, FileResult
from warehouse.ingest import Ingested
from warehouse.load import LoadOutcome

HEADER = "indicator_id,area_code,period,value\n"


def _resources(landing: Path, root: Path, run_date: str = "") -> dict:
    return {"settings": PipelineSettings(landing_dir=str(landing), reports_dir=str(root / "reports"),
                                         run_date=run_date),
            "warehouse": WarehouseResource(warehouse_path=str(root / "wh" / "outcomes.duckdb")),
            "notifier": Notifier(alerts_log=str(root / "alerts.log"))}


def _checks(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


def _landing(tmp_path: Path, files: dict[str, str]) -> Path:
    landing = tmp_path / "landing"
    landing.mkdir(parents=True)
    for name, text in files.items():
        (landing / name).write_text(text, encoding="utf-8")
    return landing


def test_clean_file_passes_validation_and_reconciliation(tmp_path):
    landing = _landing(tmp_path, {"roads.csv": HEADER + "se_principal_roads_maintenance,E10000018,2023/24,4\n"
                                                        "se_principal_roads_maintenance,E07000129,2023/24,3\n"})
    result = dg.materialize(LANDING_ASSETS, resources=_resources(landing, tmp_path))
    checks = _checks(result)
    validation = checks[("source_returns", VALIDATION)]
    assert validation.passed and validation.metadata["files_judged"].value == 1
    assert checks[("source_returns", RECONCILIATION)].passed
    assert checks[("source_unrecognised", VALIDATION)].passed  # nothing unrecognised waiting
    meta = result.asset_materializations_for_node("source_returns")[0].metadata
    assert (meta["rows_read"].value, meta["rows_accepted"].value, meta["rows_skipped"].value) == (2, 1, 1)
    assert len(meta["checksums"].value["roads.csv"]) == 64


def test_rejected_rows_warn_with_failure_cases(tmp_path):
    landing = _landing(tmp_path, {"roads.csv": HEADER + "se_principal_roads_maintenance,E10000018,2023/24,4\n"
                                                        "se_principal_roads_maintenance,E10000018,2024/25,140\n"
                                                        "se_principal_roads_maintenance,E10000018,2022/23,n/k\n"})
    result = dg.materialize(LANDING_ASSETS, resources=_resources(landing, tmp_path))
    checks = _checks(result)
    validation = checks[("source_returns", VALIDATION)]
    assert not validation.passed and validation.severity is dg.AssetCheckSeverity.WARN
    assert validation.metadata["rows_rejected"].value == 2
    cases = validation.metadata["failure_cases"].value
    assert "| roads.csv | 3 | value | 140 | value outside the indicator's valid range |" in cases
    assert "| roads.csv | 4 | value | n/k | value is not a number |" in cases
    report = Path(validation.metadata["rejection_reports"].value[0])
    assert report.is_file() and report.parent == landing / "rejected"
    assert checks[("source_returns", RECONCILIATION)].passed  # rejected rows are still accounted for
    meta = result.asset_materializations_for_node("source_returns")[0].metadata
    assert meta["files_to_rejected"].value == 1 and meta["rows_rejected"].value == 2
    assert "| roads.csv | 4 | value | n/k | value is not a number |" in meta["rejected_preview"].value
    assert str(landing / "rejected" / "roads.csv") in meta["filed"].value


def test_whole_file_rejection_is_an_error(tmp_path):
    landing = _landing(tmp_path, {"minutes.csv": "meeting,date\nboard,2024-05-01\n"})
    checks = _checks(dg.materialize(LANDING_ASSETS, resources=_resources(landing, tmp_path)))
    validation = checks[("source_unrecognised", VALIDATION)]
    assert not validation.passed and validation.severity is dg.AssetCheckSeverity.ERROR
    assert validation.metadata["files_rejected"].value == 1
    assert "minutes.csv: matches no known source format" in validation.metadata["failure_cases"].value
    assert (landing / "rejected" / "minutes.csv").is_file()


def test_reconciliation_fails_when_rows_are_unaccounted_for(tmp_path):
    path = tmp_path / "odd.csv"
    rejected = pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})
    broken = FileResult(path, "0" * 64, "returns", rows_read=5, accepted=empty_canonical(), rejected=rejected,
                        skipped={"area outside the register": 2})
    assert not broken.reconciles
    taken = TakenIn(Ingested(path, broken, LoadOutcome(1, None, 0, 0, 0)),
                    Filed(path, Destination.PROCESSED, tmp_path / "processed" / "odd.csv", None))
    check = reconciliation_result([taken])
    assert not check.passed and check.severity is dg.AssetCheckSeverity.ERROR
    assert check.metadata["files_not_reconciling"].value == ["odd.csv"]
    assert "| odd.csv | 5 | 0 | 0 | 2 | NO |" in check.metadata["files"].value


def test_home_area_check_lists_indicators_without_data(tmp_path, catalogue):
    landing = _landing(tmp_path, {"roads.csv": HEADER + "se_principal_roads_maintenance,E10000018,2023/24,4\n"})
    result = dg.materialize([a for a in ALL_ASSETS if a.key.to_user_string() != "scrutiny_report"],
                            resources=_resources(landing, tmp_path))
    check = _checks(result)[("outcome_board", HOME_AREA_COVERAGE)]
    assert not check.passed and check.severity is dg.AssetCheckSeverity.WARN
    assert check.metadata["indicators"].value == len(catalogue)
    assert check.metadata["without_data"].value == len(catalogue) - 1
    missing = check.metadata["indicators_without_data"].value
    assert "se_principal_roads_maintenance" not in missing and "io_neet_not_known_16_17" in missing


def test_overdue_check_reports_the_freshness_decision(tmp_path):
    """A 2019/20 value judged in 2024: overdue; the same judged in mid-2020 (before the lag ends): up to date."""
    rows = HEADER + "se_principal_roads_maintenance,E10000018,2019/20,4\n"
    board = [a for a in ALL_ASSETS if a.key.to_user_string() != "scrutiny_report"]
    late = dg.materialize(board, resources=_resources(_landing(tmp_path / "late", {"r.csv": rows}), tmp_path / "late",
                                                      run_date="2024-06-01"))
    check = _checks(late)[("outcome_board", OVERDUE)]
    assert not check.passed and check.severity is dg.AssetCheckSeverity.WARN
    assert "se_principal_roads_maintenance | Principal roads" in check.metadata["overdue_indicators"].value
    assert "| 2019/20 |" in check.metadata["overdue_indicators"].value
    on_time = dg.materialize(board, resources=_resources(_landing(tmp_path / "early", {"r.csv": rows}),
                                                         tmp_path / "early", run_date="2020-06-01"))
    table = _checks(on_time)[("outcome_board", OVERDUE)].metadata["overdue_indicators"].value
    assert "se_principal_roads_maintenance" not in table


def test_every_check_passes_on_the_sample_data(landing, tmp_path):
    """Judged on a day when the SAMPLE DATA's latest periods are the ones due (it ends in 2025)."""
    result = dg.materialize(ALL_ASSETS, resources=_resources(landing, tmp_path, run_date="2025-06-01"),
                            partition_key="2024-04-01")
    checks = _checks(result)
    assert len(checks) == 2 * len(LANDING_ASSETS) + 2
    assert all(c.passed for c in checks.values()), [k for k, c in checks.items() if not c.passed]
    assert sorted(p.name for p in landing.iterdir() if p.is_file()) == ["README.md"]  # everything filed
