"""The asset graph: sources -> observations -> quartile positions, trends, benchmark comparisons ->
outcome board -> published snapshot -> scrutiny report. Each body calls the domain packages."""

import dagster as dg

from pipelines.partitions import fiscal_quarters, quarter_for_key
from pipelines.resources import PipelineSettings, WarehouseResource
from reports.build import build_report
from sources.adapters.base import Adapter
from sources.landing import UNRECOGNISED, classify
from sources.registry import ADAPTERS
from warehouse.compute import compute_step
from warehouse.ingest import Ingested, ingest, record_unreadable
from warehouse.publish import publish
from warehouse.reference import write_reference

WAREHOUSE_POOL = "warehouse"


def _ingest_metadata(done: list[Ingested]) -> dict[str, dg.MetadataValue]:
    results = [d.result for d in done if d.result is not None]
    rejected_preview = [
        {"file": r.path.name, "row": int(x.source_row), "column": x.column, "value": x.value, "reason": x.reason}
        for r in results for x in r.rejected.head(5).itertuples()
    ] + [{"file": r.path.name, "row": 0, "column": "", "value": "", "reason": r.file_error}
         for r in results if r.file_error]
    return {
        "files": dg.MetadataValue.json([d.path.name for d in done]),
        "files_already_loaded": len([d for d in done if d.result is None]),
        "rows_read": sum(r.rows_read for r in results),
        "rows_accepted": sum(r.rows_accepted for r in results),
        "rows_rejected": sum(r.rows_rejected for r in results),
        "rows_skipped": sum(r.rows_skipped for r in results),
        "files_rejected": len([r for r in results if r.file_error]),
        "rows_new": sum(d.outcome.rows_new for d in done),
        "rows_revised": sum(d.outcome.rows_revised for d in done),
        "checksums": dg.MetadataValue.json({d.path.name: (d.result.checksum if d.result else "already loaded")
                                            for d in done}),
        "rejected_preview": dg.MetadataValue.json(rejected_preview[:20]),
    }


def build_source_asset(adapter: Adapter) -> dg.AssetsDefinition:
    """One asset per registered source: judge and load the landing files this adapter reads."""

    @dg.asset(
        name=f"source_{adapter.id}",
        group_name="sources",
        description=f"{adapter.title}: files in the landing folder read by this adapter, validated and "
                    "loaded into the working warehouse (one transaction per file).",
        kinds={"duckdb", "pandas"},
        pool=WAREHOUSE_POOL,
    )
    def _source(context: dg.AssetExecutionContext, settings: PipelineSettings,
                warehouse: WarehouseResource) -> dg.MaterializeResult:
        files = [f.path for f in classify(settings.landing) if f.adapter_id == adapter.id]
        with warehouse.working() as con:
            write_reference(con, settings.catalogue, settings.areas, settings.groups, settings.settings)
            done = ingest(con, files, settings.validation_context(), adapter,
                          progress=lambda n, total, p: context.log.info(f"{adapter.id}: {n}/{total} {p.name}"))
        return dg.MaterializeResult(metadata=_ingest_metadata(done))

    return _source


SOURCE_ASSETS = [build_source_asset(a) for a in ADAPTERS]


@dg.asset(group_name="sources", pool=WAREHOUSE_POOL, kinds={"duckdb"},
          description="Landing files that no adapter reads, recorded as rejected loads with the reason.")
def source_unrecognised(settings: PipelineSettings, warehouse: WarehouseResource) -> dg.MaterializeResult:
    files = [f for f in classify(settings.landing) if f.adapter_id == UNRECOGNISED]
    with warehouse.working() as con:
        write_reference(con, settings.catalogue, settings.areas, settings.groups, settings.settings)
        done = [record_unreadable(con, f.path, f.problem or "unrecognised") for f in files]
    return dg.MaterializeResult(metadata=_ingest_metadata(done))


def _compute_asset(step: str, deps: list, description: str) -> dg.AssetsDefinition:
    @dg.asset(name=step, deps=deps, group_name="methods", pool=WAREHOUSE_POOL, kinds={"duckdb", "sql"},
              description=description)
    def _step(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.working() as con:
            rows = compute_step(con, step)
        return dg.MaterializeResult(metadata={"rows": rows})

    return _step


observations = _compute_asset(
    "observations", [*SOURCE_ASSETS, source_unrecognised],
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
outcome_board = _compute_asset(
    "outcome_board", [quartile_positions, trends, benchmark_comparisons],
    "One row per catalogue indicator for the home area: the Outcome Board's table.")


@dg.asset(deps=[outcome_board], group_name="publish", pool=WAREHOUSE_POOL, kinds={"duckdb"},
          description="Read-only snapshot for analysts: checkpointed copy, atomically renamed onto the "
                      "published file.")
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    path = publish(warehouse.paths)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path)),
                                          "size_mb": round(path.stat().st_size / 1e6, 2)})


@dg.asset(deps=[published_warehouse], group_name="reports", partitions_def=fiscal_quarters,
          kinds={"excel", "html"},
          description="Quarterly scrutiny report (workbook and HTML) for a fiscal quarter.")
def scrutiny_report(context: dg.AssetExecutionContext, settings: PipelineSettings,
                    warehouse: WarehouseResource) -> dg.MaterializeResult:
    quarter = quarter_for_key(context.partition_key)
    files = build_report(warehouse.paths.published, quarter, settings.reports_for(warehouse.paths))
    return dg.MaterializeResult(metadata={
        "quarter": quarter.label, "workbook": dg.MetadataValue.path(str(files.workbook)),
        "html": dg.MetadataValue.path(str(files.html)), "indicators": files.indicators,
        "sample_data": files.is_sample,
    })


ALL_ASSETS = [*SOURCE_ASSETS, source_unrecognised, observations, quartile_positions, trends,
              benchmark_comparisons, outcome_board, published_warehouse, scrutiny_report]
