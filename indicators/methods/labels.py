"""Every label a method writes, in one place (Fingertips separates calculators from label formatters).

The warehouse loads these tables into reference tables so that SQL and Python print the same words.
"""

from __future__ import annotations

from indicators.catalogue.model import Polarity

QUARTILE_METHOD = "phe_quantile_4"
TREND_METHOD = "fingertips_next_wls"
DIRECTION_METHOD = "ci_overlap_two_values"
BENCHMARK_METHOD = "ci_overlapping_reference_95"

NOT_RANKED = "Not ranked: fewer than 4 comparators"
CANNOT_BE_CALCULATED = "Cannot be calculated"
NO_SIGNIFICANT_CHANGE = "No significant change"

# Recent trend labels exactly as the Fingertips CSV writes them, by polarity and slope sign.
TREND_LABELS: dict[tuple[Polarity, int], str] = {
    (Polarity.HIGH_IS_GOOD, 1): "Increasing and getting better",
    (Polarity.HIGH_IS_GOOD, -1): "Decreasing and getting worse",
    (Polarity.LOW_IS_GOOD, 1): "Increasing and getting worse",
    (Polarity.LOW_IS_GOOD, -1): "Decreasing and getting better",
    (Polarity.NO_JUDGEMENT, 1): "Increasing",
    (Polarity.NO_JUDGEMENT, -1): "Decreasing",
}

QUARTILE_LABELS: dict[tuple[Polarity, int], str] = {
    **{(p, q): label for p in (Polarity.HIGH_IS_GOOD, Polarity.LOW_IS_GOOD)
       for q, label in ((1, "Best 25%"), (2, "Second best 25%"), (3, "Second worst 25%"), (4, "Worst 25%"))},
    **{(Polarity.NO_JUDGEMENT, q): label
       for q, label in ((1, "Highest 25%"), (2, "Second highest 25%"), (3, "Second lowest 25%"),
                        (4, "Lowest 25%"))},
}

# Direction of travel (LG Inform style): by polarity and the sign of the change.
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
    rows = [("trend", p.value, s, lab) for (p, s), lab in TREND_LABELS.items()]
    rows += [("quartile", p.value, q, lab) for (p, q), lab in QUARTILE_LABELS.items()]
    rows += [("direction", p.value, s, lab) for (p, s), lab in DIRECTION_LABELS.items()]
    return rows
