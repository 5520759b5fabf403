"""Compared with England (METHODS.md section 5): the readable reference implementation.

Fingertips' default "CI overlapping reference value (95.0)": the England value is a point; inside the
area's 95% CI (limits included) -> Similar, otherwise Better/Worse by polarity (Higher/Lower for no
judgement). The optional two-level version also uses the 99.8% CI: beyond it -> Best/Worst. Without the
CI it needs, an area is "Not compared".
"""

from __future__ import annotations

from indicators.catalogue.model import Polarity
from indicators.methods.labels import BENCHMARK_LABELS, BENCHMARK_TWO_LEVEL_LABELS, NOT_COMPARED


def _side(benchmark: float, lower: float, upper: float) -> int:
    """+1 when the whole interval is above the benchmark, -1 when below, 0 when it contains it."""
    return 1 if lower > benchmark else -1 if upper < benchmark else 0


def compare_with_benchmark(value: float | None, lower95: float | None, upper95: float | None,
                           benchmark: float | None, polarity: Polarity) -> str:
    if None in (value, lower95, upper95, benchmark):
        return NOT_COMPARED
    return BENCHMARK_LABELS[(polarity, _side(benchmark, lower95, upper95))]


def compare_two_level(value: float | None, lower95: float | None, upper95: float | None,
                      lower998: float | None, upper998: float | None, benchmark: float | None,
                      polarity: Polarity) -> str:
    if None in (value, lower95, upper95, lower998, upper998, benchmark):
        return NOT_COMPARED
    side95 = _side(benchmark, lower95, upper95)
    side998 = _side(benchmark, lower998, upper998)
    return BENCHMARK_TWO_LEVEL_LABELS[(polarity, side95 + side998 if side998 == side95 else side95)]
