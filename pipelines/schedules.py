"""Jobs and schedules: the whole refresh (landing files to published warehouse) and the quarterly report.

- ``refresh_warehouse``: every asset but the report; started by the landing sensor, the weekly schedule
  (off by default: turn it on in the UI to refresh even when no file arrives) or by hand.
- ``quarterly_scrutiny_report``: everything, for one fiscal quarter; its schedule runs at 06:00 UK time on
  the first day of each quarter and builds the quarter that has just ended (the last complete partition).
"""

import dagster as dg

from pipelines.assets import scrutiny_report
from pipelines.partitions import TIMEZONE, key_for_quarter, quarter_just_ended

refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(scrutiny_report),
    description="Judge, load and file the landing files, recompute the methods and publish the analysts' "
                "snapshot.",
)

quarterly_scrutiny_report = dg.define_asset_job(
    "quarterly_scrutiny_report",
    selection=dg.AssetSelection.all(),
    description="The whole refresh, then the scrutiny report (workbook and HTML) for one fiscal quarter.",
)



@dg.schedule(
    name="quarterly_scrutiny_schedule",
    job=quarterly_scrutiny_report,
    cron_schedule="0 6 1 1,4,7,10 *",
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="06:00 on the first day of each fiscal quarter: refresh, then the report of the quarter just ended.",
)
def quarterly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """The partition is the quarter that ended before the tick (the same rule as `outcomes run`'s default)."""
    key = key_for_quarter(quarter_just_ended(context.scheduled_execution_time.date()))
    return dg.RunRequest(run_key=f"quarterly-{key}", partition_key=key)


weekly_refresh_schedule = dg.ScheduleDefinition(
    name="weekly_refresh_schedule",
    job=refresh_warehouse,
    cron_schedule="0 7 * * 1",
    execution_timezone=TIMEZONE,
    description="Mondays 07:00: refresh the warehouse even when no landing file arrived (off by default).",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)

JOBS = [refresh_warehouse, quarterly_scrutiny_report]
SCHEDULES = [quarterly_schedule, weekly_refresh_schedule]
