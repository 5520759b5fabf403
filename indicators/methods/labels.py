"""Every label and reason a method writes, in one place (Fingertips separates calculators from labels).

The warehouse loads the label tables into ``ref.label`` and binds the single strings as SQL parameters,
so SQL and the Python reference print exactly the same words.
"""

from __future__ import annotations

from indicators.catalogue.model import Polarity

QUARTILE_METHOD = "phe_quantile_4"
TREND_METHOD = "fingertips_next_wls"
DIRECTION_METHOD = "ci_overlap_two_values"
BENCHMARK_METHOD = "ci_overlapping_reference_95"
BENCHMARK_TWO_LEVEL_METHOD = "ci_overlapping_reference_95_998"
TARGET_METHOD = "rag_tolerance"

NOT_RANKED = "Not ranked: fewer than 4 comparators"
CANNOT_BE_CALCULATED = "Cannot be calculated"
NO_SIGNIFICANT_CHANGE = "No significant change"

# Why a recent trend "Cannot be calculated" or is "No significant change" despite chi-square.
REASON_NOT_ANNUAL = "recent trends are tested on annual, non-overlapping periods only"
REASON_TOO_FEW = " valid points with confidence intervals; 5 needed"  # prefixed by the count
REASON_LOO = "leave-one-out slope changes sign without "  # followed by the period left out

# Recent trend labels exactly as the Fingertips CSV writes them, by polarity and slope sign.
TREND_LABELS: dict[tuple[Polarity, int], str] = {
    (Polarity.HIGH_IS_GOOD, 1): "Increasing and getting better",
    (Polarity.HIGH_IS_GOOD, -1): "Decreasing and getting worse",
    (Polarity.LOW_IS_GOOD, 1): "Increasing and getting worse",
    (Polarity.LOW_IS_GOOD, -1): "Decreasing and getting better",
    (Polarity.NO_JUDGEMENT, 1): "Increasing",
    (Polarity.NO_JUDGEMENT, -1): "Decreasing",
}

# trend_check values (ARCHITECTURE.md "The warehouse contract").
TREND_AGREES = "agrees"
TREND_DISAGREES = "disagrees"
TREND_INSUFFICIENT = "insufficient history"
TREND_NOT_PUBLISHED = "not published"

QUARTILE_LABELS: dict[tuple[Polarity, int], str] = {
    **{(p, q): label for p in (Polarity.HIGH_IS_GOOD, Polarity.LOW_IS_GOOD)
       for q, label in ((1, "Best 25%"), (2, "Second best 25%"), (3, "Second worst 25%"), (4, "Worst 25%"))},
    **{(Polarity.NO_JUDGEMENT, q): label
       for q, label in ((1, "Highest 25%"), (2, "Second highest 25%"), (3, "Second lowest 25%"),
                        (4, "Lowest 25%"))},
}

# Position against the comparator median, by polarity and the sign of (value - median).
MEDIAN_LABELS: dict[tuple[Polarity, int], str] = {
    (Polarity.HIGH_IS_GOOD, 1): "Better than comparator median",
    (Polarity.HIGH_IS_GOOD, -1): "Worse than comparator median",
    (Polarity.LOW_IS_GOOD, 1): "Worse than comparator median",
    (Polarity.LOW_IS_GOOD, -1): "Better than comparator median",
    (Polarity.NO_JUDGEMENT, 1): "Above comparator median",
    (Polarity.NO_JUDGEMENT, -1): "Below comparator median",
    **{(p, 0): "Same as comparator median" for p in Polarity},
}

# Direction of travel (LG Inform style): by polarity and the sign of the change at published precision.
DIRECTION_LABELS: dict[tuple[Polarity, int], str] = {
    (Polarity.HIGH_IS_GOOD, 1): "Improving",
    (Polarity.HIGH_IS_GOOD, -1): "Worsening",
    (Polarity.LOW_IS_GOOD, 1): "Worsening",
    (Polarity.LOW_IS_GOOD, -1): "Improving",
    (Polarity.NO_JUDGEMENT, 1): "Increasing",
    (Polarity.NO_JUDGEMENT, -1): "Decreasing",
    **{(p, 0): "No change" for p in Polarity},
}
NOT_COMPARABLE = "Not comparable"
SIGNIFICANT = "significant"
NOT_SIGNIFICANT = "not significant"
NO_CONFIDENCE_INTERVALS = "not tested: no confidence intervals"

# Compared with a benchmark (England). Key: +1 = area above the benchmark beyond its 95% CI, +2 = also
# beyond its 99.8% CI (two-level only), 0 = the benchmark lies inside the CI; negative = below.
BENCHMARK_LABELS: dict[tuple[Polarity, int], str] = {
    (Polarity.HIGH_IS_GOOD, 1): "Better",
    (Polarity.HIGH_IS_GOOD, -1): "Worse",
    (Polarity.LOW_IS_GOOD, 1): "Worse",
    (Polarity.LOW_IS_GOOD, -1): "Better",
    (Polarity.NO_JUDGEMENT, 1): "Higher",
    (Polarity.NO_JUDGEMENT, -1): "Lower",
    **{(p, 0): "Similar" for p in Polarity},
}
BENCHMARK_TWO_LEVEL_LABELS: dict[tuple[Polarity, int], str] = {
    **BENCHMARK_LABELS,
    (Polarity.HIGH_IS_GOOD, 2): "Best",
    (Polarity.HIGH_IS_GOOD, -2): "Worst",
    (Polarity.LOW_IS_GOOD, 2): "Worst",
    (Polarity.LOW_IS_GOOD, -2): "Best",
    (Polarity.NO_JUDGEMENT, 2): "Higher (99.8%)",
    (Polarity.NO_JUDGEMENT, -2): "Lower (99.8%)",
}
NOT_COMPARED = "Not compared"

# Targets (METHODS.md section 7).
GREEN = "Green"
AMBER = "Amber"
RED = "Red"
TARGET_NO_VALUE = "no value for this period"
TARGET_BEFORE_BASELINE = "period before the target's baseline or start"
TARGET_NO_BASELINE = "no observed value at the baseline period"
TARGET_NO_BENCHMARK = "no England value for this period"

NO_DATA = "no data"


def trend_label(polarity: Polarity, sign: int) -> str:
    return TREND_LABELS[(polarity, sign)]


def quartile_label(polarity: Polarity, quartile: int) -> str:
    return QUARTILE_LABELS[(polarity, quartile)]


def direction_label(polarity: Polarity, sign: int) -> str:
    return DIRECTION_LABELS[(polarity, sign)]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st: how a rank reads in a committee report."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def label_rows() -> list[tuple[str, str, int, str]]:
    """(kind, polarity, key, label) rows for the warehouse's reference table of labels."""
    tables = {"trend": TREND_LABELS, "quartile": QUARTILE_LABELS, "median": MEDIAN_LABELS,
              "direction": DIRECTION_LABELS, "benchmark": BENCHMARK_LABELS,
              "benchmark_two_level": BENCHMARK_TWO_LEVEL_LABELS}
    return [(kind, p.value, key, label) for kind, table in tables.items() for (p, key), label in table.items()]
