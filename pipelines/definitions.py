"""The one entry point Dagster loads (``dagster dev`` from the project root; pyproject [tool.dagster])."""

from __future__ import annotations

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.resources import PipelineSettings, WarehouseResource


def resources_from_env() -> dict[str, dg.ConfigurableResource]:
    return {"settings": PipelineSettings.from_env(), "warehouse": WarehouseResource.from_env()}


defs = dg.Definitions(
    assets=ALL_ASSETS,
    resources=resources_from_env(),
    executor=dg.in_process_executor,
)
