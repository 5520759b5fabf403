"""The SAMPLE DATA generator: every catalogue indicator in its source of record's format, deterministic,
realistic, labelled, with the awkward rows real files have (suppressed, missing, out of scope)."""

from __future__ import annotations

import pytest
import python_calamine

from indicators.areas import ENGLAND
from sources.registry import ADAPTERS_BY_ID, detect_adapter
from sources.sample import TYPICAL_LEVEL, SampleSizes, periods_for, write_sample
from sources.validate import (
    SKIP_AREA_NAME_UNKNOWN,
    SKIP_AREA_OUTSIDE_REGISTER,
    SKIP_EMPTY_CELL,
    SKIP_UNKNOWN_INDICATOR,
    validate_file,
)

HOME = "E10000018"


@pytest.fixture(scope="module")
def judged(sample_dir, context):
    return {p.name: validate_file(p, context) for p in sorted(sample_dir.glob("SAMPLE_*"))}


def test_every_format_is_written_and_read_by_its_adapter(sample_dir, judged):
    adapters = {detect_adapter(sample_dir / name).id for name in judged}
    assert adapters == set(ADAPTERS_BY_ID)
    assert {n for n in judged if n.startswith("SAMPLE_returns")} == {"SAMPLE_returns_annual.xlsx",
                                                                    "SAMPLE_returns_quarterly.csv"}


def test_nothing_is_rejected_and_out_of_scope_rows_are_skipped(judged):
    skipped: dict[str, int] = {}
    for result in judged.values():
        assert result.reconciles and result.file_error is None
        assert result.rows_rejected == 0, result.rejected.head().to_string()
        for reason, count in result.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + count
    # a district, Inner London, a combined authority and the UK total; a waste partnership; DfE's extra
    # measure column; blank cells of wide tables
    assert set(skipped) == {SKIP_AREA_OUTSIDE_REGISTER, SKIP_AREA_NAME_UNKNOWN, SKIP_UNKNOWN_INDICATOR,
                            SKIP_EMPTY_CELL}


def test_every_indicator_has_home_data_at_its_headline_breakdown(judged, catalogue):
    accepted = [r.accepted for r in judged.values()]
    home = {(row.indicator_id, row.sex, row.age)
            for frame in accepted for row in frame[frame.area_code == HOME].itertuples()}
    for indicator in catalogue:
        headline = indicator.headline_breakdown
        assert (indicator.id, headline.sex, headline.age) in home, indicator.id


def test_suppressed_cells_and_missing_areas(judged, catalogue, groups):
    frames = [r.accepted for r in judged.values()]
    suppressed = sum(int(f.value.isna().sum()) for f in frames)
    assert suppressed > 100
    notes = {n for f in frames for n in f.loc[f.value.isna(), "value_note"]}
    assert {"x", "c", "[c]"} & {n.split(";")[0].strip() for n in notes}
    rates = next(f for f in frames if (f.indicator_id == "sw_child_injury_admissions").any())
    counties_per_period = rates[rates.area_code.str.startswith("E10")].groupby("period").area_code.nunique()
    expected = {p.label: len(groups.members("county_councils", p.end))
                for p in periods_for(catalogue.get("sw_child_injury_admissions"))}
    assert any(counties_per_period[p] < n for p, n in expected.items())  # some councils missing some years
    assert all(counties_per_period[p] <= n for p, n in expected.items())


def test_values_are_realistic(judged, catalogue):
    frames = [r.accepted for r in judged.values()]
    for indicator in catalogue:
        headline = indicator.headline_breakdown
        values = [v for f in frames for v in f.loc[(f.indicator_id == indicator.id) & f.value.notna()
                                                   & (f.age == headline.age), "value"]]
        assert values, indicator.id
        typical = TYPICAL_LEVEL[indicator.id]
        middle = sorted(values)[len(values) // 2]
        assert 0.5 * typical <= middle <= 1.5 * typical, (indicator.id, middle, typical)


def test_deterministic_and_seeded(sample_dir, tmp_path, catalogue, areas, groups, settings):
    again = tmp_path / "again"
    write_sample(again, catalogue, areas, groups, settings)
    for path in sorted(sample_dir.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    other = tmp_path / "other"
    small = SampleSizes(years=3, quarters=2)
    write_sample(other, catalogue, areas, groups, settings, seed=7, sizes=small)
    assert (other / "SAMPLE_oflog_asc.csv").read_bytes() != (sample_dir / "SAMPLE_oflog_asc.csv").read_bytes()
    assert len(list(other.glob("SAMPLE_dfe_neet_*.csv"))) == small.years  # sizes are parameters


def test_labelled_sample_data(sample_dir):
    assert all(p.name.startswith("SAMPLE_") for p in sample_dir.iterdir() if p.name != "README.md")
    assert "SAMPLE DATA" in (sample_dir / "README.md").read_text()
    assert "(SAMPLE DATA)" in (sample_dir / "SAMPLE_fingertips_90284.csv").read_text()
    assert "SAMPLE DATA" in (sample_dir / "SAMPLE_ons_explore_local_statistics.csv").read_text()
    for name in ("SAMPLE_returns_annual.xlsx", "SAMPLE_published_tables.xlsx"):
        book = python_calamine.CalamineWorkbook.from_path(str(sample_dir / name))
        first = book.get_sheet_by_name(book.sheet_names[0]).to_python()
        assert str(first[0][0]).startswith("SAMPLE DATA"), name


def test_periods_cover_targets_and_quarters(judged, catalogue):
    homes = catalogue.get("se_net_additional_dwellings")
    labels = [p.label for p in periods_for(homes)]
    assert labels[0] == "2010/11" and labels[-1] == "2024/25"  # the running total starts in 2011/12
    frames = [r.accepted for r in judged.values()]
    rows = [f[f.indicator_id == "se_net_additional_dwellings"] for f in frames]
    rows = next(r for r in rows if len(r))
    assert {"E06000016", HOME} <= set(rows.area_code)  # both parts of the aggregate area
    ghg = [p.label for p in periods_for(catalogue.get("cgf_council_ghg_emissions"))]
    assert "2016/17" in ghg  # the baseline year of the council's own emissions target
    quarterly = [p.label for p in periods_for(catalogue.get("gc_different_backgrounds_get_on"))]
    assert quarterly[:2] == ["2022/23 Q1", "2022/23 Q2"]
    ev = [p.label for p in periods_for(catalogue.get("cgf_ev_charging_devices"))]
    assert ev[0] == "2022-04-01"
    england = [f for f in frames if (f.area_code == ENGLAND).any()]
    assert england
