"""Values the catalogue derives from source values: aggregate areas and running totals (METHODS.md
section 7). The readable reference for warehouse/sql/methods/00_current_observations.sql.

* An aggregate area (Leicester and Leicestershire: E06000016 + E10000018) is the sum of its components
  where the value type allows: counts, amounts and currency add up; a proportion or crude rate is
  re-formed from the summed counts and denominators. Any other type (rates standardised by age, ratios,
  life expectancy, scores) cannot be aggregated from the published values, so it is not. Every component
  must have the period; otherwise there is no aggregate value.
* A running total (catalogue ``cumulative_from``): the value at each period is the sum of the series'
  values from that period on; when a year since then has no value the total is unknown (None), never a
  sum with a hole in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

ADDITIVE_TYPES = frozenset({"count", "amount", "currency"})
FROM_COUNTS_TYPES = frozenset({"proportion", "crude_rate"})


@dataclass(frozen=True)
class Component:
    value: float | None
    count: float | None = None
    denominator: float | None = None


def aggregate_value(value_type: str, components: Sequence[Component], n_components: int,
                    multiplier: float = 1.0) -> float | None:
    """The aggregate area's value from its components' rows for one period (None when not derivable)."""
    if len(components) != n_components:
        return None
    if value_type in ADDITIVE_TYPES:
        values = [c.value for c in components]
        return None if None in values else sum(values)  # type: ignore[arg-type]
    if value_type in FROM_COUNTS_TYPES:
        if any(c.count is None or c.denominator is None for c in components):
            return None
        return sum(c.count for c in components) / sum(c.denominator for c in components) * multiplier
    return None


def running_totals(series: Sequence[tuple[date, float | None]], from_start: date) -> list[tuple[date, float | None]]:
    """(period start, value) of an annual series -> (period start, running total) from ``from_start`` on."""
    out: list[tuple[date, float | None]] = []
    total: float | None = 0.0
    expected_year = from_start.year
    for start, value in sorted(series):
        if start < from_start:
            continue
        if total is not None and (value is None or start.year != expected_year):
            total = None  # a year without a value (or a missing year): no total from here on
        elif total is not None:
            total += value
        expected_year = start.year + 1
        out.append((start, total))
    return out
