"""The area register and comparator groups: validity dates, names, nearest neighbours, and the real codes."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

from indicators.areas import (
    ENGLAND,
    NEAREST_NEIGHBOURS_GROUP,
    REFERENCE_DIR,
    UPPER_TIER_TYPES,
    AreaRegister,
    load_nearest_neighbours,
    loose_name_key,
)
from indicators.settings import Settings, load_comparator_groups, load_settings
from tests.conftest import PROJECT_ROOT

NORTHAMPTONSHIRE = "E10000021"


@pytest.mark.parametrize(("year_end", "count"), [
    (date(2019, 3, 31), 27), (date(2020, 3, 31), 26), (date(2021, 3, 31), 25), (date(2022, 3, 31), 24),
    (date(2023, 3, 31), 24), (date(2024, 3, 31), 21), (date(2026, 3, 31), 21),
])
def test_county_councils_by_period(groups, year_end, count):
    """METHODS.md section 8: 27 up to 2018/19, 26 in 2019/20, 25 in 2020/21, 24 to 2022/23, 21 from 2023/24."""
    assert len(groups.members("county_councils", year_end)) == count


def test_abolished_counties_and_their_successors(groups, areas):
    assert NORTHAMPTONSHIRE in groups.members("county_councils", date(2021, 3, 31))
    assert NORTHAMPTONSHIRE not in groups.members("county_councils", date(2022, 3, 31))
    assert areas.get(NORTHAMPTONSHIRE).successors == ("E06000061", "E06000062")
    assert areas.get("E06000061").valid_from == date(2021, 4, 1)
    for county, last_day, successors in [("E10000009", date(2019, 3, 31), {"E06000058", "E06000059"}),
                                         ("E10000002", date(2020, 3, 31), {"E06000060"}),
                                         ("E10000006", date(2023, 3, 31), {"E06000063", "E06000064"}),
                                         ("E10000023", date(2023, 3, 31), {"E06000065"}),
                                         ("E10000027", date(2023, 3, 31), {"E06000066"})]:
        area = areas.get(county)
        assert (area.type, area.valid_to, set(area.successors)) == ("county", last_day, successors)
        assert all(areas.get(s).valid_from == date(last_day.year, 4, 1) for s in successors)


def test_never_a_predecessor_and_its_successor_in_one_period(groups, areas):
    for group in ("county_councils", "all_upper_tier", "region_E12000004"):
        for year in range(2015, 2027):
            members = set(groups.members(group, date(year, 3, 31)))
            for code in members:
                assert not set(areas.get(code).successors) & members, (group, year, code)


def test_register_content(areas):
    kinds = {}
    for area in areas:
        kinds[area.type] = kinds.get(area.type, 0) + 1
    assert kinds["county"] == 27 and kinds["region"] == 9 and kinds["country"] == 1
    assert len(areas.upper_tier(date(2024, 3, 31))) == 153
    assert areas.get(ENGLAND).name == "England"
    assert all(a.region_code for a in areas if a.type in UPPER_TIER_TYPES)
    leicester = areas.get("AGG-LEICS")
    assert leicester.type == "aggregate" and leicester.components == ("E06000016", "E10000018")
    assert areas.by_mysociety_code("lec") == "E10000018"


def test_groups_follow_the_register(groups, areas):
    """Each membership lies within its area's validity (group rows are written from the register)."""
    for m in groups.memberships:
        area = areas.get(m.area_code)
        assert area is not None, m
        assert (m.valid_from, m.valid_to) == (area.valid_from, area.valid_to), m
    assert len(groups.members("region_E12000004", date(2024, 3, 31))) == 10  # East Midlands upper tier


@pytest.mark.parametrize(("name", "on", "code"), [
    ("Leicestershire County Council", None, "E10000018"),
    ("LEICESTERSHIRE", None, "E10000018"),
    ("Leicestershire", None, "E10000018"),
    ("Leicester City Council", None, "E06000016"),
    ("Brighton & Hove Council", None, "E06000043"),
    ("Kingston-upon-Hull City Council", None, "E06000010"),
    ("Kingston upon Hull, City of", None, "E06000010"),
    ("Herefordshire, County of", None, "E06000019"),
    ("St. Helens", None, "E08000013"),
    ("Bradford City MDC (MBC)", None, "E08000032"),
    ("Royal Borough of Kingston upon Thames", None, "E09000021"),
    ("City of London", None, "E09000001"),
    ("Dorset", date(2018, 3, 31), "E10000009"),
    ("Dorset", date(2020, 3, 31), "E06000059"),
    ("Buckinghamshire County Council", None, "E10000002"),
    ("Buckinghamshire Council", date(2021, 3, 31), "E06000060"),
    ("Barnsley MBC", date(2020, 3, 31), "E08000016"),
])
def test_names_match_tolerantly(areas, name, on, code):
    assert areas.match_name(name, on).code == code


def test_ambiguous_and_unknown_names(areas):
    dorset = areas.match_name("Dorset")
    assert dorset.code is None and dorset.ambiguous and set(dorset.candidates) == {"E10000009", "E06000059"}
    barnsley = areas.match_name("Barnsley MBC")
    assert barnsley.ambiguous and set(barnsley.candidates) == {"E08000016", "E08000038"}
    partnership = areas.match_name("Somerset Waste Partnership")
    assert partnership.code is None and not partnership.ambiguous
    assert loose_name_key("Leicestershire County Council") == loose_name_key("leicestershire") == "leicestershire"


