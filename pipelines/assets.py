"""The asset graph: sources -> observations -> quartile positions, trends, benchmark comparisons ->
outcome board -> published snapshot -> scrutiny report. Each body calls the domain packages.

One source asset per adapter in ``sources.registry.ADAPTERS`` (a new adapter becomes an asset with no
change here); its owners and outcome tags come from the catalogue indicators whose source of record it is.
Every asset that writes the working warehouse is in the ``warehouse`` pool (dagster.yaml's default pool
limit of 1 serialises them).
"""

import re
import time
from collections.abc import Sequence

import dagster as dg

from indicators.catalogue import Catalogue
from pipelines.alerts import AlertNotDelivered, Notifier, rejection_alert
from pipelines.checks import (
    failure_cases,
    home_area_check_spec,
    home_area_result,
    md_table,
    overdue_check_spec,
    overdue_result,
    reconciliation_result,
    source_check_specs,
    validation_result,
)
from pipelines.intake import TakenIn, select_files, take_in
from pipelines.partitions import fiscal_quarters, quarter_for_key
from pipelines.resources import PipelineSettings, WarehouseResource
from reports.build import build_report
from sources.adapters.base import Adapter
from sources.filing import Destination
from sources.landing import UNRECOGNISED, classify
from sources.registry import ADAPTERS
from warehouse.compute import compute_step, current_scope, mark_computed, plan_scope
from warehouse.publish import publish
from warehouse.reference import write_reference
from warehouse.schema import ensure_schema
from warehouse.status import home_area_coverage, overdue_indicators

WAREHOUSE_POOL = "warehouse"
BI_TEAM = "team:bi"
PREVIEW_ROWS = 20


class LandingSelection(dg.Config):
    """Which landing files this run judges. The landing sensor names the complete new files (files still
    being written wait for a later run); left empty, every file waiting in the landing folder is judged."""

    only_files: list[str] | None = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _outcome_labels(catalogue: Catalogue, source_id: str) -> tuple[list[str], dict[str, str]]:
    """Owners (the Outcome Boards of the outcomes this source feeds) and one tag per outcome."""
    outcomes = sorted({i.outcome for i in catalogue.for_source(source_id)})
    known = [catalogue.outcomes[o] for o in outcomes if o in catalogue.outcomes]
    owners = [BI_TEAM, *sorted({f"team:{_slug(o.board)}" for o in known})]
    return owners, {f"outcome/{_slug(o.name)}": "" for o in known}


def _intake_metadata(taken: Sequence[TakenIn]) -> dict[str, object]:
    """What every source materialisation records: files, counts, checksums, where each file went."""
    judged = [t.result for t in taken if t.result is not None]
    return {
        "files": dg.MetadataValue.json([t.filed.source.name for t in taken]),
        "files_judged": len(judged),
        "files_already_loaded": len(taken) - len(judged),
        "files_rejected": sum(1 for r in judged if r.file_error is not None),
        "rows_read": sum(r.rows_read for r in judged),
        "rows_accepted": sum(r.rows_accepted for r in judged),
        "rows_rejected": sum(r.rows_rejected for r in judged),
        "rows_skipped": sum(r.rows_skipped for r in judged),
        "rows_new": sum(t.ingested.outcome.rows_new for t in taken),
        "rows_revised": sum(t.ingested.outcome.rows_revised for t in taken),
        "checksums": dg.MetadataValue.json({r.path.name: r.checksum for r in judged}),
        "files_to_processed": sum(1 for t in taken if t.filed.destination is Destination.PROCESSED),
        "files_to_rejected": sum(1 for t in taken if t.filed.destination is Destination.REJECTED),
        "rejection_reports": dg.MetadataValue.json([str(t.filed.report.resolve()) for t in taken
                                                      if t.filed.report]),
        "filed": md_table(["file", "went to", "rejection report", "note"],
                          [(t.filed.source.name, t.filed.moved_to or t.filed.destination.value,
                            t.filed.report or "", t.filed.note) for t in taken]),
        "rejected_preview": md_table(["file", "row", "column", "value", "reason"], failure_cases(taken, PREVIEW_ROWS)),
    }


