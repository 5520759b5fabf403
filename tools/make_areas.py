"""Write indicators/reference/areas.csv and comparator_groups.csv from the published codes (run once).

Why a script: the area register is project data, but it should be traceable to the published codes rather
than typed by hand. The source is mySociety's local-authority lookup (uk_local_authority_names_and_codes,
CC-BY-4.0), which records each English upper-tier council's GSS code, names, region, start and end dates and
successors. Run it again only when the register needs rebuilding (e.g. after a reorganisation):

    python tools/make_areas.py ../shared/data/real/mysociety_emissions/uk_local_authorities_current_lookup.csv

Decisions taken here (the lookup is silent or inconsistent on them):
- an abolition on 1 April is recorded as ``valid_to`` 31 March (the lookup writes both forms);
- ``valid_from`` is kept only for councils created since 2009 (earlier start dates in the lookup are the
  date the lookup began, not the council's creation);
- code changes from boundary changes, absent from the lookup, are added below with their dates:
  Gateshead E08000020 -> E08000037 and Northumberland E06000048 -> E06000057 on 1 April 2013 (ONS LAD13);
  Barnsley E08000016 -> E08000038 and Sheffield E08000019 -> E08000039 on 1 April 2024 (the date is our
  reading of the ONS code history; publishers such as ONS Explore Local Statistics restate history on the
  new codes, and the pipeline follows the codes each source uses);
- the abolished councils without a region in the lookup take their successor's region;
- Dorset County Council's area went to two unitaries in 2019 (Christchurch, one of its districts, joined
  Bournemouth, Christchurch and Poole): the lookup names only Dorset Council as its successor;
- the lookup places Derbyshire in the West Midlands and Lincolnshire in Yorkshire and The Humber: ONS (and
  the region columns of the DfE and Oflog files) place both in the East Midlands, corrected below.
"""

from __future__ import annotations

import csv
import sys
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "indicators" / "reference"

TYPES = {"CTY": "county", "UA": "unitary", "MD": "metropolitan_district", "LBO": "london_borough",
         "CC": "london_borough"}  # City of London: a sui generis corporation coded with the London boroughs
REGIONS = {
    "E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
    "E12000007": "London", "E12000008": "South East", "E12000009": "South West",
}
REGION_BY_NAME = {name: code for code, name in REGIONS.items()}
CODE_CHANGES = [  # old code, new code, first day of the new code
    ("E08000020", "E08000037", date(2013, 4, 1)),
    ("E06000048", "E06000057", date(2013, 4, 1)),
    ("E08000016", "E08000038", date(2024, 4, 1)),
    ("E08000019", "E08000039", date(2024, 4, 1)),
]
SUCCESSOR_ADDITIONS = {"E10000009": ["E06000058"]}
REGION_CORRECTIONS = {"E10000007": "E12000004", "E10000019": "E12000004"}
AGGREGATES = [("AGG-LEICS", "Leicester and Leicestershire", ("E06000016", "E10000018"), "E12000004")]
HEADER = ["area_code", "area_name", "area_type", "valid_from", "valid_to", "successors", "components",
          "region_code", "mysociety_code", "alt_names"]


def _end(text: str) -> str:
    if not text:
        return ""
    day = date.fromisoformat(text)
    return (day - timedelta(days=1)).isoformat() if (day.month, day.day) == (4, 1) else day.isoformat()


def _names(row: dict) -> str:
    seen: dict[str, str] = {}
    for name in [row["official-name"], row["nice-name"], *row["alt-names"].split(",")]:
        name = name.strip()
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return ";".join(seen.values())


def build(lookup: Path) -> tuple[list[dict], list[dict]]:
    with lookup.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["nation"] == "England" and r["local-authority-type"] in TYPES]
    by_la = {r["local-authority-code"]: r for r in rows}
    areas = [{"area_code": "E92000001", "area_name": "England", "area_type": "country"}]
    areas += [{"area_code": c, "area_name": n, "area_type": "region"} for c, n in REGIONS.items()]
    for r in sorted(rows, key=lambda r: r["gss-code"]):
        start = r["start-date"] if r["start-date"] >= "2009-04-01" else ""
        successors = [by_la[s]["gss-code"] for s in r["replaced-by"].split(",") if s in by_la]
        successors = sorted({*successors, *SUCCESSOR_ADDITIONS.get(r["gss-code"], [])})
        region = REGION_CORRECTIONS.get(r["gss-code"]) or REGION_BY_NAME.get(r["region"], "")
        if not region and successors:
            region = REGION_BY_NAME[by_la[next(s for s in r["replaced-by"].split(",") if s in by_la)]["region"]]
        areas.append({
            "area_code": r["gss-code"], "area_name": r["nice-name"].removesuffix(" County").removesuffix(" Council"),
            "area_type": TYPES[r["local-authority-type"]], "valid_from": start, "valid_to": _end(r["end-date"]),
            "successors": ";".join(successors), "region_code": region,
            "mysociety_code": r["local-authority-code"], "alt_names": _names(r),
        })
    by_code = {a["area_code"]: a for a in areas}
    for old, new, first_day in CODE_CHANGES:
        last_day = (first_day - timedelta(days=1)).isoformat()
        if new not in by_code:  # the lookup still lists the council under its old code
            by_code[new] = {**by_code[old], "area_code": new, "mysociety_code": by_code[old]["mysociety_code"]}
            areas.append(by_code[new])
            by_code[old]["mysociety_code"] = ""
        if old not in by_code:  # the lookup lists the council under its new code only
            by_code[old] = {**by_code[new], "area_code": old, "mysociety_code": ""}
            areas.append(by_code[old])
        by_code[old].update(valid_to=last_day, successors=new)
        by_code[new]["valid_from"] = first_day.isoformat()
    for code, name, components, region in AGGREGATES:
        areas.append({"area_code": code, "area_name": name, "area_type": "aggregate",
                      "components": ";".join(components), "region_code": region})
    groups = []
    upper = [a for a in areas if a["area_type"] in {"county", "unitary", "metropolitan_district", "london_borough"}]
    for a in sorted(upper, key=lambda a: a["area_code"]):
        member = {"area_code": a["area_code"], "valid_from": a.get("valid_from", ""), "valid_to": a.get("valid_to", "")}
        if a["area_type"] == "county":
            groups.append({"group_id": "county_councils", "group_name": "County councils", **member})
        groups.append({"group_id": "all_upper_tier", "group_name": "All upper-tier authorities", **member})
        region = a["region_code"]
        groups.append({"group_id": f"region_{region}", "group_name": f"Upper-tier authorities in {REGIONS[region]}",
                       **member})
    groups.sort(key=lambda g: (g["group_id"], g["area_code"]))
    return areas, groups


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    areas, groups = build(Path(argv[0]))
    with (OUT / "areas.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, HEADER, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(areas)
    with (OUT / "comparator_groups.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["group_id", "group_name", "area_code", "valid_from", "valid_to"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(groups)
    print(f"wrote {len(areas)} areas and {len(groups)} group memberships to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
