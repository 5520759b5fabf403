"""Fiscal-quarter partitions for the scrutiny report: Q1 = April-June, from 2022/23 (the plan's first year).

Partition keys are the quarter's first day (``2024-04-01`` = 2024/25 Q1), which `outcomes report`
also accepts, so a past quarter can be regenerated from the UI or the CLI alike. A quarter's partition
exists once the quarter has ended (Dagster adds a time window when it closes), in UK time.
"""

from datetime import date

import dagster as dg

from indicators.periods import Period, fiscal_quarter_of, parse_fiscal_quarter, previous_fiscal_quarter

TIMEZONE = "Europe/London"

fiscal_quarters = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1,4,7,10 *",
    start="2022-04-01",
    fmt="%Y-%m-%d",
    timezone=TIMEZONE,
)


def quarter_for_key(partition_key: str) -> Period:
    return parse_fiscal_quarter(partition_key)


def key_for_quarter(quarter: Period) -> str:
    return quarter.start.isoformat()


def quarter_just_ended(day: date) -> Period:
    """The fiscal quarter that ended before ``day``'s quarter began: what a quarterly report covers."""
    return previous_fiscal_quarter(fiscal_quarter_of(day))
