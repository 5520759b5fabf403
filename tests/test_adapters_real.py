"""Every observation file in ../shared/data/real loads through its adapter (skipped when the folder is absent).

For each file: the adapter is chosen by content; rows read = accepted + rejected + skipped; the number of
county councils and of Leicestershire's periods found; and values checked against the file as published.
The reference files (nearest neighbours, FingertipsNext metadata, the mySociety lookup) are not
observations: no adapter claims them.
"""

from __future__ import annotations

import pytest

from indicators.catalogue import load_catalogue
from sources.files import FileRejected
from sources.registry import detect_adapter
from sources.validate import (
    SKIP_AREA_NAME_UNKNOWN,
    SKIP_AREA_OUTSIDE_REGISTER,
    SKIP_NOT_SOURCE_OF_RECORD,
    SKIP_UNKNOWN_INDICATOR,
    FileResult,
    ValidationContext,
    validate_file,
)

HOME = "E10000018"

# file -> adapter, {indicator: (county councils found, Leicestershire periods found)}
EXPECTED: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {
    "dfe_neet/UD_NEETNK_LA_dashboard_2021.csv": ("dfe_neet", {"io_neet_not_known_16_17": (25, 1),
                                                              "io_neet_16_17": (25, 1)}),
    "dfe_neet/UD_NEETNK_LA_dashboard_2022.csv": ("dfe_neet", {"io_neet_not_known_16_17": (24, 1)}),
    "dfe_neet/UD_NEETNK_LA_dashboard_2023.csv": ("dfe_neet", {"io_neet_not_known_16_17": (24, 1)}),
    "dfe_neet/UD_NEETNK_LA_dashboard_2024.csv": ("dfe_neet", {"io_neet_not_known_16_17": (21, 1)}),
    "fingertips/dfe_csc_la_hospital_admissions_2223_ind90284.csv": ("fingertips_csv", {
        "sw_child_injury_admissions": (21, 1)}),
    "fingertips/dfe_csc_region_hospital_admissions_2223_ind90284.csv": ("fingertips_csv", {}),
    "fingertips_2020_vintage/admissions_self_harm_young_people.csv": ("fingertips_tidy", {
        "sw_self_harm_admissions_10_24": (27, 7)}),
    "fingertips_2020_vintage/child_protection_plans.csv": ("fingertips_tidy", {"sw_child_protection_plans": (27, 3)}),
    "fingertips_2020_vintage/children_in_care.csv": ("fingertips_tidy", {"io_children_looked_after_rate": (27, 8)}),
    "fingertips_2020_vintage/mortality_serious_mental_illness.csv": ("fingertips_tidy", {
        "sw_smi_excess_mortality": (27, 6)}),
    "fingertips_2020_vintage/school_readiness_fsm.csv": ("fingertips_tidy", {"io_school_readiness_fsm": (27, 6)}),
    "fingertips_2020_vintage/slope_index_of_inequality.csv": ("fingertips_tidy", {"sw_sii_life_expectancy": (27, 6)}),
    "mysociety_emissions/_SUBSET_english_county_councils_with_gss.csv": ("desnz_emissions", {
        "cgf_co2_per_capita_la_influence": (21, 16), "cgf_domestic_co2": (21, 16)}),
    "mysociety_emissions/local_authority_emissions_2005-2020_subset_co2.csv": ("desnz_emissions", {
        "cgf_co2_per_capita_la_influence": (21, 16)}),
    "oflog/oflog_asc_outcomes_by_la_2015-16_to_2022-23.csv": ("oflog_asc", {
        "sw_asc_short_term_outcome": (27, 8), "sw_asc_carer_quality_of_life": (27, 3)}),
    "ons_explore_local_statistics/_SUBSET_counties_E10_and_England_all_indicators.csv": ("ons_els", {
        "se_net_additional_dwellings_rate": (27, 24), "sw_healthy_life_expectancy": (21, 12)}),
    "ons_explore_local_statistics/adult-obesity-prevalence.csv": ("ons_els", {"sw_adult_obesity": (24, 10)}),
    "ons_explore_local_statistics/apprenticeships.csv": ("ons_els", {"se_apprenticeship_starts": (25, 6)}),
    "ons_explore_local_statistics/business-demography.csv": ("ons_els", {"se_business_births": (26, 6)}),
    "ons_explore_local_statistics/children-in-relative-poverty.csv": ("ons_els", {
        "se_children_relative_poverty": (21, 4)}),
    "ons_explore_local_statistics/claimant-count.csv": ("ons_els", {"se_claimant_count": (21, 25)}),
    "ons_explore_local_statistics/electric-vehicle-public-charging-devices_quarterly_2019-2026.csv": ("ons_els", {
        "cgf_ev_charging_devices": (25, 26)}),
    "ons_explore_local_statistics/employment-rate.csv": ("ons_els", {"se_employment_rate": (21, 20)}),
    "ons_explore_local_statistics/gcses-in-english-and-maths.csv": ("ons_els", {"io_gcse_english_maths": (21, 9)}),
    "ons_explore_local_statistics/greenhouse-gas-emissions.csv": ("ons_els", {
        "cgf_ghg_per_capita_territorial": (21, 19)}),
    "ons_explore_local_statistics/gross-disposable-household-income-per-head.csv": ("ons_els", {
        "se_gdhi_per_head": (21, 27)}),
    "ons_explore_local_statistics/gross-median-weekly-pay.csv": ("ons_els", {"se_median_weekly_pay": (21, 18)}),
    "ons_explore_local_statistics/healthy-life-expectancy.csv": ("ons_els", {"sw_healthy_life_expectancy": (21, 12)}),
    "ons_explore_local_statistics/housing-affordability-ratio.csv": ("ons_els", {
        "se_housing_affordability_ratio": (21, 24)}),
    "ons_explore_local_statistics/net-additions-to-the-housing-stock.csv": ("ons_els", {
        "se_net_additional_dwellings_rate": (27, 24)}),
    "ons_explore_local_statistics/persistent-absences-for-all-pupils.csv": ("ons_els", {
        "io_persistent_absence": (27, 18)}),
    "ons_explore_local_statistics/personal-wellbeing-estimates.csv": ("ons_els", {"sw_happiness_mean": (24, 12)}),
    "ons_explore_local_statistics/preventable-cardiovascular-mortality-england.csv": ("ons_els", {
        "sw_preventable_cvd_mortality": (21, 22)}),
    "ons_explore_local_statistics/cancer-diagnosis-at-stage-1-and-2.csv": ("ons_els", {
        "sw_cancer_early_diagnosis": (21, 10)}),
    "ons_explore_local_statistics/early-years.csv": ("ons_els", {"io_eyfs_communication_language": (24, 4)}),
    "ons_explore_local_statistics/further-education-and-skills-participation.csv": ("ons_els", {
        "se_fe_skills_participation": (25, 6)}),
    "ons_explore_local_statistics/motor-vehicle-flow.csv": ("ons_els", {"se_motor_vehicle_flow": (24, 33)}),
    "ons_explore_local_statistics/pupils-at-expected-standards-by-end-of-primary-school.csv": ("ons_els", {
        "io_ks2_rwm_expected": (21, 5)}),
    "ons_sdg/sdg_indicator_11-6-1_la_collected_waste_by_disposal_method_2000-2021.csv": ("defra_waste", {
        "cgf_la_waste_landfilled": (26, 7)}),
    "ons_sdg/sdg_indicator_4-2-1_eyfsp_expected_level_all_ELGs_by_la.csv": ("eyfsp_sdg", {
        "io_eyfsp_all_elgs": (27, 8)}),
    # files whose measures the plan's catalogue does not take (or takes from another source of record)
    "fingertips/indicators-CountyUA.data_campylobacter_93356.csv": ("fingertips_csv", {}),
    "fingertips_2020_vintage/healthy_life_expectancy_at_birth.csv": ("fingertips_tidy", {}),
    "fingertips_2020_vintage/neets.csv": ("fingertips_tidy", {}),
    "ons_explore_local_statistics/first-time-buyer-mortgage-sales.csv": ("ons_els", {}),
    "ons_explore_local_statistics/public-electric-vehicle-chargers.csv": ("ons_els", {}),
}
REFERENCE_FILES = ["fingertips/fingertipsnext_indicators.csv",
                   "mysociety_emissions/uk_local_authorities_current_lookup.csv"]
