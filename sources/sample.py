"""Deterministic SAMPLE DATA for every catalogue indicator, in its source of record's format.

Why generated, not copied: the project cannot ship real published files, yet a new user must be able to
run the whole pipeline at once. Values are realistic for their indicator (typical England levels below;
percentages with Wilson intervals from counts, rates with Byar intervals, life expectancies in years),
with per-area levels, trends and noise, some suppressed cells, some missing areas, and a few rows the
pipeline must skip as out of scope (a district, a waste partnership, Inner London). Every file name starts
with ``SAMPLE_`` and every output made from them says SAMPLE DATA.

The structure is open to larger runs: sizes are a :class:`SampleSizes` parameter and each source format
has its own writer (:mod:`sources.sample_formats`), chosen by the catalogue's source of record. The same
seed always gives byte-identical files.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from indicators.areas import ENGLAND, AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, Frequency, Indicator, ValueType
from indicators.methods.confidence import Z998, byar_rate, wilson
from indicators.periods import (
    Period,
    academic_year,
    calendar_year,
    financial_year,
    fiscal_quarter,
    parse_period,
    point_date,
    pooled_years,
)
from indicators.settings import Settings
from sources.adapters.fingertips_csv import FINGERTIPS_HEADER as FINGERTIPS_HEADER  # re-exported for its users

SAMPLE_PREFIX = "SAMPLE_"
SUPPRESSION_NOTE = "Value suppressed for disclosure control due to small count"
DEFAULT_SEED = 20220401

# Typical England levels, so that every sample series looks like its real counterpart (realism only; the
# pipeline never reads these). Indicators not listed get a level from their value type.
TYPICAL_LEVEL: dict[str, float] = {
    "cgf_residents_informed_environment": 45.0, "cgf_co2_per_capita_la_influence": 4.6,
    "cgf_ghg_per_capita_territorial": 6.2, "cgf_domestic_co2": 1050.0, "cgf_ev_charging_devices": 60.0,
    "cgf_epc_new_build_c_plus": 96.0, "cgf_epc_existing_c_plus": 42.0, "cgf_habitat_diversity_land": 12.0,
    "cgf_household_waste_reuse_recycling": 44.0, "cgf_residual_waste_per_household": 520.0,
    "cgf_la_waste_landfilled": 10.0, "cgf_la_waste_recycled_composted": 43.0,
    "cgf_businesses_carbon_action": 35.0, "cgf_council_ghg_emissions": 31000.0,
    "gc_different_backgrounds_get_on": 92.0, "gc_hate_crime_rate": 0.35, "gc_influence_decisions": 33.0,
    "gc_satisfied_local_area": 94.0, "gc_neighbourhood_plans_adopted": 38.0, "gc_community_response_plans": 53.0,
    "gc_heritage_site_visits": 60000.0, "gc_library_eloans": 90000.0, "gc_unpaid_help": 39.0,
    "io_school_readiness": 67.0, "io_school_readiness_fsm": 52.0, "io_eyfsp_all_elgs": 63.0,
    "io_child_development_2_2_5": 82.0, "io_early_education_2yo": 72.0, "io_breastfeeding_6_8_weeks": 48.0,
    "io_good_outstanding_schools": 87.0, "io_ks2_rwm_expected": 60.0, "io_ks2_rwm_disadvantaged": 44.0,
    "io_gcse_english_maths": 65.0, "io_eyfs_communication_language": 80.0, "io_persistent_absence": 15.0,
    "io_supporting_families_progress": 300.0,
    "io_children_looked_after_rate": 70.0, "io_neet_not_known_16_17": 5.2, "io_neet_16_17": 2.8,
    "io_care_leavers_eet": 55.0, "io_ld_adults_paid_employment": 5.5, "io_mh_adults_paid_employment": 7.0,
    "se_level4_qualifications": 43.0, "se_claimant_count": 3.5, "se_employment_rate": 75.5,
    "se_apprenticeship_starts": 600.0, "se_fe_skills_participation": 5200.0, "se_motor_vehicle_flow": 2600.0,
    "se_principal_roads_maintenance": 4.0, "se_gigabit_broadband": 70.0,
    "se_business_births": 11.0, "se_high_growth_businesses": 4.0, "se_active_businesses": 30000.0,
    "se_gdhi_per_head": 21000.0, "se_fsm_pupils": 22.0, "se_children_relative_poverty": 20.0,
    "se_median_weekly_pay": 640.0, "se_net_additional_dwellings_rate": 9.0, "se_net_additional_dwellings": 2400.0,
    "se_housing_affordability_ratio": 8.0,
    "sw_total_crime_rate": 85.0, "sw_feel_safe_after_dark": 79.0, "sw_ksi_roads": 90.0,
    "sw_first_time_entrants_youth_justice": 150.0, "sw_domestic_abuse_rate": 30.0,
    "sw_child_protection_plans": 42.0, "sw_child_injury_admissions": 75.0, "sw_healthy_life_expectancy": 63.5,
    "sw_sii_life_expectancy": 8.0, "sw_adults_overweight_obese": 64.0, "sw_adult_obesity": 26.0,
    "sw_year6_overweight_obese": 36.0, "sw_physically_inactive": 22.0, "sw_pm25_mortality": 5.5,
    "sw_happiness_mean": 7.4, "sw_anxiety_mean": 3.2, "sw_smi_excess_mortality": 390.0,
    "sw_self_harm_admissions_10_24": 420.0, "sw_cancer_early_diagnosis": 56.0, "sw_preventable_cvd_mortality": 30.0,
    "sw_asc_carer_quality_of_life": 7.4, "sw_asc_quality_of_life_impact": 0.4,
    "sw_asc_easy_to_find_information": 67.0, "sw_asc_carers_easy_to_find_information": 58.0,
    "sw_asc_short_term_outcome": 77.0, "sw_asc_requests_resulting_in_service": 3500.0,
    "sw_asc_workforce_turnover": 29.0, "sw_asc_feel_safe": 70.0, "sw_asc_control_daily_life": 77.0,
    "sw_reablement_91_days": 82.0, "sw_permanent_admissions_care_homes": 560.0,
    "en_planned_savings_delivered": 18.0, "en_customer_digital_share": 55.0,
}
# Breakdowns a source publishes beside the headline one, with their level relative to it.
EXTRA_BREAKDOWNS: dict[str, dict[str, float]] = {
    "sw_permanent_admissions_care_homes": {"18-64": 0.025},
}


@dataclass(frozen=True)
class SampleSizes:
    """How much sample data to make. Defaults keep ``make run`` quick; larger runs change only these."""

    first_year: int = 2015
    years: int = 10  # 2015 .. 2024: at least 8 periods for every annual series
    first_quarter_year: int = 2022  # the plan's first year; quarterly series run 2022/23 Q1 onwards
    quarters: int = 14
    missing_area_rate: float = 0.03
    suppressed_rate: float = 0.02


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


def _first_year(indicator: Indicator, sizes: SampleSizes) -> int:
    """Start early enough for a target's baseline or running total (e.g. dwellings since 2011/12)."""
    years = [sizes.first_year]
    target = indicator.target
    if target is not None:
        for text in (target.baseline.period if target.baseline else None, target.cumulative_from):
            if text:
                years.append(parse_period(text).start.year)
    return min(years)


