"""pandera schema of the canonical observation, with the catalogue's rules joined in as helper columns.

The range rule of an indicator depends on its value type (proportion 0 to multiplier, rates >= 0,
counts non-negative integers, life expectancy 0-120...). Rather than one schema per indicator, the
validator joins each row's bounds (``_min``, ``_max``, ``_integer``) from the catalogue and one schema
checks every row at once, lazily, so every failure in a file is reported together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
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


class ObservationModel(pa.DataFrameModel):
    """One canonical observation row. Nullable value: a suppressed cell is a row with a marker note."""

    indicator_id: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    area_code: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    period: Series[str] = pa.Field(nullable=False)
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

    class Config:
        strict = False
        coerce = False

    @pa.dataframe_check(name="value_within_range")
    @classmethod
    def value_within_range(cls, df: pd.DataFrame) -> Series[bool]:
        below = df["_min"].notna() & (df["value"] < df["_min"])
        above = df["_max"].notna() & (df["value"] > df["_max"])
        return ~(below | above).fillna(False)

    @pa.dataframe_check(name="value_is_integer_for_counts")
    @classmethod
    def value_is_integer_for_counts(cls, df: pd.DataFrame) -> Series[bool]:
        fractional = df["_integer"] & df["value"].notna() & (df["value"] != np.floor(df["value"]))
        return ~fractional.fillna(False)

    @pa.dataframe_check(name="lower_ci_not_above_value")
    @classmethod
    def lower_ci_not_above_value(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["lower_ci95"] > df["value"]).fillna(False)

    @pa.dataframe_check(name="upper_ci_not_below_value")
    @classmethod
    def upper_ci_not_below_value(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["upper_ci95"] < df["value"]).fillna(False)

    @pa.dataframe_check(name="ci998_ordered")
    @classmethod
    def ci998_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        bad = (df["lower_ci998"] > df["upper_ci998"]) | (df["lower_ci998"] > df["value"]) | (
            df["upper_ci998"] < df["value"])
        return ~bad.fillna(False)

    @pa.dataframe_check(name="count_not_above_denominator")
    @classmethod
    def count_not_above_denominator(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["count"] > df["denominator"]).fillna(False)

    @pa.dataframe_check(name="counts_not_negative")
    @classmethod
    def counts_not_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return ~((df["count"] < 0) | (df["denominator"] < 0)).fillna(False)
