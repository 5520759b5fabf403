"""Recent trend, FingertipsNext variant (METHODS.md section 3): the readable reference implementation.

Five most recent valid annual points (gaps allowed), weighted least squares on t = 1..5 with weights
1/SE^2, SE = (UCI - LCI)/3.92; significant when chi2 = b^2/Var(b) > 9.54953570608324 (chi-square, 1 df,
p < 0.002) AND every leave-one-out slope has the sign of b (each remaining point keeps its t). The
warehouse computes the same thing for all series at once in SQL (warehouse/sql/methods/20_trends.sql,
leave-one-out slopes from the five-point sums minus one point); tests hold the two equal.

Where a point has a count and denominator but no CI, the warehouse derives the CI first (Wilson or
Byar, :mod:`indicators.methods.confidence`), so a point reaching this function is valid or not as it
stands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.catalogue.model import Polarity
from indicators.methods.labels import (
    CANNOT_BE_CALCULATED,
    NO_SIGNIFICANT_CHANGE,
    REASON_LOO,
    REASON_NOT_ANNUAL,
    REASON_TOO_FEW,
    TREND_AGREES,
    TREND_DISAGREES,
    TREND_INSUFFICIENT,
    TREND_NOT_PUBLISHED,
    trend_label,
)

CHI2_THRESHOLD = 9.54953570608324
POINTS = 5
CI_WIDTH_Z = 3.92
ANNUAL_TYPES = frozenset({"financial_year", "calendar_year", "academic_year"})


@dataclass(frozen=True)
class TrendPoint:
    period: str
    value: float | None
    lower: float | None
    upper: float | None
    period_type: str = "financial_year"

    @property
    def valid(self) -> bool:
        return (self.value is not None and self.lower is not None and self.upper is not None
                and not any(math.isnan(x) for x in (self.value, self.lower, self.upper))
                and self.upper > self.lower)


@dataclass(frozen=True)
class TrendResult:
    label: str
    direction: int  # +1, -1 or 0 (no significant change / cannot be calculated)
    slope: float | None
    chi2: float | None
    periods: tuple[str, ...]
    reason: str | None


def _fit(points: Sequence[tuple[float, float, float]]) -> tuple[float, float]:
    """(t, y, w) -> slope b and Var(b) of the weighted least squares line."""
    sw = sum(w for _, _, w in points)
    swt = sum(w * t for t, _, w in points)
    swy = sum(w * y for _, y, w in points)
    swty = sum(w * t * y for t, y, w in points)
    swt2 = sum(w * t * t for t, _, w in points)
    denom = sw * swt2 - swt * swt
    return (sw * swty - swt * swy) / denom, sw / denom


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def recent_trend(series: Sequence[TrendPoint], polarity: Polarity) -> TrendResult:
    """Trend label for one series (area x indicator x breakdown) ordered oldest to newest."""
    if not {p.period_type for p in series} <= ANNUAL_TYPES or len({p.period_type for p in series}) > 1:
        return TrendResult(CANNOT_BE_CALCULATED, 0, None, None, (), REASON_NOT_ANNUAL)
    valid = [p for p in series if p.valid]
    if len(valid) < POINTS:
        return TrendResult(CANNOT_BE_CALCULATED, 0, None, None, tuple(p.period for p in valid),
                           f"{len(valid)}{REASON_TOO_FEW}")
    used = valid[-POINTS:]
    fitted = [(float(t), p.value, (CI_WIDTH_Z / (p.upper - p.lower)) ** 2)
              for t, p in enumerate(used, start=1)]
    b, var_b = _fit(fitted)
    chi2 = b * b / var_b
    periods = tuple(p.period for p in used)
    sign = _sign(b)
    if chi2 <= CHI2_THRESHOLD or sign == 0:
        return TrendResult(NO_SIGNIFICANT_CHANGE, 0, b, chi2, periods, None)
    for drop in range(POINTS):
        loo_b, _ = _fit([pt for i, pt in enumerate(fitted) if i != drop])
        if _sign(loo_b) != sign:
            return TrendResult(NO_SIGNIFICANT_CHANGE, 0, b, chi2, periods, f"{REASON_LOO}{periods[drop]}")
    return TrendResult(trend_label(polarity, sign), sign, b, chi2, periods, None)


def _calculable(label: str | None) -> bool:
    return bool(label) and not label.startswith(("Cannot", "Could not"))


def trend_check(computed: str, published: str | None) -> str:
    """How the computed label stands against the source's own (Fingertips writes "Could not" on its web
    legend and "Cannot" in its CSV; both mean not calculable)."""
    if not published:
        return TREND_NOT_PUBLISHED
    if not (_calculable(computed) and _calculable(published)):
        return TREND_INSUFFICIENT
    return TREND_AGREES if computed == published else TREND_DISAGREES