def periods_for(indicator: Indicator, sizes: SampleSizes = SampleSizes()) -> list[Period]:
    """The periods a source would publish for this indicator, by its frequency and period convention."""
    convention = indicator.period_convention
    if indicator.frequency is Frequency.QUARTERLY:
        starts = [sizes.first_quarter_year + q // 4 for q in range(sizes.quarters)]
        quarters = [fiscal_quarter(y, q % 4 + 1) for q, y in enumerate(starts)]
        return [point_date(p.start) for p in quarters] if convention == "date" else quarters
    if indicator.frequency is Frequency.MULTI_YEAR:
        return [pooled_years(sizes.first_year - 3 + i, sizes.first_year - 1 + i) for i in range(sizes.years)]
    first = _first_year(indicator, sizes)
    count = sizes.years + (sizes.first_year - first)
    make: Callable[[int], Period] = {
        "academic": academic_year, "calendar": calendar_year, "date": lambda y: point_date(date(y, 4, 15)),
    }.get(convention or "", financial_year)
    return [make(first + i) for i in range(count)]


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
        case ValueType.COUNT:
            return 120.0
        case _:
            return 100.0


def _spread(indicator: Indicator) -> float:
    """Relative spread of area levels around England: small for life expectancy, wider for rates."""
    return {ValueType.LIFE_EXPECTANCY: 0.025, ValueType.PROPORTION: 0.12, ValueType.SCORE: 0.05}.get(
        indicator.value_type, 0.18)


def areas_for(indicator: Indicator, period: Period, settings: Settings, groups: ComparatorGroups,
              areas: AreaRegister) -> list[str]:
    """Who publishes a value: the comparator group members of the period, the home area and England;
    only the home area for the council's own measures; a target's aggregate area's components."""
    chosen = {settings.home_area}
    if indicator.comparator_group is not None:
        chosen |= {*groups.members(indicator.comparator_group, period.end), ENGLAND}
    target_area = areas.get(indicator.target.area) if indicator.target and indicator.target.area else None
    if target_area is not None:
        chosen |= set(target_area.components)
    return sorted(chosen)


def generate_values(catalogue: Catalogue, settings: Settings, groups: ComparatorGroups, areas: AreaRegister,
                    seed: int = DEFAULT_SEED, sizes: SampleSizes = SampleSizes()) -> list[SampleSeries]:
    """Every sample value, deterministically: per area level and slope, yearly noise, CIs from counts."""
    out: list[SampleSeries] = []
    for indicator in sorted(catalogue, key=lambda i: i.id):
        base = _typical(indicator)
        periods = periods_for(indicator, sizes)
        sexes = ["Male", "Female"] if indicator.headline_breakdown.sex in ("Male", "Female") else [
            indicator.headline_breakdown.sex]
        ages = {indicator.headline_breakdown.age: 1.0, **EXTRA_BREAKDOWNS.get(indicator.id, {})}
        publishing = {p: set(areas_for(indicator, p, settings, groups, areas)) for p in periods}
        all_areas = sorted(set().union(*publishing.values()))
        for area in all_areas:
            for sex in sexes:
                for age, scale in ages.items():
                    rng = _rng(seed, indicator.id, area, sex, age)
                    level = base * scale * ((1 + rng.normal(0, _spread(indicator))) if area != ENGLAND else 1)
                    per_year = 4 if indicator.frequency is Frequency.QUARTERLY else 1
                    yearly = base * scale * _spread(indicator) * 0.1  # a plausible change per year
                    slope = yearly * rng.normal(0.0, 1.0 if area != ENGLAND else 0.2) / per_year
                    if area == settings.home_area:  # the home council improves steadily, as plans hope
                        slope = yearly / per_year * (-1 if indicator.polarity.value == "low_is_good" else 1)
                    if sex == "Male" and indicator.value_type is ValueType.LIFE_EXPECTANCY:
                        level -= 1.5
                    for t, period in enumerate(periods):
                        if area not in publishing[period]:
                            continue
                        if area not in (ENGLAND, settings.home_area) and rng.random() < sizes.missing_area_rate:
                            continue  # a missing area, as real publications have
                        out.append(_observe(indicator, area, period, sex, age, level + slope * t, rng,
                                            area == ENGLAND, sizes))
    return out


def _observe(indicator: Indicator, area: str, period: Period, sex: str, age: str, mean: float,
             rng: np.random.Generator, is_england: bool, sizes: SampleSizes) -> SampleSeries:
    noise = rng.normal(0, 0.015 * abs(mean) + 1e-9)
    raw = max(mean + noise, 0.0)
    suppressed = not is_england and rng.random() < sizes.suppressed_rate
    lower = upper = lower998 = upper998 = count = denominator = None
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
    elif indicator.value_type in (ValueType.CRUDE_RATE, ValueType.DSR):
        mult = indicator.multiplier if indicator.multiplier > 1 else 100000
        denominator = float(rng.integers(100000, 160000) * (50 if is_england else 1))
        count = float(round(raw * denominator / mult))
        value = count / denominator * mult
        lower, upper = byar_rate(count, denominator, multiplier=mult)
        lower998, upper998 = byar_rate(count, denominator, z=Z998, multiplier=mult)
    elif indicator.value_type in (ValueType.LIFE_EXPECTANCY, ValueType.ISR, ValueType.SII):
        value = raw
        half = (0.2 if is_england else 1.1) * (1 if indicator.value_type is ValueType.LIFE_EXPECTANCY else
                                                0.04 * max(abs(raw), 1.0))
        lower, upper = value - half, value + half
        lower998, upper998 = value - half * 1.58, value + half * 1.58
    else:
        value = raw
        low, high = indicator.value_range()
        if low is not None and high is not None:
            value = min(max(value, low), high)
        if indicator.value_type is ValueType.COUNT:
            value = float(round(value))
    value = round(value, indicator.decimals + 3)
    if suppressed:
        return SampleSeries(indicator, area, period, sex, age, None, None, None, None, None, None, None,
                            SUPPRESSION_NOTE)
    return SampleSeries(indicator, area, period, sex, age, value, lower, upper, lower998, upper998, count,
                        denominator, "")


def write_sample(directory: Path, catalogue: Catalogue, areas: AreaRegister, groups: ComparatorGroups,
                 settings: Settings, seed: int = DEFAULT_SEED, sizes: SampleSizes = SampleSizes()) -> list[Path]:
    """Write the sample landing files into ``directory``, one writer per source format; return their paths."""
    from sources.sample_formats import WRITERS, SampleContext

    directory.mkdir(parents=True, exist_ok=True)
    by_source: dict[str, list[SampleSeries]] = {}
    for row in generate_values(catalogue, settings, groups, areas, seed, sizes):
        by_source.setdefault(row.indicator.source.source, []).append(row)
    missing = sorted(set(by_source) - set(WRITERS))
    if missing:
        raise ValueError(f"the sample generator has no writer for source(s) {missing}; add one to "
                         "sources/sample_formats.py")
    context = SampleContext(directory, areas, settings, seed)
    written: list[Path] = []
    for source in sorted(by_source):
        written += WRITERS[source](by_source[source], context)
    (directory / "README.md").write_text(
        "# SAMPLE DATA\n\nGenerated by `outcomes sample` (deterministic, seed "
        f"{seed}). These are not real figures for any council.\n", encoding="utf-8")
    return written


# --- national scale ----------------------------------------------------------------------------------------
# The same generator at the size of a national benchmarking team's data: every upper-tier authority, the
# regions and England, thousands of indicators. Its indicators are not the plan's: they come with their own
# catalogue layer (national_catalogue), written beside the files and layered over the packaged catalogue.
# Values follow the same rules as the plan's sample (levels by value type, per-area spread and slope, yearly
# noise, CIs from counts by Wilson and Byar, suppressed cells, missing areas) but are drawn a whole
# indicator at a time with numpy, so ten million rows take minutes, not hours.

NATIONAL_PREFIX = "nat_"
NATIONAL_CODE_BASE = 800000  # Fingertips-style ids well above OHID's (which stay below 100000)
# Their own outcome, so the plan's reports and Outcome Boards are not swamped by thousands of them.
NATIONAL_OUTCOME = {"id": "nat", "name": "National benchmarking (SAMPLE DATA)",
                    "board": "National benchmarking (SAMPLE DATA)"}
NATIONAL_VALUE_TYPES = (ValueType.PROPORTION, ValueType.CRUDE_RATE, ValueType.DSR, ValueType.LIFE_EXPECTANCY,
                        ValueType.PROPORTION, ValueType.SCORE)
NATIONAL_GROUPS = ("county_councils", "all_upper_tier")


@dataclass(frozen=True)
class NationalSizes:
    """How much national-scale data to make: about ``rows`` observation rows in ``files`` landing files."""

    rows: int = 10_000_000
    first_year: int = 2010
    years: int = 15
    first_quarter_year: int = 2021
    quarters: int = 12
    files: int = 100
    returns_every: int = 50  # one indicator in 50 comes in the returns template (XLSX), the rest from Fingertips
    quarterly_every: int = 100  # one indicator in 100 is a quarterly series
    missing_area_rate: float = 0.03
    suppressed_rate: float = 0.02

    def indicators(self) -> int:
        """Indicators needed for about ``rows`` rows: ~163 areas x years x 2 breakdowns on average."""
        return max(4, round(self.rows / (163 * self.years * 2)))


def _national_entry(n: int, sizes: NationalSizes) -> dict:
    value_type = NATIONAL_VALUE_TYPES[n % len(NATIONAL_VALUE_TYPES)]
    ident = f"{NATIONAL_PREFIX}{n:05d}"
    returns = n % sizes.returns_every == 1  # so that even a small run has one of each
    quarterly = n % sizes.quarterly_every == 3
    unit, multiplier = {ValueType.PROPORTION: ("%", 100), ValueType.CRUDE_RATE: ("per 100,000", 100000),
                        ValueType.DSR: ("per 100,000", 100000), ValueType.LIFE_EXPECTANCY: ("years", 1),
                        ValueType.SCORE: ("score", 1)}[value_type]
    entry = {
        "id": ident, "name": f"National indicator {n} (SAMPLE DATA)", "outcome": NATIONAL_OUTCOME["id"],
        "success_measure": "National benchmarking (SAMPLE DATA)",
        "polarity": ("high_is_good", "low_is_good", "no_judgement")[n % 3], "value_type": value_type.value,
        "unit": unit, "multiplier": multiplier, "decimals": 1,
        "frequency": "quarterly" if quarterly else "annual", "period_convention": "financial",
        "publication_lag_months": 6,
        "source": {"source": "returns", "code": ident} if returns else
        {"source": "fingertips_csv", "code": str(NATIONAL_CODE_BASE + n)},
        "comparator_group": NATIONAL_GROUPS[n % 2], "lead_board": "National benchmarking (SAMPLE DATA)",
    }
    if value_type is ValueType.SCORE:
        entry["valid_range"] = [0, 100]
    return entry


def national_catalogue(sizes: NationalSizes = NationalSizes()) -> list[dict]:
    """The generated catalogue layer: one entry per national indicator (YAML-ready dictionaries)."""
    return [_national_entry(n, sizes) for n in range(sizes.indicators())]


def write_national_catalogue(path: Path, sizes: NationalSizes = NationalSizes()) -> Path:
    import yaml

    header = "# SAMPLE DATA: generated catalogue layer for the national-scale benchmark (outcomes sample --rows)\n"
    layer = {"outcome": NATIONAL_OUTCOME, "indicators": national_catalogue(sizes)}
    path.write_text(header + yaml.safe_dump(layer, sort_keys=False), encoding="utf-8")
    return path


def national_periods(indicator: Indicator, sizes: NationalSizes) -> list[Period]:
    return periods_for(indicator, SampleSizes(first_year=sizes.first_year, years=sizes.years,
                                              first_quarter_year=sizes.first_quarter_year, quarters=sizes.quarters))


def national_areas(period: Period, groups: ComparatorGroups, areas: AreaRegister) -> list[str]:
    """Who publishes a national indicator in a period: every upper-tier council then, the regions, England."""
    regions = [a.code for a in areas if a.type == "region" and a.valid_on(period.end)]
    return sorted({*groups.members("all_upper_tier", period.end), *regions, ENGLAND})


@dataclass(frozen=True)
class IndicatorValues:
    """Every generated value of one indicator, column-wise (numpy arrays; NaN = not published)."""

    indicator: Indicator
    area_code: np.ndarray
    period: list[Period]
    period_index: np.ndarray
    sex: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower998: np.ndarray
    upper998: np.ndarray
    count: np.ndarray
    denominator: np.ndarray
    suppressed: np.ndarray

    def __len__(self) -> int:
        return len(self.value)


def national_values(indicator: Indicator, settings: Settings, publishers: Callable[[Period], list[str]],
                    seed: int = DEFAULT_SEED, sizes: NationalSizes = NationalSizes()) -> IndicatorValues:
    """One indicator's values for every publishing area, breakdown and period, drawn at once (same shape
    rules as :func:`generate_values`: per-area level and slope, the home area improving, yearly noise,
    Wilson/Byar limits from counts, suppressed cells and missing areas)."""
    rng = _rng(seed, "national", indicator.id)
    periods = national_periods(indicator, sizes)
    sexes = ["Persons", "Male", "Female"] if int(indicator.id.removeprefix(NATIONAL_PREFIX)) % 2 == 0 else ["Persons"]
    publishing = [set(publishers(p)) for p in periods]
    codes = sorted(set().union(*publishing))
    present_by_area = {a: [a in pub for pub in publishing] for a in codes}
    series = [(a, s) for a in codes for s in sexes]
    area = np.array([a for a, _ in series], dtype=object)
    sex = np.array([s for _, s in series], dtype=object)
    base = _typical(indicator)
    spread = _spread(indicator)
    england = area == ENGLAND
    level = base * np.where(england, 1.0, 1 + rng.normal(0, spread, len(series)))
    level = np.where(sex == "Male", level * 0.97, np.where(sex == "Female", level * 1.03, level))
    per_year = 4 if indicator.frequency is Frequency.QUARTERLY else 1
    yearly = base * spread * 0.1
    slope = yearly * rng.normal(0.0, 1.0, len(series)) * np.where(england, 0.2, 1.0) / per_year
    direction = -1 if indicator.polarity.value == "low_is_good" else 1
    slope = np.where(area == settings.home_area, direction * yearly / per_year, slope)
    n_series, n_periods = len(series), len(periods)
    present = np.array([present_by_area[a] for a in area], dtype=bool)
    keep_area = (rng.random((n_series, n_periods)) >= sizes.missing_area_rate) | england[:, None] | (
        area == settings.home_area)[:, None]
    mask = present & keep_area
    t = np.arange(n_periods)
    mean = level[:, None] + slope[:, None] * t[None, :]
    raw = np.maximum(mean + rng.normal(0, 1, mean.shape) * (0.015 * np.abs(mean) + 1e-9), 0.0)
    big = np.where(england, 50.0, 1.0)[:, None]
    suppressed = (rng.random(mean.shape) < sizes.suppressed_rate) & ~england[:, None]
    nan = np.full(mean.shape, np.nan)
    lower = upper = lower998 = upper998 = count = denominator = nan
    if indicator.value_type is ValueType.PROPORTION:
        mult = indicator.multiplier
        share = np.clip(raw / mult, 0.001, 0.999)
        denominator = rng.integers(4000, 12000, mean.shape) * big
        count = np.round(share * denominator)
        value = count / denominator * mult
        lower, upper = wilson(count, denominator, multiplier=mult)
        lower998, upper998 = wilson(count, denominator, z=Z998, multiplier=mult)
    elif indicator.value_type in (ValueType.CRUDE_RATE, ValueType.DSR):
        mult = indicator.multiplier
        denominator = rng.integers(100000, 160000, mean.shape) * big
        count = np.round(raw * denominator / mult)
        value = count / denominator * mult
        lower, upper = byar_rate(count, denominator, multiplier=mult)
        lower998, upper998 = byar_rate(count, denominator, z=Z998, multiplier=mult)
    elif indicator.value_type is ValueType.LIFE_EXPECTANCY:
        value = raw
        half = np.where(england, 0.2, 1.1)[:, None] * np.ones(mean.shape)
        lower, upper, lower998, upper998 = value - half, value + half, value - half * 1.58, value + half * 1.58
    else:
        low, high = indicator.value_range()
        value = np.clip(raw, low, high) if low is not None and high is not None else raw
    value = np.round(value, indicator.decimals + 3)
    rows, cols = np.nonzero(mask)
    pick = (rows, cols)
    hidden = suppressed[pick]

    def take(column: np.ndarray) -> np.ndarray:
        out = np.broadcast_to(column, mean.shape)[pick].astype(float)
        out[hidden] = np.nan
        return out

    return IndicatorValues(indicator, area[rows], periods, cols, sex[rows], take(value), take(lower), take(upper),
                           take(lower998), take(upper998), take(count), take(denominator), hidden)


def write_national_sample(directory: Path, catalogue: Catalogue, areas: AreaRegister, groups: ComparatorGroups,
                          settings: Settings, seed: int = DEFAULT_SEED, sizes: NationalSizes = NationalSizes(),
                          progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write about ``sizes.rows`` national-scale rows: Fingertips CSV files (indicators spread evenly over
    ``sizes.files`` files) and the returns template as XLSX, for the national indicators in ``catalogue``
    (the layer from :func:`write_national_catalogue`). Returns the paths written."""
    from sources.sample_formats import SampleContext, write_national_fingertips, write_national_returns

    directory.mkdir(parents=True, exist_ok=True)
    national = sorted((i for i in catalogue if i.id.startswith(NATIONAL_PREFIX)), key=lambda i: i.id)
    if not national:
        raise ValueError("the catalogue has no national indicators: layer the file write_national_catalogue wrote")
    fingertips = [i for i in national if i.source.source == "fingertips_csv"]
    returns = [i for i in national if i.source.source == "returns"]
    context = SampleContext(directory, areas, settings, seed)
    n_files = max(1, min(sizes.files - (1 if returns else 0), len(fingertips)))
    chunks = [fingertips[k::n_files] for k in range(n_files)]
    written: list[Path] = []
    total = len(chunks) + (1 if returns else 0)
    cache: dict[date, list[str]] = {}

    def publishers(period: Period) -> list[str]:
        if period.end not in cache:
            cache[period.end] = national_areas(period, groups, areas)
        return cache[period.end]

    for k, chunk in enumerate(chunks):
        values = [national_values(i, settings, publishers, seed, sizes) for i in chunk]
        written.append(write_national_fingertips(values, context, f"fingertips_national_{k:03d}.csv"))
        if progress:
            progress(k + 1, total)
    if returns:
        values = [national_values(i, settings, publishers, seed, sizes) for i in returns]
        written.append(write_national_returns(values, context, "returns_national.xlsx"))
        if progress:
            progress(total, total)
    (directory / "README.md").write_text(
        "# SAMPLE DATA\n\nNational-scale SAMPLE DATA generated by `outcomes sample --rows` (deterministic, seed "
        f"{seed}). These are not real figures for any council.\n", encoding="utf-8")
    return written
