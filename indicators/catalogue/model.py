"""The typed model of the indicator catalogue.

Every figure the pipeline shows depends on these fields: polarity orients ranks and labels, value type
sets the range rule, decimals set the precision at which "No change" is judged, and the source selector
says which rows of which file are this indicator's values. ``extra="forbid"`` everywhere: a misspelt key
in a YAML file is an error, never a silently ignored setting.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Polarity(StrEnum):
    """METHODS.md section 1. Orients ranking and labels; never changes a stored value."""

    HIGH_IS_GOOD = "high_is_good"
    LOW_IS_GOOD = "low_is_good"
    NO_JUDGEMENT = "no_judgement"


class ValueType(StrEnum):
    PROPORTION = "proportion"
    CRUDE_RATE = "crude_rate"
    DSR = "dsr"
    ISR = "isr"
    RATIO = "ratio"
    AMOUNT = "amount"
    CURRENCY = "currency"
    LIFE_EXPECTANCY = "life_expectancy"
    SCORE = "score"
    MEAN = "mean"
    INDEX = "index"
    SII = "sii"
    COUNT = "count"


class Frequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    MULTI_YEAR = "multi_year"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Breakdown(_Strict):
    """A breakdown of one indicator (sex, age, category). Defaults are the whole population."""

    sex: str = "Persons"
    age: str = "All ages"
    category_type: str = ""
    category: str = ""


class SourceSelector(_Strict):
    """The ONE source of record for an indicator and what picks its values out of that source.

    ``source`` is a registry id (sources.registry). Then, by source kind: ``code`` (Fingertips indicator
    id; Oflog measure code; the sheet or indicator cell of a "years across columns" table; the indicator
    id in the council's returns template), ``indicator_name`` and ``measure`` (ONS Explore Local
    Statistics files hold several indicators per file; the fingertipsR extracts name their indicator),
    ``column`` (a wide file such as DfE NEET or the DESNZ emissions table), ``measure`` alone (DEFRA
    waste disposal route, EYFSP learning area). ``breakdown`` keeps only rows with these breakdown values
    where the source mixes several. Text is matched ignoring case and repeated spaces.
    """

    source: str
    code: str | None = None
    indicator_name: str | None = None
    measure: str | None = None
    column: str | None = None
    breakdown: dict[str, str] = Field(default_factory=dict)

    def key(self) -> tuple[str, ...]:
        """What this selector picks; two indicators with the same key would take the same values."""
        fixed = tuple(sorted((k, selector_text(v)) for k, v in self.breakdown.items()))
        return (self.source, *(selector_text(getattr(self, f)) for f in SELECTOR_FIELDS), repr(fixed))

    def describe(self) -> str:
        """``fingertips_csv code=90284`` : how an analyst reads the selector in messages and the dictionary."""
        parts = [f"{f}={getattr(self, f)}" for f in SELECTOR_FIELDS if getattr(self, f)]
        parts += [f"{k}={v}" for k, v in sorted(self.breakdown.items())]
        return " ".join([self.source, *parts])


SELECTOR_FIELDS = ("code", "indicator_name", "measure", "column")


def selector_text(value: str | None) -> str:
    """How selector text is compared with a source's cells: case and repeated spaces ignored."""
    return " ".join((value or "").split()).casefold()


class Milestone(_Strict):
    period: str
    value: float


