"""Deterministic SAMPLE DATA in the formats the adapters read, for every catalogue indicator.

Why generated, not copied: the project cannot ship real published files, yet a new user must be able to
run the whole pipeline at once. Values are realistic for their value type (percentages with Wilson
intervals from counts, rates with Byar intervals, life expectancies in years), with per-area levels,
trends and noise, some suppressed cells and some missing areas. Every file name starts with ``SAMPLE_``
and every output made from them says SAMPLE DATA.

The same seed always gives byte-identical files.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.areas import ENGLAND, AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, Frequency, Indicator, ValueType
from indicators.methods.confidence import Z998, byar_rate, wilson
from indicators.periods import (
    Period,
    academic_year,
    calendar_year,
    financial_year,
    fiscal_quarter,
    pooled_years,
)
from indicators.settings import Settings

SAMPLE_PREFIX = "SAMPLE_"
FIRST_YEAR = 2015
N_YEARS = 10  # 2015/16 .. 2024/25: at least 8 periods for every annual series
FIRST_QUARTER_YEAR = 2022  # the plan's first year; quarterly series run 2022/23 Q1 onwards
N_QUARTERS = 14

FINGERTIPS_HEADER = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator",
    "Value note", "Recent Trend", "Compared to England value or percentiles",
    "Compared to percentiles", "Time period Sortable", "New data", "Compared to goal", "Time period range",
]
RETURNS_HEADER = ["indicator_id", "area_code", "area_name", "period", "sex", "age", "value", "numerator",
                  "denominator", "lower_ci95", "upper_ci95", "value_note", "commentary"]

_FIXED_TIME = datetime(2025, 1, 1)  # workbook metadata, so the same seed gives the same bytes
SUPPRESSION_NOTE = "Value suppressed for disclosure control due to small count"

# Typical England levels where the value type alone would be a poor guess (sample realism only).
TYPICAL_LEVEL: dict[str, float] = {
    "io_school_readiness": 67.0,
    "io_neet_not_known_16_17": 5.5,
    "sw_child_injury_admissions": 95.0,
    "sw_healthy_life_expectancy": 63.5,
    "sw_year6_overweight_obese": 35.5,
    "cgf_residents_informed_environment": 45.0,
    "gc_different_backgrounds_get_on": 82.0,
    "se_principal_roads_maintenance": 3.0,
    "en_planned_savings_delivered": 18.0,
    "cgf_council_ghg_emissions": 31000.0,
}


@dataclass(frozen=True)
class SampleSeries:
    """One generated value with what a source would publish beside it."""

    indicator: Indicator
    area_code: str
    period: Period
    sex: str
    age: str
    value: float | None
    lower: float | None
    upper: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    note: str


def _rng(seed: int, *parts: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32("|".join(parts).encode())])


def periods_for(indicator: Indicator) -> list[Period]:
    if indicator.frequency is Frequency.QUARTERLY:
        quarters = [fiscal_quarter(FIRST_QUARTER_YEAR + q // 4, q % 4 + 1) for q in range(N_QUARTERS)]
        return quarters
    if indicator.frequency is Frequency.MULTI_YEAR:
        return [pooled_years(FIRST_YEAR - 3 + i, FIRST_YEAR - 1 + i) for i in range(N_YEARS)]
    convention = indicator.period_convention
    if convention == "academic":
        return [academic_year(FIRST_YEAR + i) for i in range(N_YEARS)]
    if convention == "calendar":
        return [calendar_year(FIRST_YEAR + i) for i in range(N_YEARS)]
    start = FIRST_YEAR + 1 if indicator.id == "cgf_council_ghg_emissions" else FIRST_YEAR
    return [financial_year(start + i) for i in range(N_YEARS - (start - FIRST_YEAR))]


def _typical(indicator: Indicator) -> float:
    if indicator.id in TYPICAL_LEVEL:
        return TYPICAL_LEVEL[indicator.id]
    low, high = indicator.value_range()
    match indicator.value_type:
        case ValueType.PROPORTION:
            return 0.4 * indicator.multiplier
        case ValueType.LIFE_EXPECTANCY:
            return 70.0
        case ValueType.SCORE:
            return (low + high) / 2 if low is not None and high is not None else 19.0
        case ValueType.SII:
            return 8.0
        case ValueType.CRUDE_RATE | ValueType.DSR | ValueType.ISR:
            return 50.0 if indicator.multiplier <= 10000 else 500.0
        case ValueType.RATIO | ValueType.INDEX:
            return 5.0
        case ValueType.COUNT:
            return 120.0
        case _:
            return 100.0


def _spread(indicator: Indicator) -> float:
    """Relative spread of area levels around England: small for life expectancy, wider for rates."""
    return {ValueType.LIFE_EXPECTANCY: 0.025, ValueType.PROPORTION: 0.12}.get(indicator.value_type, 0.18)


def _areas_for(indicator: Indicator, period: Period, settings: Settings, groups: ComparatorGroups) -> list[str]:
    if indicator.comparator_group is None:
        return [settings.home_area]
    members = groups.members(indicator.comparator_group, period.end)
    return sorted({*members, settings.home_area, ENGLAND})


def generate_values(catalogue: Catalogue, settings: Settings, groups: ComparatorGroups,
                    seed: int = 20220401) -> list[SampleSeries]:
    """Every sample value, deterministically: per area level and slope, yearly noise, CIs from counts."""
    out: list[SampleSeries] = []
    for indicator in sorted(catalogue, key=lambda i: i.id):
        base = _typical(indicator)
        periods = periods_for(indicator)
        sexes = ["Male", "Female"] if indicator.headline_breakdown.sex in ("Male", "Female") else [
            indicator.headline_breakdown.sex]
        all_areas = sorted({a for p in periods for a in _areas_for(indicator, p, settings, groups)})
        for area in all_areas:
            for sex in sexes:
                rng = _rng(seed, indicator.id, area, sex)
                level = base * (1 + rng.normal(0, _spread(indicator))) if area != ENGLAND else base
                per_year = 4 if indicator.frequency is Frequency.QUARTERLY else 1
                yearly = base * _spread(indicator) * 0.1  # a plausible change per year for this type
                slope = yearly * rng.normal(0.0, 1.0 if area != ENGLAND else 0.2) / per_year
                if area == settings.home_area:  # the home council improves steadily, as plans hope
                    slope = yearly / per_year * (1 if indicator.polarity.value == "high_is_good" else -1)
                if sex == "Male" and indicator.value_type is ValueType.LIFE_EXPECTANCY:
                    level -= 1.5
                for t, period in enumerate(periods):
                    if area not in _areas_for(indicator, period, settings, groups):
                        continue
                    if area not in (ENGLAND, settings.home_area) and rng.random() < 0.03:
                        continue  # a missing area, as real publications have
                    mean = level + slope * t
                    out.append(_observe(indicator, area, period, sex, mean, rng, area == ENGLAND))
    return out


def _observe(indicator: Indicator, area: str, period: Period, sex: str, mean: float,
             rng: np.random.Generator, is_england: bool) -> SampleSeries:
    age = indicator.headline_breakdown.age
    noise = rng.normal(0, 0.015 * abs(mean) + 1e-9)
    raw = max(mean + noise, 0.0)
    suppressed = not is_england and rng.random() < 0.02
    if indicator.value_type is ValueType.PROPORTION:
        mult = indicator.multiplier
        share = min(max(raw / mult, 0.001), 0.999)
        denominator = float(rng.integers(4000, 12000) * (50 if is_england else 1))
        if indicator.comparator_group is None:
            denominator = float(rng.integers(900, 1500))
        count = float(round(share * denominator))
        value = count / denominator * mult
        lower, upper = wilson(count, denominator, multiplier=mult)
        lower998, upper998 = wilson(count, denominator, z=Z998, multiplier=mult)
    elif indicator.value_type in (ValueType.CRUDE_RATE, ValueType.DSR, ValueType.ISR):
        mult = indicator.multiplier if indicator.multiplier > 1 else 100000
        denominator = float(rng.integers(100000, 160000) * (50 if is_england else 1))
        count = float(round(raw * denominator / mult))
        value = count / denominator * mult
        lower, upper = byar_rate(count, denominator, multiplier=mult)
        lower998, upper998 = byar_rate(count, denominator, z=Z998, multiplier=mult)
    elif indicator.value_type is ValueType.LIFE_EXPECTANCY:
        value, count, denominator = raw, None, None
        half = 0.2 if is_england else 1.1
        lower, upper = value - half, value + half
        lower998, upper998 = value - half * 1.58, value + half * 1.58
    else:
        value, count, denominator = raw, None, None
        lower = upper = lower998 = upper998 = None
        if indicator.value_type is ValueType.COUNT:
            value = float(round(raw))
    value = round(value, indicator.decimals + 3)
    if suppressed:
        return SampleSeries(indicator, area, period, sex, age, None, None, None, None, None, None, None,
                            SUPPRESSION_NOTE)
    return SampleSeries(indicator, area, period, sex, age, value, lower, upper, lower998, upper998, count,
                        denominator, "")


def _fmt(value: float | None, places: int = 6) -> str:
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fingertips_period(period: Period) -> str:
    if period.type.value == "multi_year":
        first, last = period.start.year, period.end.year
        return f"{first} - {last % 100:02d}"
    return period.label


def _area_type(areas: AreaRegister, code: str) -> str:
    area = areas.get(code)
    if area is None:
        return ""
    return {"country": "England", "county": "Counties & UAs (from Apr 2023)",
            "unitary": "Counties & UAs (from Apr 2023)", "region": "Region"}.get(area.type, area.type)


def write_fingertips_csv(path: Path, rows: Iterable[SampleSeries], areas: AreaRegister) -> int:
    rows = list(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(FINGERTIPS_HEADER)
        for r in rows:
            count = "" if r.count is None else f"{int(r.count):,}"
            writer.writerow([
                r.indicator.source.code, f"{r.indicator.name} (SAMPLE DATA)", "E92000001", "England",
                r.area_code, areas.name(r.area_code), _area_type(areas, r.area_code), r.sex, r.age, "", "",
                _fingertips_period(r.period), _fmt(r.value), _fmt(r.lower), _fmt(r.upper), _fmt(r.lower998),
                _fmt(r.upper998), count, _fmt(r.denominator, 0), r.note, "", "", "",
                f"{r.period.start.year}0000", "", "", "1y",
            ])
    return len(rows)


def write_returns_xlsx(path: Path, rows: Iterable[SampleSeries], areas: AreaRegister,
                       commentary: dict[tuple[str, str], str]) -> int:
    rows = list(rows)
    workbook = Workbook()
    guide = workbook.active
    guide.title = "Guidance"
    guide["A1"] = "SAMPLE DATA - generated by `outcomes sample`; not real council figures."
    guide["A1"].font = Font(bold=True, color="C00000")
    guide["A3"] = "Fill one row per indicator, area and period on the 'Returns' sheet."
    guide["A4"] = "Suppressed or unavailable values: leave value empty and put [c] or [x] in value."
    sheet = workbook.create_sheet("Returns")
    sheet.append(RETURNS_HEADER)
    for r in rows:
        value: object = "[c]" if r.value is None else round(r.value, r.indicator.decimals + 2)
        sheet.append([
            r.indicator.id, r.area_code, areas.name(r.area_code), r.period.label, r.sex, r.age, value,
            r.count, r.denominator,
            None if r.lower is None else round(r.lower, 4), None if r.upper is None else round(r.upper, 4),
            r.note, commentary.get((r.indicator.id, r.period.label), ""),
        ])
    workbook.properties.creator = "outcomes sample"
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    workbook.save(path)
    return len(rows)




def _commentary(rows: list[SampleSeries], settings: Settings) -> dict[tuple[str, str], str]:
    """Officer commentary on each returns indicator's latest home-area value (sample text)."""
    latest: dict[str, SampleSeries] = {}
    for r in rows:
        if r.area_code == settings.home_area:
            current = latest.get(r.indicator.id)
            if current is None or r.period.start > current.period.start:
                latest[r.indicator.id] = r
    return {(i, r.period.label): f"SAMPLE commentary: {r.indicator.name} for {r.period.label}; "
            "officers will confirm the figure at the Outcome Board." for i, r in latest.items()}


