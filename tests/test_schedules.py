"""Schedules at the fiscal-quarter boundary, and the partitions they target."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.partitions import TIMEZONE, fiscal_quarters, quarter_for_key, quarter_just_ended
from pipelines.schedules import quarterly_schedule, weekly_refresh_schedule

UK = ZoneInfo(TIMEZONE)


@pytest.mark.parametrize(("tick", "key", "label"), [
    (datetime(2024, 7, 1, 6, 0, tzinfo=UK), "2024-04-01", "2024/25 Q1"),
    (datetime(2024, 10, 1, 6, 0, tzinfo=UK), "2024-07-01", "2024/25 Q2"),
    (datetime(2025, 1, 1, 6, 0, tzinfo=UK), "2024-10-01", "2024/25 Q3"),
    (datetime(2025, 4, 1, 6, 0, tzinfo=UK), "2025-01-01", "2024/25 Q4"),
])
def test_quarterly_schedule_builds_the_quarter_just_ended(tick, key, label):
    request = quarterly_schedule(dg.build_schedule_context(scheduled_execution_time=tick))
    assert request.partition_key == key and request.run_key == f"quarterly-{key}"
    assert quarter_for_key(request.partition_key).label == label
    assert request.partition_key in fiscal_quarters.get_partition_keys(current_time=tick)


def test_quarterly_schedule_ticks_at_each_quarter_start_in_uk_time():
    assert quarterly_schedule.cron_schedule == "0 6 1 1,4,7,10 *"
    assert quarterly_schedule.execution_timezone == "Europe/London"
    assert quarterly_schedule.default_status is dg.DefaultScheduleStatus.RUNNING
    assert quarterly_schedule.job_name == "quarterly_scrutiny_report"


def test_quarter_partitions_start_with_the_plan_and_close_when_the_quarter_ends():
    keys = fiscal_quarters.get_partition_keys(current_time=datetime(2024, 7, 1, 0, 30, tzinfo=UK))
    assert keys[0] == "2022-04-01" and keys[-1] == "2024-04-01" and len(keys) == 9
    assert quarter_for_key(keys[0]).label == "2022/23 Q1"
    assert quarter_just_ended(date(2022, 7, 1)).label == "2022/23 Q1"


def test_weekly_refresh_is_off_by_default_and_refreshes_without_the_report():
    assert weekly_refresh_schedule.default_status is dg.DefaultScheduleStatus.STOPPED
    job = defs.resolve_job_def("refresh_warehouse")
    assert weekly_refresh_schedule.job_name == job.name
    keys = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert "published_warehouse" in keys and "scrutiny_report" not in keys
