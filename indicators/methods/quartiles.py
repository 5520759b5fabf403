"""Comparator quartile position (METHODS.md section 2): OHID's ``phe_quantile`` with Q = 4, best-first.

quartile = 5 - ceil(4 * (n + 1 - rank) / n), in integers, rank best-first with ties taking the best
rank. Quartile 1 is "best 25%". For n = 21 the bucket sizes are 6/5/5/5, so a rank of 6th of 21 is still
in the best 25%, which is what the Strategic Plan's "best performing 25% of comparators" statements mean.
For the spine chart the comparator distribution is summarised with type-7 quartiles (Excel QUARTILE.INC,
numpy's default, DuckDB quantile_cont), min, max and mean; each area's position against the median is
judged by polarity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indicators.catalogue.model import Polarity
from indicators.methods.labels import MEDIAN_LABELS, quartile_label

MIN_COMPARATORS = 4


@dataclass(frozen=True)
class QuartilePosition:
    rank: int
    n: int
    quartile: int

    def label(self, polarity: Polarity) -> str:
        return quartile_label(polarity, self.quartile)


@dataclass(frozen=True)
class ComparatorSummary:
    """What a spine chart draws: the comparators' range, type-7 quartiles and mean."""

    n: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    mean: float


def quartile_from_rank(rank: int, n: int) -> int:
    """phe_quantile in integer arithmetic: ceil(a / n) = (a + n - 1) // n for positive a."""
    return max(1, 5 - (4 * (n + 1 - rank) + n - 1) // n)


def rank_best_first(values: Sequence[float], polarity: Polarity) -> list[int]:
    """Competition ranks (ties = min): 1 is the best value by polarity; no_judgement ranks highest first."""
    sign = -1 if polarity is Polarity.LOW_IS_GOOD else 1
    return [1 + sum(1 for other in values if sign * other > sign * v) for v in values]


def _present(v: float | None) -> bool:
    return v is not None and not math.isnan(v)


def phe_quantile(values: Sequence[float | None], polarity: Polarity) -> list[QuartilePosition | None]:
    """Quartile position of each value among the non-null ones; None where null or fewer than 4 values."""
    present = [v for v in values if _present(v)]
    n = len(present)
    if n < MIN_COMPARATORS:
        return [None for _ in values]
    ranks = iter(rank_best_first(present, polarity))
    out: list[QuartilePosition | None] = []
    for v in values:
        if not _present(v):
            out.append(None)
            continue
        rank = next(ranks)
        out.append(QuartilePosition(rank, n, quartile_from_rank(rank, n)))
    return out


def comparator_summary(values: Sequence[float | None]) -> ComparatorSummary | None:
    """Min, type-7 Q1/median/Q3, max and mean of the non-null values (None when there are none)."""
    present = np.array([v for v in values if _present(v)], dtype=float)
    if present.size == 0:
        return None
    q1, median, q3 = np.quantile(present, [0.25, 0.5, 0.75])
    return ComparatorSummary(int(present.size), float(present.min()), float(q1), float(median), float(q3),
                             float(present.max()), float(present.mean()))


def position_against_median(value: float, median: float, polarity: Polarity) -> str:
    """Better/worse than the comparator median by polarity (above/below for no_judgement)."""
    return MEDIAN_LABELS[(polarity, (value > median) - (value < median))]