def _alert_rejections(context: dg.AssetExecutionContext, notifier: Notifier, source: str,
                      taken: Sequence[TakenIn]) -> None:
    rejected = []
    for t in taken:
        if not t.needs_action:
            continue
        r = t.result
        if r is None:
            what = t.filed.note
        elif r.file_error is not None:
            what = f"whole file rejected: {r.file_error}"
        else:
            top = sorted(r.rejection_reasons().items(), key=lambda item: -item[1])[:3]
            what = (f"{r.rows_rejected} of {r.rows_read} rows rejected ("
                    + "; ".join(f"{n} x {reason}" for reason, n in top) + f"); {r.rows_accepted} rows loaded")
        rejected.append((t.filed.source.name, what, t.filed.report.resolve() if t.filed.report else None))
    if not rejected:
        return
    try:
        notifier.notify(*rejection_alert(source, rejected))
    except AlertNotDelivered as exc:  # the alerts log has it; a mail outage must not fail the load
        context.log.warning(str(exc))


def _take_in_asset(context: dg.AssetExecutionContext, config: LandingSelection, settings: PipelineSettings,
                   warehouse: WarehouseResource, notifier: Notifier, adapter: Adapter | None) -> dg.MaterializeResult:
    """The body every landing-reading asset shares: its files in, filed, alerted, checked."""
    adapter_id = adapter.id if adapter else UNRECOGNISED
    files = select_files(classify(settings.landing), adapter_id, config.only_files, context.log.info)
    taken: list[TakenIn] = []
    if files:  # no files of this source: nothing to open. The reference tables are the observations step's.
        with warehouse.working() as con:
            ensure_schema(con)
            taken = take_in(con, files, settings.landing, settings.validation_context(), adapter, context.log.info)
    _alert_rejections(context, notifier, context.asset_key.to_user_string(), taken)
    return dg.MaterializeResult(metadata=_intake_metadata(taken),
                                check_results=[validation_result(taken), reconciliation_result(taken)])


def build_source_asset(adapter: Adapter, catalogue: Catalogue) -> dg.AssetsDefinition:
    """One asset per registered source: judge, load and file the landing files this adapter reads."""
    name = f"source_{adapter.id}"
    owners, tags = _outcome_labels(catalogue, adapter.id)
    indicators = catalogue.for_source(adapter.id)

    @dg.asset(
        name=name,
        group_name="sources",
        description=f"{adapter.title}: the landing files this adapter reads (recognised by content: "
                    f"{adapter.expects}), validated, loaded into the working warehouse (one transaction per "
                    f"file) and moved to processed/ or rejected/. Source of record for {len(indicators)} "
                    "catalogue indicator(s).",
        kinds={"duckdb", "pandas"},
        owners=owners,
        tags=tags,
        metadata={"adapter": adapter.id, "indicators": dg.MetadataValue.json(sorted(i.id for i in indicators))},
        pool=WAREHOUSE_POOL,
        check_specs=source_check_specs(name),
    )
    def _source(context: dg.AssetExecutionContext, config: LandingSelection, settings: PipelineSettings,
                warehouse: WarehouseResource, notifier: Notifier) -> dg.MaterializeResult:
        return _take_in_asset(context, config, settings, warehouse, notifier, adapter)

    return _source


def _source_assets() -> list[dg.AssetsDefinition]:
    catalogue = PipelineSettings.from_env().catalogue  # read once (each PipelineSettings reads the files again)
    return [build_source_asset(a, catalogue) for a in ADAPTERS]


SOURCE_ASSETS = _source_assets()


@dg.asset(group_name="sources", pool=WAREHOUSE_POOL, kinds={"duckdb"}, owners=[BI_TEAM],
          check_specs=source_check_specs("source_unrecognised"),
          description="Landing files that no adapter reads: recorded as rejected loads with the reason and "
                      "moved to rejected/ with a rejection report.")
def source_unrecognised(context: dg.AssetExecutionContext, config: LandingSelection, settings: PipelineSettings,
                        warehouse: WarehouseResource, notifier: Notifier) -> dg.MaterializeResult:
    return _take_in_asset(context, config, settings, warehouse, notifier, None)


LANDING_ASSETS = [*SOURCE_ASSETS, source_unrecognised]