def write_sample(directory: Path, catalogue: Catalogue, areas: AreaRegister, groups: ComparatorGroups,
                 settings: Settings, seed: int = 20220401) -> list[Path]:
    """Write the sample landing files into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    values = generate_values(catalogue, settings, groups, seed)
    written: list[Path] = []
    by_source: dict[str, list[SampleSeries]] = {}
    for row in values:
        by_source.setdefault(row.indicator.source.source, []).append(row)
    fingertips = by_source.pop("fingertips_csv", [])
    for code in sorted({r.indicator.source.code for r in fingertips}):
        path = directory / f"{SAMPLE_PREFIX}fingertips_{code}.csv"
        write_fingertips_csv(path, [r for r in fingertips if r.indicator.source.code == code], areas)
        written.append(path)
    returns = by_source.pop("returns", [])
    if returns:
        path = directory / f"{SAMPLE_PREFIX}returns_{date(2025, 1, 1):%Y}.xlsx"
        write_returns_xlsx(path, returns, areas, _commentary(returns, settings))
        written.append(path)
    if by_source:
        missing = ", ".join(sorted(by_source))
        raise NotImplementedError(f"the sample generator has no writer yet for source(s): {missing}")
    (directory / "README.md").write_text(
        "# SAMPLE DATA\n\nGenerated by `outcomes sample` (deterministic, seed "
        f"{seed}). These are not real figures for any council.\n", encoding="utf-8")
    return written