ALL_SKIPPED = {
    "fingertips/indicators-CountyUA.data_campylobacter_93356.csv": SKIP_UNKNOWN_INDICATOR,
    "fingertips_2020_vintage/healthy_life_expectancy_at_birth.csv": SKIP_NOT_SOURCE_OF_RECORD,
    "fingertips_2020_vintage/neets.csv": SKIP_NOT_SOURCE_OF_RECORD,
    "ons_explore_local_statistics/public-electric-vehicle-chargers.csv": SKIP_NOT_SOURCE_OF_RECORD,
    "ons_explore_local_statistics/first-time-buyer-mortgage-sales.csv": SKIP_UNKNOWN_INDICATOR,
}


@pytest.fixture(scope="module")
def results(real_data, context) -> dict[str, FileResult]:
    """Every observation file validated once for this module (the full DESNZ file is 200,000 cells)."""
    return {name: validate_file(real_data / name, context) for name in EXPECTED}


def test_every_observation_file_is_covered(real_data):
    on_disk = {str(p.relative_to(real_data)) for p in real_data.rglob("*.csv")}
    assert on_disk == set(EXPECTED) | set(REFERENCE_FILES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_file_loads_through_its_adapter(results, areas, name):
    adapter, per_indicator = EXPECTED[name]
    result = results[name]
    assert result.file_error is None and result.adapter_id == adapter
    assert result.rows_read > 0 and result.reconciles
    assert result.rows_rejected == 0, result.rejected.head().to_string()
    accepted = result.accepted
    for indicator, (counties, periods) in per_indicator.items():
        rows = accepted[accepted["indicator_id"] == indicator]
        county_rows = rows[rows["area_code"].map(lambda c: c in areas and areas.get(c).type == "county")]
        assert county_rows["area_code"].nunique() == counties, indicator
        assert rows.loc[rows["area_code"] == HOME, "period"].nunique() == periods, indicator
    if not per_indicator and name in ALL_SKIPPED:
        assert result.skipped == {ALL_SKIPPED[name]: result.rows_read}


def test_reference_files_are_not_observations(real_data):
    for name in REFERENCE_FILES:
        with pytest.raises(FileRejected, match="matches no known source format"):
            detect_adapter(real_data / name)


def _value(result: FileResult, indicator: str, area: str, period: str, **breakdown: str):
    rows = result.accepted
    mask = (rows.indicator_id == indicator) & (rows.area_code == area) & (rows.period == period)
    for column, wanted in breakdown.items():
        mask &= rows[column] == wanted
    found = rows[mask]
    assert len(found) == 1, (indicator, area, period, breakdown, len(found))
    return found.iloc[0]


def test_fingertips_export_values(results):
    la = results["fingertips/dfe_csc_la_hospital_admissions_2223_ind90284.csv"]
    leics = _value(la, "sw_child_injury_admissions", HOME, "2022/23")
    assert (leics.value, leics.lower_ci95, leics.upper_ci95, leics["count"], leics.denominator) == (
        45.9021, 42.2901, 50.0983, 545, 118731)
    assert (leics.published_trend, leics.published_comparison, leics.age) == (
        "Decreasing and getting better", "Better", "<15 yrs")
    assert leics.period_type == "financial_year"
    cornwall = _value(la, "sw_child_injury_admissions", "E06000052", "2022/23")
    assert cornwall.value_note == "* Value for Cornwall and Isles of Scilly combined"  # the HTML span stripped
    regions = results["fingertips/dfe_csc_region_hospital_admissions_2223_ind90284.csv"]
    england = _value(regions, "sw_child_injury_admissions", "E92000001", "2022/23")
    assert (england.value, england["count"]) == (75.30912, 74588)  # "74,588" in the file
    assert set(regions.accepted.area_code) == {"E92000001", *(f"E1200000{i}" for i in range(1, 10))}


def test_campylobacter_breakdowns_with_a_catalogue_layer(real_data, areas, tmp_path):
    """The plan does not monitor Campylobacter; a council layer adds it, and the deprivation decile rows
    (Category Type) load as breakdowns of England, not as areas."""
    layer = tmp_path / "health_protection.yaml"
    layer.write_text(
        "indicators:\n  - id: sw_campylobacter_rate\n    outcome: sw\n    sub_outcome: \"9.3\"\n"
        "    name: Campylobacter incidence rate\n    success_measure: local health protection measure\n"
        "    polarity: low_is_good\n    value_type: crude_rate\n    unit: per 100,000\n    multiplier: 100000\n"
        "    decimals: 1\n    frequency: annual\n    period_convention: calendar\n    publication_lag_months: 12\n"
        "    source: {source: fingertips_csv, code: \"93356\"}\n"
        "    lead_board: Keeping People Safe and Well Outcome Board\n",
        encoding="utf-8")
    context = ValidationContext(load_catalogue([layer], include_env=False), areas)
    result = validate_file(real_data / "fingertips/indicators-CountyUA.data_campylobacter_93356.csv", context)
    assert result.reconciles and result.rows_rejected == 0
    leics = _value(result, "sw_campylobacter_rate", HOME, "2015", age="All ages")
    assert (leics.value, leics["count"], leics.published_comparison) == (96.1041538021854, 649, "Similar")
    deciles = result.accepted[result.accepted.category_type != ""]
    assert set(deciles.area_code) == {"E92000001"} and len(deciles) == 60
    assert result.accepted.loc[result.accepted.area_code == HOME, "period"].nunique() == 3
    counties = {c for c in result.accepted.area_code if c in areas and areas.get(c).type == "county"}
    assert len(counties) == 27


def test_fingertips_tidy_values(results):
    sii = results["fingertips_2020_vintage/slope_index_of_inequality.csv"]
    male = _value(sii, "sw_sii_life_expectancy", HOME, "2010-12", sex="Male")
    assert (male.value, male.period_type, male.period_start.year, male.period_end.year) == (
        6.1, "multi_year", 2010, 2012)
    assert _value(sii, "sw_sii_life_expectancy", HOME, "2010-12", sex="Female").value == 4.8
    fsm = results["fingertips_2020_vintage/school_readiness_fsm.csv"]
    first = _value(fsm, "io_school_readiness_fsm", HOME, "2012/13")
    assert (first.value, first.period_type, first.published_comparison) == (24.7, "academic_year", "Worse")
    assert _value(results["fingertips_2020_vintage/children_in_care.csv"], "io_children_looked_after_rate", HOME,
                  "2011").value == 27
    assert _value(results["fingertips_2020_vintage/mortality_serious_mental_illness.csv"], "sw_smi_excess_mortality",
                  HOME, "2009/10").value == 489.7


def test_ons_els_values(results):
    hle = results["ons_explore_local_statistics/healthy-life-expectancy.csv"]
    male = _value(hle, "sw_healthy_life_expectancy", HOME, "2022-24", sex="Male")
    assert (male.value, male.lower_ci95, male.upper_ci95) == (61.5, 58.9, 64.1)
    homes = results["ons_explore_local_statistics/net-additions-to-the-housing-stock.csv"]
    assert _value(homes, "se_net_additional_dwellings_rate", HOME, "2019/20").value == 12
    negative = homes.accepted[homes.accepted.value < 0]
    assert len(negative) > 0  # net losses of dwellings are real values, not errors
    ev = results["ons_explore_local_statistics/electric-vehicle-public-charging-devices_quarterly_2019-2026.csv"]
    point = _value(ev, "cgf_ev_charging_devices", HOME, "2024-04-01")
    assert point.value == pytest.approx(59.9237691068411) and point.period_type == "date"
    wellbeing = results["ons_explore_local_statistics/personal-wellbeing-estimates.csv"]
    happy = _value(wellbeing, "sw_happiness_mean", HOME, "2022/23")
    assert (happy.value, happy.lower_ci95, happy.upper_ci95) == (7.26, 7.09, 7.43)
    subset = results["ons_explore_local_statistics/_SUBSET_counties_E10_and_England_all_indicators.csv"]
    assert _value(subset, "se_claimant_count", HOME, "2019").value == 1.5
    employment = results["ons_explore_local_statistics/employment-rate.csv"]
    suppressed = employment.accepted[employment.accepted.value.isna()]
    assert len(suppressed) > 0 and set(suppressed.value_note) == {"x", "u"}  # the status marker is kept
    assert SKIP_AREA_OUTSIDE_REGISTER in employment.skipped  # districts, Wales, Scotland, ITL areas


def test_dfe_neet_values(results):
    for year, neet_nk, neet in [("2021", 4.7, 2.4), ("2022", 3.2, 1.3), ("2023", 3.7, 0.8), ("2024", 4.7, 0.7)]:
        result = results[f"dfe_neet/UD_NEETNK_LA_dashboard_{year}.csv"]
        assert _value(result, "io_neet_not_known_16_17", HOME, year, age="16-17").value == neet_nk
        assert _value(result, "io_neet_16_17", HOME, year, age="16-17").value == neet
        assert result.unit == "value cell"
    demo = results["dfe_neet/UD_NEETNK_LA_dashboard_2021.csv"]
    assert demo.skipped.get(SKIP_AREA_NAME_UNKNOWN) == 4  # the file's "Region demo" and "LA demo" rows


def test_oflog_values(results):
    oflog = results["oflog/oflog_asc_outcomes_by_la_2015-16_to_2022-23.csv"]
    assert _value(oflog, "sw_asc_carer_quality_of_life", HOME, "2016/17").value == 7.5
    assert oflog.accepted.value.isna().sum() == 298  # blank values kept as "no value", not lost


def test_desnz_values_by_gss_and_by_mysociety_code(results):
    subset = results["mysociety_emissions/_SUBSET_english_county_councils_with_gss.csv"]
    full = results["mysociety_emissions/local_authority_emissions_2005-2020_subset_co2.csv"]
    for result in (subset, full):
        leics = _value(result, "cgf_co2_per_capita_la_influence", HOME, "2020")
        assert leics.value == pytest.approx(4.215174756341173)
        assert _value(result, "cgf_domestic_co2", HOME, "2020").value == pytest.approx(1008.1624928619751)
    assert full.rows_read == 6304 * 32  # every value cell of the wide file is a unit
    assert full.skipped[SKIP_AREA_OUTSIDE_REGISTER] > 0  # districts, Scotland, Wales, Northern Ireland


def test_waste_names_matched_to_councils(results):
    waste = results["ons_sdg/sdg_indicator_11-6-1_la_collected_waste_by_disposal_method_2000-2021.csv"]
    leics = _value(waste, "cgf_la_waste_landfilled", HOME, "2014/15")
    assert leics.value == pytest.approx(28.155391911779244)
    assert _value(waste, "cgf_la_waste_landfilled", "E92000001", "2014/15") is not None
    accepted = waste.accepted
    bucks = accepted[accepted.indicator_id == "cgf_la_waste_landfilled"]
    assert set(bucks.loc[bucks.area_code == "E10000002", "period"]) >= {"2019/20"}  # Buckinghamshire County Council
    assert set(bucks.loc[bucks.area_code == "E06000060", "period"]) == {"2020/21"}  # Buckinghamshire Council
    assert waste.skipped[SKIP_AREA_NAME_UNKNOWN] == 102  # waste partnerships and authorities


def test_eyfsp_counties_found_by_name(results):
    eyfsp = results["ons_sdg/sdg_indicator_4-2-1_eyfsp_expected_level_all_ELGs_by_la.csv"]
    assert _value(eyfsp, "io_eyfsp_all_elgs", HOME, "2012/13").value == 43.8  # no GeoCode in the file
    assert _value(eyfsp, "io_eyfsp_all_elgs", "E10000021", "2012/13") is not None  # Northamptonshire, by name
    assert _value(eyfsp, "io_eyfsp_all_elgs", "E06000062", "2021/22") is not None  # West Northamptonshire
