"""Sensors: the landing folder (per-file cursor, see pipelines.landing_watch) and run-failure alerts."""

import time

import dagster as dg

from pipelines.alerts import AlertNotDelivered, Notifier, run_failure_alert
from pipelines.assets import LANDING_ASSETS
from pipelines.landing_watch import LandingCursor, look
from pipelines.resources import PipelineSettings
from pipelines.schedules import refresh_warehouse

LANDING_INTERVAL_SECONDS = 30
FILES_TAG = "outcomes/landing_files"
TAG_LIMIT = 200


def landing_run_config(files: list[str]) -> dict:
    """Every landing-reading asset judges only the files the sensor found complete."""
    return {"ops": {asset.op.name: {"config": {"only_files": files}} for asset in LANDING_ASSETS}}


@dg.sensor(
    job=refresh_warehouse,
    minimum_interval_seconds=LANDING_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="New or changed files in the landing folder start one refresh once they are complete "
                "(size and mtime unchanged since the last look). Files already requested do not start "
                "another run until they change; a file repeating bytes already requested is filed by the "
                "next run without starting one.",
)
def landing_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings) -> dg.SensorResult:
    tick = look(settings.landing, LandingCursor.from_json(context.cursor), time.time())
    if tick.waiting:
        context.log.info(f"still being written, waiting: {', '.join(tick.waiting)}")
    if not tick.ready:
        reason = (f"{len(tick.waiting)} file(s) still being written" if tick.waiting
                  else f"no new or changed file in {settings.landing}")
        return dg.SensorResult(skip_reason=dg.SkipReason(reason), cursor=tick.cursor.to_json())
    files = tick.run_files
    context.log.info(f"starting a refresh for {len(tick.ready)} new or changed file(s): {', '.join(files)}")
    request = dg.RunRequest(run_key=tick.run_key, run_config=landing_run_config(files),
                            tags={FILES_TAG: ", ".join(files)[:TAG_LIMIT]})
    return dg.SensorResult(run_requests=[request], cursor=tick.cursor.to_json())


def rejection_reports_of_run(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The rejection reports the run's source assets wrote before it failed (their materialisation metadata)."""
    reports: list[str] = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        value = entry.dagster_event.event_specific_data.materialization.metadata.get("rejection_reports")
        reports += list(value.value) if value is not None else []
    return reports


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Any failed run of this code location: the failed steps and what to do, to the notifier.",
)
def run_failure_alert_sensor(context: dg.RunFailureSensorContext, notifier: Notifier) -> None:
    failures = [(event.step_key or "", event.step_failure_data.error.message if event.step_failure_data.error
                 else "no error message")
                for event in context.get_step_failure_events()]
    if not failures:
        failures = [("(run)", context.failure_event.message or "the run failed before any step started")]
    reports = rejection_reports_of_run(context.instance, context.dagster_run.run_id)
    try:
        notifier.notify(*run_failure_alert(context.dagster_run.job_name, context.dagster_run.run_id, failures,
                                           reports))
    except AlertNotDelivered as exc:  # written to the alerts log already; do not fail the sensor in a loop
        context.log.warning(str(exc))


SENSORS = [landing_sensor, run_failure_alert_sensor]
