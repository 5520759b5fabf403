"""The indicator catalogue: its content against the plan, the loader's errors, and layering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators.catalogue import CatalogueError, load_catalogue
from indicators.catalogue.loader import CATALOGUE_ENV
from sources.registry import ADAPTERS_BY_ID

PLAN_SUB_OUTCOMES = [f"{o}.{n}" for o, count in ((5, 4), (6, 5), (7, 4), (8, 5), (9, 4)) for n in range(1, count + 1)]


def test_every_sub_outcome_of_the_plan_has_an_indicator(catalogue):
    assert len(catalogue) >= 50
    covered = {i.sub_outcome for i in catalogue}
    assert set(PLAN_SUB_OUTCOMES) <= covered
    assert set(catalogue.sub_outcomes) == set(PLAN_SUB_OUTCOMES)
    assert {i.outcome for i in catalogue} == {"cgf", "gc", "io", "se", "sw", "en"}


def test_sources_and_groups_exist(catalogue, groups):
    for indicator in catalogue:
        assert indicator.source.source in ADAPTERS_BY_ID, indicator.id
        assert all(s.source in ADAPTERS_BY_ID for s in indicator.other_sources), indicator.id
        assert indicator.comparator_group is None or indicator.comparator_group in groups.group_ids(), indicator.id
        if indicator.source.source == "fingertips_csv":
            assert indicator.source.code and indicator.source.code.isdigit(), indicator.id


def test_sex_is_a_breakdown_not_a_separate_indicator(catalogue):
    assert not [i.id for i in catalogue if re.search(r"_(male|female|men|women)$", i.id)]
    hle = catalogue.get("sw_healthy_life_expectancy")
    assert hle.headline_breakdown.sex == "Female" and hle.source.breakdown == {}


def test_the_plans_targets(catalogue):
    ghg = catalogue.get("cgf_council_ghg_emissions").target
    assert (ghg.kind, ghg.direction, ghg.baseline.period, ghg.baseline_relative) == (
        "trajectory", "at_most", "2016/17", True)
    assert [(m.period, m.value) for m in ghg.milestones] == [("2024/25", 0.36), ("2029/30", 0.0)]
    homes = catalogue.get("se_net_additional_dwellings").target
    assert (homes.area, homes.cumulative_from, homes.direction) == ("AGG-LEICS", "2011/12", "at_least")
    assert [(m.period, m.value) for m in homes.milestones] == [("2030/31", 96580), ("2049/50", 187096)]
    national = {i.id: i.target.direction for i in catalogue if i.target and i.target.kind == "national_average"}
    assert national == {"io_neet_not_known_16_17": "at_most", "io_neet_16_17": "at_most",
                        "io_ld_adults_paid_employment": "at_least", "io_mh_adults_paid_employment": "at_least"}
    assert "cgf_council_ghg_emissions" in {i.id for i in catalogue if "en" in i.also_reported_in}


def test_the_early_years_reform_is_a_break(catalogue):
    for ident in ("io_school_readiness", "io_eyfsp_all_elgs", "io_school_readiness_fsm"):
        assert [b.period for b in catalogue.get(ident).break_notes] == ["2021/22"]


def test_the_aggregate_target_area_is_in_the_register(catalogue, areas):
    aggregate = areas.get(catalogue.get("se_net_additional_dwellings").target.area)
    assert aggregate.type == "aggregate" and aggregate.components == ("E06000016", "E10000018")


# --- the loader's errors -----------------------------------------------------------------------------------

GOOD = """\
  - id: {id}
    name: A local indicator
    sub_outcome: "6.2"
    success_measure: Something the plan says
    polarity: high_is_good
    value_type: proportion
    unit: "%"
    multiplier: 100
    decimals: 1
    frequency: annual
    publication_lag_months: 3
    source: {{source: returns, code: {id}}}
    comparator_group: null
    lead_board: Great Communities Outcome Board
