"""Comparator quartile position (METHODS.md section 2): OHID's ``phe_quantile`` with Q = 4, best-first.

quartile = 5 - ceil(4 * (n + 1 - rank) / n), rank best-first with ties taking the best rank. Quartile 1
is "best 25%". For n = 21 the bucket sizes are 6/5/5/5, so a rank of 6th of 21 is still in the best 25%,
which is what the Strategic Plan's "best performing 25% of comparators" statements mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.catalogue.model import Polarity

MIN_COMPARATORS = 4


@dataclass(frozen=True)
class QuartilePosition:
    rank: int
    n: int
    quartile: int


def quartile_from_rank(rank: int, n: int) -> int:
    return max(1, 5 - math.ceil(4 * (n + 1 - rank) / n))


def rank_best_first(values: Sequence[float], polarity: Polarity) -> list[int]:
    """Competition ranks (ties = min): 1 is the best value by polarity; no_judgement ranks highest first."""
    sign = -1 if polarity is Polarity.LOW_IS_GOOD else 1
    return [1 + sum(1 for other in values if sign * other > sign * v) for v in values]


def phe_quantile(values: Sequence[float | None], polarity: Polarity) -> list[QuartilePosition | None]:
    """Quartile position of each value among the non-null ones; None where null or fewer than 4 values."""
    present = [v for v in values if v is not None and not math.isnan(v)]
    n = len(present)
    if n < MIN_COMPARATORS:
        return [None for _ in values]
    ranks = dict(zip(range(n), rank_best_first(present, polarity), strict=True))
    out: list[QuartilePosition | None] = []
    i = 0
    for v in values:
        if v is None or math.isnan(v):
            out.append(None)
            continue
        rank = ranks[i]
        out.append(QuartilePosition(rank, n, quartile_from_rank(rank, n)))
        i += 1
    return out
