"""Direction of travel (METHODS.md section 4, LG Inform style): the readable reference implementation.

The latest value of a series against its previous period with a value (same period type), and for
quarterly and monthly series also against the same period a year earlier. The change is judged at the
indicator's published precision (catalogue ``decimals``): two values that print the same are "No change".
Where both points have 95% CIs the change is significant only when the intervals do not overlap
(Fingertips TrendBetweenTwoValuesCalculator). Across a definition break (catalogue break note) or a
change in the area's comparator-group membership the two values are "Not comparable".

Rounding is half away from zero, as DuckDB's round() does (not Python's round-half-even), so the
warehouse and this reference print the same words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from indicators.catalogue.model import Polarity
from indicators.methods.labels import (
    NO_CONFIDENCE_INTERVALS,
    NOT_COMPARABLE,
    NOT_SIGNIFICANT,
    SIGNIFICANT,
    direction_label,
)

SUB_ANNUAL_TYPES = frozenset({"quarter", "month"})


@dataclass(frozen=True)
class Reading:
    """One period of a series as the direction of travel sees it."""

    period: str
    start: date
    end: date
    period_type: str
    value: float | None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class Comparison:
    label: str
    significance: str | None  # None when not comparable


@dataclass(frozen=True)
class SeriesDirection:
    latest: Reading | None
    previous: Reading | None
    change: Comparison | None
    year_ago: Reading | None
    year_on_year: Comparison | None


def round_half_away(value: float, decimals: int) -> float:
    """round() as DuckDB computes it for a DOUBLE: std::round(value * 10^d) / 10^d."""
    scale = 10.0 ** decimals
    scaled = value * scale
    whole = math.floor(abs(scaled))
    if abs(scaled) - whole >= 0.5:
        whole += 1
    return math.copysign(whole, scaled) / scale


def significance(a: Reading, b: Reading) -> str:
    if None in (a.lower, a.upper, b.lower, b.upper):
        return NO_CONFIDENCE_INTERVALS
    return SIGNIFICANT if a.lower > b.upper or a.upper < b.lower else NOT_SIGNIFICANT


def compare(latest: Reading, earlier: Reading, polarity: Polarity, decimals: int, comparable: bool) -> Comparison:
    """Label the change from ``earlier`` to ``latest`` (both with values)."""
    if not comparable:
        return Comparison(NOT_COMPARABLE, None)
    diff = round_half_away(latest.value, decimals) - round_half_away(earlier.value, decimals)
    return Comparison(direction_label(polarity, (diff > 0) - (diff < 0)), significance(latest, earlier))


def _one_year_earlier(day: date) -> date:
    return day.replace(year=day.year - 1)  # period starts are first days of a month, never 29 February


def series_direction(series: Sequence[Reading], polarity: Polarity, decimals: int,
                     break_starts: Sequence[date] = (),
                     member_on: Callable[[date], bool] | None = None) -> SeriesDirection:
    """Direction of travel of one series; ``break_starts`` are the catalogue's break-note period starts,
    ``member_on(day)`` says whether the area is in the indicator's comparator group on that day."""
    valued = sorted((r for r in series if r.value is not None), key=lambda r: r.start)
    if not valued:
        return SeriesDirection(None, None, None, None, None)
    latest = valued[-1]

    def comparable(earlier: Reading) -> bool:
        crosses_break = any(earlier.start < b <= latest.start for b in break_starts)
        group_changed = member_on is not None and member_on(earlier.end) != member_on(latest.end)
        return not crosses_break and not group_changed

    earlier_same_type = [r for r in valued[:-1] if r.period_type == latest.period_type]
    previous = earlier_same_type[-1] if earlier_same_type else None
    change = compare(latest, previous, polarity, decimals, comparable(previous)) if previous else None
    year_ago = None
    if latest.period_type in SUB_ANNUAL_TYPES:
        target = _one_year_earlier(latest.start)
        year_ago = next((r for r in earlier_same_type if r.start == target), None)
    yoy = compare(latest, year_ago, polarity, decimals, comparable(year_ago)) if year_ago else None
    return SeriesDirection(latest, previous, change, year_ago, yoy)
