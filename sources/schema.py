"""The rules every canonical observation must meet, and the pandera schema of the accepted frame.

The row rules (value within the indicator's range, counts whole, CI limits around the value...) are SQL
conditions, run by sources.validate over a whole file at once in DuckDB: each names the rows that FAIL it.
The range rule of an indicator depends on its value type (proportion 0 to multiplier, rates >= 0, counts
non-negative integers, life expectancy 0-120...); the validator joins each row's bounds (``_min``,
``_max``, ``_integer``) from the catalogue, so one set of rules checks every row of every file, and every
failure in a file is reported together (a row failing two rules gets two lines).

Why not pandera checks for these: at national scale (hundreds of thousands of rows a file) running them
where the rows already are is ~20 times cheaper than building a pandas frame to check (bench/pipeline.py).
pandera keeps what SQL cannot promise a pandas user: the columns and types of the accepted frame handed to
Python code (:class:`ObservationModel`, checked whenever accepted rows become a pandas frame).
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

# check name -> (column reported to the analyst, reason in words)
CHECK_REASONS: dict[str, tuple[str, str]] = {
    "value_within_range": ("value", "value outside the indicator's valid range"),
    "value_is_integer_for_counts": ("value", "a count must be a whole number"),
    "lower_ci_not_above_value": ("lower_ci95", "lower 95% limit is above the value"),
    "upper_ci_not_below_value": ("upper_ci95", "upper 95% limit is below the value"),
    "ci998_ordered": ("lower_ci998", "99.8% limits are in the wrong order or do not contain the value"),
    "count_not_above_denominator": ("count", "count is larger than the denominator"),
    "counts_not_negative": ("count", "count or denominator is negative"),
}

# check name -> SQL condition true for a row that breaks the rule (NULLs never break a rule).
RULE_FAILS_SQL: dict[str, str] = {
    "value_within_range": "(_min IS NOT NULL AND value < _min) OR (_max IS NOT NULL AND value > _max)",
    "value_is_integer_for_counts": "_integer AND value IS NOT NULL AND value <> floor(value)",
    "lower_ci_not_above_value": "lower_ci95 > value",
    "upper_ci_not_below_value": "upper_ci95 < value",
    "ci998_ordered": "lower_ci998 > upper_ci998 OR lower_ci998 > value OR upper_ci998 < value",
    "count_not_above_denominator": "count > denominator",
    "counts_not_negative": "count < 0 OR denominator < 0",
}


class ObservationModel(pa.DataFrameModel):
    """The accepted frame as Python code receives it: one canonical observation per row, key columns
    present and non-empty, numbers as floats (a suppressed cell is a row with a null value and a note)."""

    indicator_id: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    area_code: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    period: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    sex: Series[str]
    age: Series[str]
    category_type: Series[str]
    category: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    lower_ci95: Series[float] = pa.Field(nullable=True)
    upper_ci95: Series[float] = pa.Field(nullable=True)
    lower_ci998: Series[float] = pa.Field(nullable=True)
    upper_ci998: Series[float] = pa.Field(nullable=True)
    count: Series[float] = pa.Field(nullable=True)
    denominator: Series[float] = pa.Field(nullable=True)
    source_row: Series[int]

    class Config:
        strict = False
        coerce = False