def test_every_area_code_in_the_real_files_is_known(real_data, areas):
    """Codes the pipeline should know (England, regions, upper-tier councils) are all in the register."""
    columns = {"Area Code", "area_code", "areacd", "Local authority code", "new_la_code", "region_code",
               "country_code", "gss-code", "GeoCode"}
    should_know = ("E92", "E12", "E10", "E06", "E08", "E09")
    seen: set[str] = set()
    for path in real_data.rglob("*.csv"):
        if "lookup" in path.name:
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                seen |= {row[c].strip() for c in columns & row.keys() if row[c]}
    relevant = {c for c in seen if c.startswith(should_know)}
    assert len(relevant) > 170
    assert sorted(c for c in relevant if c not in areas) == []
    assert {"E10000021", "E06000048", "E08000020", "E08000038"} <= relevant  # old and new codes both appear


def test_regions_agree_with_dfe(real_data, areas):
    """The register's region of each council is the one DfE gives it."""
    checked = 0
    for path in (real_data / "dfe_neet").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["new_la_code"] in areas:
                    assert areas.get(row["new_la_code"]).region_code == row["region_code"], row["new_la_code"]
                    checked += 1
    assert checked > 500


def test_oflog_nearest_neighbours_by_period(real_data, areas, groups):
    path = real_data / "oflog" / "oflog_nearest_neighbours_NN.json"
    members = load_nearest_neighbours(path, "E10000018", areas)
    listed = json.loads(path.read_text())["E10000018"]
    assert {m.area_code for m in members} == set(listed) and "E10000018" in listed
    both = groups.with_memberships(members)
    assert both.group_name(NEAREST_NEIGHBOURS_GROUP).startswith("Nearest neighbours of Leicestershire")
    # North Yorkshire and Somerset county councils are in the list but were abolished on 1 April 2023
    assert len(both.members(NEAREST_NEIGHBOURS_GROUP, date(2023, 3, 31))) == 16
    assert len(both.members(NEAREST_NEIGHBOURS_GROUP, date(2024, 3, 31))) == 14
    assert "E10000023" not in both.members(NEAREST_NEIGHBOURS_GROUP, date(2024, 3, 31))


def test_nearest_neighbours_errors(tmp_path, areas):
    path = tmp_path / "nn.json"
    path.write_text(json.dumps({"E10000018": ["E10000018", "E07000129"]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"names areas the register does not know: \['E07000129'\]"):
        load_nearest_neighbours(path, "E10000018", areas)
    with pytest.raises(ValueError, match="no nearest-neighbour list for E10000031"):
        load_nearest_neighbours(path, "E10000031", areas)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the nearest-neighbours file"):
        load_nearest_neighbours(path, "E10000018", areas)


def test_settings_name_the_home_area_and_a_neighbours_file(tmp_path, areas):
    neighbours = tmp_path / "ref" / "nn.json"
    neighbours.parent.mkdir()
    neighbours.write_text(json.dumps({"E10000031": ["E10000031", "E10000034", "E10000028", "E10000024"]}))
    settings_file = tmp_path / "outcomes.toml"
    settings_file.write_text('home_area = "E10000031"\nhome_area_name = "Warwickshire"\n'
                             'nearest_neighbours_file = "ref/nn.json"\n', encoding="utf-8")
    settings = load_settings(settings_file)
    assert settings.home_area == "E10000031" and Path(settings.nearest_neighbours_file) == neighbours.resolve()
    groups = load_comparator_groups(settings, areas)
    assert groups.members(NEAREST_NEIGHBOURS_GROUP, date(2024, 3, 31)) == [
        "E10000024", "E10000028", "E10000031", "E10000034"]
    assert NEAREST_NEIGHBOURS_GROUP not in load_comparator_groups(Settings(), areas).group_ids()
    settings_file.write_text('home_area = "E10000031"\nhome_areas = "typo"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown settings"):
        load_settings(settings_file)
    settings_file.write_text('home_area = "E10000031"\nhome_area_name = 2022\n', encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape('outcomes.toml: home_area_name must be text in quotes, e.g. '
                                                   'home_area_name = "2022"')):
        load_settings(settings_file)


def test_a_bad_area_type_in_the_register_is_an_error(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("area_code,area_name,area_type,valid_from,valid_to\nE07000129,Blaby,district,,\n")
    with pytest.raises(ValueError, match="line 2: area type 'district' is not one of"):
        AreaRegister.load(path)


def test_the_register_is_what_the_tool_writes_from_the_published_codes(real_data):
    """indicators/reference/*.csv are reproducible from the mySociety lookup by tools/make_areas.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_areas", PROJECT_ROOT / "tools" / "make_areas.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    areas_rows, group_rows = tool.build(real_data / "mysociety_emissions" / "uk_local_authorities_current_lookup.csv")
    with (REFERENCE_DIR / "areas.csv").open(encoding="utf-8", newline="") as fh:
        committed = list(csv.DictReader(fh))
    assert [{k: r.get(k, "") for k in tool.HEADER} for r in areas_rows] == committed
    with (REFERENCE_DIR / "comparator_groups.csv").open(encoding="utf-8", newline="") as fh:
        assert group_rows == list(csv.DictReader(fh))
