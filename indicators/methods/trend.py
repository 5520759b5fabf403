"""Recent trend, FingertipsNext variant (METHODS.md section 3): the readable reference implementation.

Five most recent valid annual points (gaps allowed), weighted least squares on t = 1..5 with weights
1/SE^2, SE = (UCI - LCI)/3.92; significant when chi2 = b^2/Var(b) > 9.54953570608324 (chi-square, 1 df,
p < 0.002) AND every leave-one-out slope has the sign of b. The warehouse computes the same thing for all
series at once in SQL (warehouse/sql/methods/trends.sql); tests hold the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.catalogue.model import Polarity
from indicators.methods.labels import CANNOT_BE_CALCULATED, NO_SIGNIFICANT_CHANGE, trend_label

CHI2_THRESHOLD = 9.54953570608324
POINTS = 5
CI_WIDTH_Z = 3.92


@dataclass(frozen=True)
class TrendPoint:
    period: str
    value: float | None
    lower: float | None
    upper: float | None

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


def recent_trend(series: Sequence[TrendPoint], polarity: Polarity) -> TrendResult:
    """Trend label for an annual series ordered oldest to newest."""
    valid = [p for p in series if p.valid]
    if len(valid) < POINTS:
        return TrendResult(CANNOT_BE_CALCULATED, 0, None, None, tuple(p.period for p in valid),
                           f"{len(valid)} valid points with confidence intervals; {POINTS} needed")
    used = valid[-POINTS:]
    fitted = [(float(t), p.value, (CI_WIDTH_Z / (p.upper - p.lower)) ** 2)
              for t, p in enumerate(used, start=1)]
    b, var_b = _fit(fitted)
    chi2 = b * b / var_b
    periods = tuple(p.period for p in used)
    sign = (b > 0) - (b < 0)
    if chi2 <= CHI2_THRESHOLD or sign == 0:
        return TrendResult(NO_SIGNIFICANT_CHANGE, 0, b, chi2, periods, None)
    for drop in range(POINTS):
        loo_b, _ = _fit([pt for i, pt in enumerate(fitted) if i != drop])
        if (loo_b > 0) - (loo_b < 0) != sign:
            return TrendResult(NO_SIGNIFICANT_CHANGE, 0, b, chi2, periods,
                               f"leave-one-out slope without {periods[drop]} changes sign")
    return TrendResult(trend_label(polarity, sign), sign, b, chi2, periods, None)