"""


def entry(ident: str, outcome: str = "gc") -> str:
    """One indicator for a layer file without an outcome header (so it names its outcome)."""
    return GOOD.format(id=ident).replace("  - id:", f"  - outcome: {outcome}\n    id:", 1)


def _layer(tmp_path: Path, body: str, name: str = "local.yaml", header: str = "outcome_ref") -> Path:
    heads = {
        "outcome_ref": "indicators:\n",
        "gc": "outcome: {id: gc, number: 6, name: Great Communities, board: Great Communities Outcome Board}\n"
              "indicators:\n",
    }
    path = tmp_path / name
    path.write_text(heads[header] + body, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(CatalogueError) as raised:
        load_catalogue([path], include_env=False)
    return str(raised.value)


@pytest.mark.parametrize(("change", "words"), [
    (("polarity: high_is_good", "polarty: high_is_good"), "unknown field 'polarty'"),
    (("    unit: \"%\"\n", ""), "missing required field 'unit'"),
    (("polarity: high_is_good", "polarity: higher_is_better"), "field 'polarity': Input should be"),
    (("value_type: proportion", "value_type: percentage"), "field 'value_type': Input should be"),
    (("multiplier: 100", "multiplier: 1000"), "a proportion has multiplier 100 (a percentage) or 1"),
    (("value_type: proportion", "value_type: score"), "a score needs 'valid_range'"),
    (("sub_outcome: \"6.2\"", "sub_outcome: \"5.5\""), "field 'sub_outcome' '5.5' is not a sub-outcome of the plan"),
    (("decimals: 1", "decimals: many"), "field 'decimals'"),
])
def test_a_broken_field_names_file_indicator_and_field(tmp_path, change, words):
    path = _layer(tmp_path, entry("gc_local").replace(*change))
    message = _error(path)
    assert str(path) in message and "indicator 'gc_local'" in message and words in message


def test_line_numbers_point_at_the_indicator(tmp_path):
    body = entry("gc_one") + entry("gc_two")
    path = _layer(tmp_path, body.replace("polarity: high_is_good\n    value_type: proportion\n    unit: \"%\"\n"
                                         "    multiplier: 100\n    decimals: 1\n    frequency: annual\n"
                                         "    publication_lag_months: 3\n    source: {source: returns, code: gc_two}",
                                         "polarity: sideways\n    value_type: proportion\n    unit: \"%\"\n"
                                         "    multiplier: 100\n    decimals: 1\n    frequency: annual\n"
                                         "    publication_lag_months: 3\n    source: {source: returns, code: gc_two}"))
    message = _error(path)
    assert f"{path}, line 17, indicator 'gc_two'" in message


def test_duplicate_ids_in_one_layer(tmp_path):
    one = entry("gc_local")
    message = _error(_layer(tmp_path, one + one.replace("code: gc_local", "code: other")))
    assert "indicator 'gc_local': field 'id': duplicate id" in message


def test_two_indicators_selecting_the_same_values(tmp_path):
    first = entry("gc_local")
    second = first.replace("id: gc_local", "id: gc_copy")
    message = _error(_layer(tmp_path, first + second))
    assert "indicator 'gc_copy'" in message and "field 'source' selects the same values of source 'returns'" in message
    assert "as indicator 'gc_local'" in message


def test_the_same_values_selected_with_different_case_is_still_a_clash(tmp_path):
    body = entry("gc_local").replace(
        "{source: returns, code: gc_local}", "{source: fingertips_csv, code: \"90284\"}")
    message = _error(_layer(tmp_path, body))
    assert "selects the same values of source 'fingertips_csv'" in message
    assert "sw_child_injury_admissions" in message


def test_another_indicators_source_of_record_cannot_be_other_sources(tmp_path):
    body = entry("gc_local") + (
        "    other_sources:\n      - {source: fingertips_csv, code: \"90284\"}\n")
    message = _error(_layer(tmp_path, body))
    assert "field 'other_sources.0' (fingertips_csv code=90284) is the source of record of indicator " \
           "'sw_child_injury_admissions'" in message


def test_target_and_break_periods_must_parse(tmp_path):
    body = entry("gc_local") + (
        "    target:\n      kind: trajectory\n      direction: at_least\n      description: up\n"
        "      baseline: {period: \"2020/21\", value: 10}\n      milestones:\n"
        "        - {period: \"2025/27\", value: 20}\n")
    message = _error(_layer(tmp_path, body))
    assert "field 'target.milestones.0.period'" in message and "'2025/27'" in message


def test_a_zero_target_needs_an_absolute_tolerance(tmp_path):
    body = entry("gc_local") + (
        "    target: {kind: value, direction: at_most, description: none at all, value: 0}\n")
    assert "a target of 0 needs an absolute tolerance" in _error(_layer(tmp_path, body))


def test_unknown_outcome_and_bad_yaml(tmp_path):
    body = entry("zz_local", outcome="zz")
    assert "field 'outcome' names unknown outcome 'zz'" in _error(_layer(tmp_path, body))
    broken = tmp_path / "broken.yaml"
    broken.write_text("indicators:\n  - id: [unclosed\n", encoding="utf-8")
    assert f"{broken}: not valid YAML" in _error(broken)


def test_an_indicator_of_another_outcome_in_an_outcome_file(tmp_path):
    body = GOOD.format(id="gc_local").replace("    name:", "    outcome: io\n    name:", 1)
    message = _error(_layer(tmp_path, body, header="gc"))
    assert "field 'outcome' is 'io' but the file is outcome 'gc'" in message


# --- layering ---------------------------------------------------------------------------------------------

def test_a_layer_adds_and_overrides_indicators(tmp_path, catalogue):
    override = entry("gc_unpaid_help").replace("A local indicator", "Volunteering (local definition)")
    layer = _layer(tmp_path, entry("gc_local_parks")
                   + override)
    layered = load_catalogue([layer], include_env=False)
    assert len(layered) == len(catalogue) + 1
    assert layered.get("gc_unpaid_help").name == "Volunteering (local definition)"
    assert layered.get("gc_local_parks").outcome == "gc"
    assert catalogue.get("gc_unpaid_help").name != "Volunteering (local definition)"  # the packaged one is intact


def test_a_folder_layer_from_the_environment(tmp_path, monkeypatch):
    folder = tmp_path / "council"
    folder.mkdir()
    _layer(folder, GOOD.format(id="gc_local_a"), name="a.yaml", header="gc")
    _layer(folder, entry("gc_local_b"), name="b.yaml")
    (folder / "_draft.yaml").write_text("not: [valid", encoding="utf-8")  # files starting with _ are ignored
    monkeypatch.setenv(CATALOGUE_ENV, str(folder))
    layered = load_catalogue()
    assert {"gc_local_a", "gc_local_b"} <= set(layered.indicators)
    assert "gc_local_a" not in load_catalogue(include_env=False).indicators


def test_a_missing_layer_is_an_error(tmp_path):
    with pytest.raises(CatalogueError, match="catalogue layer not found"):
        load_catalogue([tmp_path / "nowhere.yaml"], include_env=False)
