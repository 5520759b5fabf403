"""Asset checks: what sources/ and the warehouse already decided, reported in the Dagster UI.

Nothing is validated or computed again here: the validation and reconciliation checks read the
FileResults that ``sources.validate`` returned while the source asset ran, and the home-area and overdue
checks read ``mart.outcome_board.status`` and ``.overdue`` as the warehouse computed them. Checks are
declared beside their asset (``check_specs``) and returned in its ``MaterializeResult``, as Dagster's own
platform does. None is blocking: a rejected file must not stop the other files from being published (exit
code 2, not 1).
"""

from collections import Counter
from collections.abc import Sequence

import dagster as dg

from pipelines.intake import TakenIn
from warehouse.status import HomeCoverage, OverdueIndicator

VALIDATION = "validation"
RECONCILIATION = "rows_reconcile"
HOME_AREA_COVERAGE = "home_area_has_data"
OVERDUE = "indicators_up_to_date"
FAILURE_CASES_SHOWN = 20


def source_check_specs(asset_name: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(VALIDATION, asset=asset_name,
                          description="Every row of every file judged in this run passed validation "
                                      "(ERROR when a whole file is rejected, WARN when some rows are)."),
        dg.AssetCheckSpec(RECONCILIATION, asset=asset_name,
                          description="For every file judged: rows read = accepted + rejected + skipped."),
    ]


def home_area_check_spec(asset_name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(HOME_AREA_COVERAGE, asset=asset_name,
                             description="Every catalogue indicator has data for the home area "
                                         "(outcome_board.status is not 'no data').")


def overdue_check_spec(asset_name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(OVERDUE, asset=asset_name,
                             description="No catalogue indicator is overdue: each has data for the period its "
                                         "frequency and publication lag say should be available by now "
                                         "(outcome_board.overdue).")


def md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> dg.MetadataValue:
    """A small Markdown table for the UI (cells with '|' or newlines are flattened)."""

    def cell(value: object) -> str:
        return " ".join(str(value).split()).replace("|", "/")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


def failure_cases(taken: Sequence[TakenIn], limit: int = FAILURE_CASES_SHOWN) -> list[tuple]:
    """(file, row, column, value, reason) for the first rejections: whole files first, then rows."""
    cases: list[tuple] = [(t.result.path.name, "", "", "", t.result.file_error) for t in taken
                          if t.result is not None and t.result.file_error is not None]
    for t in taken:
        if t.result is not None and t.result.file_error is None:
            cases += [(t.result.path.name, int(r.source_row), r.column, r.value, r.reason)
                      for r in t.result.rejected.head(limit).itertuples()]
    return cases[:limit]


def validation_result(taken: Sequence[TakenIn]) -> dg.AssetCheckResult:
    judged = [t.result for t in taken if t.result is not None]
    files_rejected = [r for r in judged if r.file_error is not None]
    rows_rejected = sum(r.rows_rejected for r in judged if r.file_error is None)
    reasons: Counter[str] = Counter()
    for r in judged:
        reasons.update(r.rejection_reasons())
    passed = not files_rejected and rows_rejected == 0
    severity = dg.AssetCheckSeverity.ERROR if files_rejected else dg.AssetCheckSeverity.WARN
    if passed:
        description = f"{len(judged)} file(s) judged, nothing rejected."
    else:
        description = (f"{len(files_rejected)} whole file(s) and {rows_rejected} row(s) in other files rejected; "
                       "rejection reports are beside the files in the landing folder's rejected/ folder.")
    return dg.AssetCheckResult(
        check_name=VALIDATION, passed=passed, severity=severity, description=description,
        metadata={
            "files_judged": len(judged),
            "files_rejected": len(files_rejected),
            "rows_rejected": rows_rejected,
            "rejections_by_reason": dg.MetadataValue.json(dict(reasons.most_common())),
            "failure_cases": md_table(["file", "row", "column", "value", "reason"], failure_cases(taken)),
            "rejection_reports": dg.MetadataValue.json([str(t.filed.report.resolve())
                                                           for t in taken if t.filed.report]),
        },
    )


def reconciliation_result(taken: Sequence[TakenIn]) -> dg.AssetCheckResult:
    judged = [t.result for t in taken if t.result is not None]
    rows = [(r.path.name, r.rows_read, r.rows_accepted, r.rows_rejected, r.rows_skipped,
             "yes" if r.reconciles else "NO") for r in judged]
    broken = [r.path.name for r in judged if not r.reconciles]
    return dg.AssetCheckResult(
        check_name=RECONCILIATION, passed=not broken, severity=dg.AssetCheckSeverity.ERROR,
        description=("Every row read is accepted, rejected or skipped." if not broken else
                     f"Rows unaccounted for in {', '.join(broken)}: report this to the pipeline's maintainers."),
        metadata={"rows_read": sum(r.rows_read for r in judged),
                  "rows_accepted": sum(r.rows_accepted for r in judged),
                  "rows_rejected": sum(r.rows_rejected for r in judged),
                  "rows_skipped": sum(r.rows_skipped for r in judged),
                  "files": md_table(["file", "read", "accepted", "rejected", "skipped", "reconciles"], rows),
                  "files_not_reconciling": dg.MetadataValue.json(broken)},
    )


def home_area_result(coverage: HomeCoverage) -> dg.AssetCheckResult:
    missing = coverage.missing
    return dg.AssetCheckResult(
        check_name=HOME_AREA_COVERAGE, passed=not missing, severity=dg.AssetCheckSeverity.WARN,
        description=(f"All {coverage.indicators} catalogue indicators have data for the home area." if not missing
                     else f"{len(missing)} of {coverage.indicators} catalogue indicators have no data for the home "
                          "area: load their source files."),
        metadata={"indicators": coverage.indicators, "without_data": len(missing),
                  "indicators_without_data": md_table(
                      ["indicator", "name", "outcome", "source"],
                      [(m.indicator_id, m.indicator_name, m.outcome_name, m.source_id) for m in missing])},
    )


def overdue_result(overdue: Sequence[OverdueIndicator], indicators: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=OVERDUE, passed=not overdue, severity=dg.AssetCheckSeverity.WARN,
        description=(f"All {indicators} catalogue indicators are up to date." if not overdue
                     else f"{len(overdue)} of {indicators} catalogue indicators are overdue: ask their source "
                          "for the expected period, or load it."),
        metadata={"indicators": indicators, "overdue": len(overdue),
                  "overdue_indicators": md_table(
                      ["indicator", "name", "outcome", "latest period", "expected period", "source"],
                      [(o.indicator_id, o.indicator_name, o.outcome_name, o.latest_period or "no data",
                        o.expected_period, o.source_id) for o in overdue])},
    )
