"""Targets and RAG status (METHODS.md section 7): the readable reference implementation.

A target (catalogue ``Target``) gives, for each period, a target value:
- ``value``: a fixed value, from its ``period`` onwards when it names one (a "by" date), else always;
- ``trajectory``: linear from the baseline (period, value) through each milestone, by calendar months
  between period starts; after the last milestone the last milestone holds. With ``baseline_relative``
  the baseline and milestone values are fractions of the value observed at the baseline period (the
  council's emissions: 1.0 at 2016/17, 0.36 by 2024/25, 0 by 2029/30);
- ``national_average``: England's value for the same period and breakdown.
Status, at the indicator's published precision (value and target both rounded half away from zero to
the catalogue ``decimals``, as the board prints them): Green = met, Amber = missed by no more than the
tolerance (``tolerance_abs``, else ``tolerance_pct`` % of the target), Red = missed by more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from indicators.methods.direction import round_half_away
from indicators.methods.labels import (
    AMBER,
    GREEN,
    RED,
    TARGET_BEFORE_BASELINE,
    TARGET_NO_BASELINE,
    TARGET_NO_BENCHMARK,
    TARGET_NO_VALUE,
)


@dataclass(frozen=True)
class TargetPoint:
    """The baseline or a milestone, at its period's start date."""

    start: date
    value: float


@dataclass(frozen=True)
class TargetResult:
    target_value: float | None
    status: str | None
    reason: str | None


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def trajectory_value(points: Sequence[TargetPoint], start: date) -> float | None:
    """Linear interpolation along ``points`` (baseline first, then milestones, by date) at ``start``."""
    if start < points[0].start:
        return None
    for a, b in pairwise(points):
        if start < b.start:
            return a.value + (b.value - a.value) * months_between(a.start, start) / months_between(a.start, b.start)
    return points[-1].value


def rag(value: float, target: float, direction: str, tolerance: float, decimals: int) -> str:
    v, t = round_half_away(value, decimals), round_half_away(target, decimals)
    shortfall = t - v if direction == "at_least" else v - t
    if shortfall <= 0:
        return GREEN
    return AMBER if shortfall <= tolerance else RED


def tolerance_for(target: float, tolerance_pct: float, tolerance_abs: float | None) -> float:
    return tolerance_abs if tolerance_abs is not None else abs(target) * tolerance_pct / 100


@dataclass(frozen=True)
class TargetRule:
    """A catalogue target with its periods resolved to start dates (see warehouse ``ref.target``)."""

    kind: str
    direction: str
    decimals: int
    value: float | None = None
    value_start: date | None = None
    points: tuple[TargetPoint, ...] = ()
    baseline_relative: bool = False
    tolerance_pct: float = 5.0
    tolerance_abs: float | None = None

    def target_at(self, start: date, baseline_observed: float | None, england: float | None,
                  ) -> tuple[float | None, str | None]:
        """The target value for a period starting on ``start``, or None with the reason."""
        if self.kind == "national_average":
            return (england, None) if england is not None else (None, TARGET_NO_BENCHMARK)
        if self.kind == "value":
            if self.value_start is not None and start < self.value_start:
                return None, TARGET_BEFORE_BASELINE
            return self.value, None
        factor = trajectory_value(self.points, start)
        if factor is None:
            return None, TARGET_BEFORE_BASELINE
        if not self.baseline_relative:
            return factor, None
        if baseline_observed is None:
            return None, TARGET_NO_BASELINE
        return baseline_observed * factor, None

    def status(self, value: float | None, start: date, baseline_observed: float | None = None,
               england: float | None = None) -> TargetResult:
        target, reason = self.target_at(start, baseline_observed, england)
        if target is None:
            return TargetResult(None, None, reason)
        if value is None:
            return TargetResult(target, None, TARGET_NO_VALUE)
        tolerance = tolerance_for(round_half_away(target, self.decimals), self.tolerance_pct, self.tolerance_abs)
        return TargetResult(target, rag(value, target, self.direction, tolerance, self.decimals), None)
