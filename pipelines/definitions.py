"""The one entry point Dagster loads (``dagster dev`` from the project root; pyproject [tool.dg.project])."""

import dagster as dg

from pipelines.alerts import Notifier
from pipelines.assets import ALL_ASSETS
from pipelines.resources import PipelineSettings, WarehouseResource
from pipelines.schedules import JOBS, SCHEDULES
from pipelines.sensors import SENSORS


def resources_from_env() -> dict[str, dg.ConfigurableResource]:
    """Every resource from environment variables with defaults (README "The Dagster UI")."""
    return {"settings": PipelineSettings.from_env(), "warehouse": WarehouseResource.from_env(),
            "notifier": Notifier.from_env()}


defs = dg.Definitions(
    assets=ALL_ASSETS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=resources_from_env(),
    executor=dg.in_process_executor,
)