class Target(_Strict):
    """METHODS.md section 7.

    kind ``value``: a fixed value (optionally per period). ``trajectory``: linear from ``baseline`` to
    each milestone. ``national_average``: better than England in the same period. ``direction`` says
    whether the value must be at least or at most the target; tolerance is the amber band.
    ``baseline_relative``: target values are fractions of the baseline period's actual value (council's
    own emissions: 0.36 = 64% below 2016/17). ``area``: the area the target is judged for when it is not
    the home area (an aggregate such as Leicester and Leicestershire, summed from its components).
    ``cumulative_from``: the target is on the running total of the values from this period on
    (cumulative net additional dwellings since 2011/12).
    """

    kind: Literal["value", "trajectory", "national_average"]
    direction: Literal["at_least", "at_most"]
    description: str
    value: float | None = None
    period: str | None = None
    baseline: Milestone | None = None
    milestones: list[Milestone] = Field(default_factory=list)
    baseline_relative: bool = False
    tolerance_pct: float = 5.0
    tolerance_abs: float | None = None
    area: str | None = None
    cumulative_from: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Target:
        if self.kind == "value" and self.value is None:
            raise ValueError("a value target needs 'value'")
        if self.kind == "trajectory" and (self.baseline is None or not self.milestones):
            raise ValueError("a trajectory target needs 'baseline' and at least one milestone")
        zero_target = (self.value == 0) or any(m.value == 0 for m in self.milestones)
        if zero_target and self.tolerance_abs is None:
            raise ValueError("a target of 0 needs an absolute tolerance ('tolerance_abs')")
        return self


class BreakNote(_Strict):
    """A definition or boundary change: direction of travel across it is "Not comparable"."""

    period: str
    note: str


class Indicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    outcome: str
    sub_outcome: str | None = Field(default=None, pattern=r"^[5-9]\.[1-5]$")
    success_measure: str
    polarity: Polarity
    value_type: ValueType
    unit: str
    multiplier: float = 1
    decimals: int = Field(ge=0, le=6)
    valid_range: tuple[float, float] | None = None
    frequency: Frequency
    # How ambiguous period forms are read for this indicator (sources.parse); "date" says its periods are
    # points in time (a count on a day), which need no convention but tell the sample generator.
    period_convention: Literal["financial", "academic", "calendar", "pooled", "month", "date"] | None = None
    publication_lag_months: int = Field(ge=0)
    source: SourceSelector
    other_sources: list[SourceSelector] = Field(default_factory=list)
    headline_breakdown: Breakdown = Breakdown()
    comparator_group: str | None = "county_councils"
    target: Target | None = None
    statutory: bool = False
    break_notes: list[BreakNote] = Field(default_factory=list)
    lead_board: str
    also_reported_in: list[str] = Field(default_factory=list)
    # A running total: the source gives per-period values (e.g. net additional dwellings each year) and
    # the indicator is their sum from this period onwards (cumulative dwellings since 2011/12).
    cumulative_from: str | None = None

    @field_validator("valid_range")
    @classmethod
    def _ordered(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError("valid_range must be [low, high]")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.value_type is ValueType.SCORE and self.valid_range is None:
            raise ValueError("a score needs 'valid_range' (the scale's lowest and highest score)")
        if self.value_type is ValueType.PROPORTION and self.multiplier not in (1, 100):
            raise ValueError("a proportion has multiplier 100 (a percentage) or 1 (a fraction)")
        for other in self.other_sources:
            if other.key() == self.source.key():
                raise ValueError("'other_sources' repeats the source of record")
        return self

    def value_range(self) -> tuple[float | None, float | None]:
        """The range rule for this indicator's values (ARCHITECTURE.md "The catalogue")."""
        if self.valid_range is not None:
            return self.valid_range
        match self.value_type:
            case ValueType.PROPORTION:
                return (0.0, float(self.multiplier))
            case ValueType.LIFE_EXPECTANCY:
                return (0.0, 120.0)
            case ValueType.SII:
                return (None, None)
            case ValueType.SCORE:
                return (None, None)
            case _:
                return (0.0, None)


class Outcome(_Strict):
    id: str = Field(pattern=r"^[a-z]+$")
    number: int | None = None
    name: str
    board: str


class OutcomeFile(_Strict):
    """One YAML file of the catalogue: an outcome and its indicators.

    A layer file may leave out ``outcome`` to add indicators to outcomes defined elsewhere; each of its
    indicators then names its ``outcome``.
    """

    outcome: Outcome | None = None
    sub_outcomes: dict[str, str] = Field(default_factory=dict)
    indicators: list[dict]