def _compute_asset(step: str, deps: list, description: str) -> dg.AssetsDefinition:
    @dg.asset(name=step, deps=deps, group_name="methods", pool=WAREHOUSE_POOL, kinds={"duckdb", "sql"},
              owners=[BI_TEAM], description=description)
    def _step(context: dg.AssetExecutionContext, settings: PipelineSettings,
              warehouse: WarehouseResource) -> dg.MaterializeResult:
        started = time.perf_counter()
        with warehouse.working() as con:
            if step == "observations":  # written once a run, here: the scope is planned on them
                write_reference(con, settings.catalogue, settings.areas, settings.groups, settings.settings)
                scope = plan_scope(con)
            else:
                scope = current_scope(con)
            rows = compute_step(con, step, indicators=scope)
        seconds = time.perf_counter() - started
        recomputed = "every indicator" if scope is None else f"{len(scope)} changed indicator(s)"
        context.log.info(f"{step}: {rows:,} rows in {seconds:.1f} s (recomputed {recomputed})")
        return dg.MaterializeResult(metadata={
            "rows": rows, "seconds": round(seconds, 2),
            "indicators_recomputed": "all" if scope is None else len(scope)})

    return _step


observations = _compute_asset(
    "observations", LANDING_ASSETS,
    "Current revision of every observation with its catalogue fields (mart.observation_current).")
quartile_positions = _compute_asset(
    "quartile_positions", [observations],
    "Rank and quartile within the comparator group (phe_quantile_4), with spine-chart thresholds.")
trends = _compute_asset(
    "trends", [observations],
    "Recent trend (fingertips_next_wls) and direction of travel, one row per series.")
benchmark_comparisons = _compute_asset(
    "benchmark_comparisons", [observations],
    "Each value compared with England (95% CI overlapping the England value).")


@dg.asset(deps=[quartile_positions, trends, benchmark_comparisons], group_name="methods", pool=WAREHOUSE_POOL,
          kinds={"duckdb", "sql"}, owners=[BI_TEAM],
          check_specs=[home_area_check_spec("outcome_board"), overdue_check_spec("outcome_board")],
          description="One row per catalogue indicator for the home area: the Outcome Board's table.")
def outcome_board(context: dg.AssetExecutionContext, settings: PipelineSettings,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.working() as con:
        rows = compute_step(con, "outcome_board", settings.judged_on)
        if not mark_computed(con):  # what the method tables reflect: the next run can be incremental from there
            context.log.warning("Not every method step ran on the latest observations in this run (a selection of "
                                "assets?): the next run recomputes what they missed.")
        coverage = home_area_coverage(con)
        overdue = overdue_indicators(con)
    return dg.MaterializeResult(metadata={"rows": rows},
                                check_results=[home_area_result(coverage), overdue_result(overdue, rows)])


@dg.asset(deps=[outcome_board], group_name="publish", pool=WAREHOUSE_POOL, kinds={"duckdb"}, owners=[BI_TEAM],
          description="Read-only snapshot for analysts: checkpointed copy, atomically renamed onto the "
                      "published file.")
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    path = publish(warehouse.paths)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                          "size_mb": round(path.stat().st_size / 1e6, 2)})


@dg.asset(deps=[published_warehouse], group_name="reports", partitions_def=fiscal_quarters,
          kinds={"excel", "html"}, owners=[BI_TEAM],
          description="Quarterly scrutiny report (workbook and HTML) for a fiscal quarter (Q1 = April-June), "
                      "read from the published warehouse.")
def scrutiny_report(context: dg.AssetExecutionContext, settings: PipelineSettings,
                    warehouse: WarehouseResource) -> dg.MaterializeResult:
    quarter = quarter_for_key(context.partition_key)
    files = build_report(warehouse.paths.published, quarter, settings.reports_for(warehouse.paths),
                         run_id=context.run.run_id)
    return dg.MaterializeResult(metadata={
        "quarter": quarter.label, "workbook": dg.MetadataValue.path(str(files.workbook)),
        "html": dg.MetadataValue.path(str(files.html)), "indicators": files.indicators,
        "sample_data": files.is_sample, "signed_off": files.signed_off,
    })


ALL_ASSETS = [*LANDING_ASSETS, observations, quartile_positions, trends, benchmark_comparisons, outcome_board,
              published_warehouse, scrutiny_report]
