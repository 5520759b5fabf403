"""Freshness (METHODS.md section 7): which period should be available by a run date, and "overdue".

A period is expected once its publication lag has passed: a period ending in month M with a lag of L
months is due from the first day of month M + L + 1 (a 2023/24 financial-year figure with a 6-month lag
is due from 1 October 2024). The expected period is the latest one due by the run date; an indicator
whose latest loaded period ends before the expected period ends (or that has no data) is overdue.

The kind of period comes from the data when there is some (the latest period's type), else from the
catalogue: frequency and ``period_convention`` (annual: financial unless academic or calendar;
quarterly: fiscal quarters unless calendar).
"""

from __future__ import annotations

from datetime import date

from indicators.periods import (
    Period,
    academic_year,
    calendar_quarter,
    calendar_year,
    financial_year,
    fiscal_quarter_of,
    month,
    pooled_years,
)

# Period kind -> the month (1-12) in which such a period ends; None = every month / every quarter end.
ANNUAL_END_MONTH = {"financial_year": 3, "academic_year": 8, "calendar_year": 12, "multi_year": 12}


def period_kind(frequency: str, convention: str | None, observed_type: str | None = None,
                observed_label: str | None = None) -> str:
    """The kind of period an indicator publishes: ``financial_year`` ... ``fiscal_quarter``, ``month``."""
    if observed_type == "quarter":
        return "fiscal_quarter" if observed_label and "/" in observed_label else "calendar_quarter"
    if observed_type in ANNUAL_END_MONTH or observed_type == "month":
        return observed_type
    if frequency == "quarterly":
        return "calendar_quarter" if convention == "calendar" else "fiscal_quarter"
    if frequency == "monthly":
        return "month"
    if frequency == "multi_year":
        return "multi_year"
    return {"academic": "academic_year", "calendar": "calendar_year"}.get(convention or "", "financial_year")


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def expected_period(kind: str, lag_months: int, run_date: date, span_years: int = 3) -> Period:
    """The latest period of ``kind`` whose publication lag has passed by ``run_date``."""
    k = _month_index(run_date) - lag_months - 1  # the latest month in which a due period can end
    if kind in ANNUAL_END_MONTH:
        end_year = (k - (ANNUAL_END_MONTH[kind] - 1)) // 12
        match kind:
            case "financial_year":
                return financial_year(end_year - 1)
            case "academic_year":
                return academic_year(end_year - 1)
            case "calendar_year":
                return calendar_year(end_year)
            case _:
                return pooled_years(end_year - span_years + 1, end_year)
    if kind == "month":
        return month(k // 12, k % 12 + 1)
    if kind in ("fiscal_quarter", "calendar_quarter"):
        end = k - (k - 2) % 3  # quarters end in March, June, September, December (index % 3 == 2)
        start = date((end - 2) // 12, (end - 2) % 12 + 1, 1)
        if kind == "fiscal_quarter":
            return fiscal_quarter_of(start)
        return calendar_quarter(start.year, (start.month - 1) // 3 + 1)
    raise ValueError(f"unknown period kind {kind!r}")


def is_overdue(latest_end: date | None, expected: Period) -> bool:
    return latest_end is None or latest_end < expected.end
