"""One SAMPLE DATA writer per source format: each lays sample values out as that publisher does.

Each writer takes the sample values of the indicators whose source of record it is and writes files the
matching adapter reads, including what real files hold besides the wanted rows: areas outside the
register (a district, Inner London, a waste partnership, the UK total), suppressed cells with the
publisher's marker, and columns the catalogue does not use. Those must be skipped, never rejected, so
``make run`` on the sample exits 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.areas import ENGLAND, AreaRegister
from indicators.periods import Period, PeriodType
from indicators.settings import Settings
from sources.adapters.eyfsp_sdg import ALL_GOALS
from sources.adapters.fingertips_csv import FINGERTIPS_HEADER
from sources.adapters.returns_template import SHEET as RETURNS_SHEET
from sources.adapters.returns_template import TEMPLATE_COLUMNS
from sources.sample import SAMPLE_PREFIX, SUPPRESSION_NOTE, SampleSeries
from sources.writing import save_workbook, write_csv

DISTRICT = ("E07000129", "Blaby")  # a Leicestershire district: outside the register, must be skipped
DISTRICT_MYSOCIETY = "BLA"
SAMPLE_NOTE = "SAMPLE DATA"


@dataclass(frozen=True)
class SampleContext:
    directory: Path
    areas: AreaRegister
    settings: Settings
    seed: int

    def path(self, name: str) -> Path:
        return self.directory / f"{SAMPLE_PREFIX}{name}"


def fmt(value: float | None, places: int = 6) -> str:
    """A number as a publisher writes it: no trailing zeros, "" for no value."""
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _group(rows: Iterable[SampleSeries], key: Callable[[SampleSeries], object]) -> dict:
    out: dict = defaultdict(list)
    for r in rows:
        out[key(r)].append(r)
    return dict(sorted(out.items(), key=lambda kv: str(kv[0])))


def _district_copies(rows: list[SampleSeries], home: str) -> list[SampleSeries]:
    """The home area's rows again for a district inside it, as national files list districts too."""
    return [SampleSeries(r.indicator, DISTRICT[0], r.period, r.sex, r.age,
                         None if r.value is None else r.value * 1.05, None, None, None, None, None, None, r.note)
            for r in rows if r.area_code == home]


def iso_period(period: Period) -> str:
    """A period as ONS Explore Local Statistics writes it (ISO 8601 interval, or a date)."""
    start = period.start.isoformat()
    match period.type:
        case PeriodType.DATE:
            return start
        case PeriodType.MULTI_YEAR:
            return f"{start}/P{period.years}Y"
        case PeriodType.QUARTER:
            return f"{start}/P3M"
        case PeriodType.MONTH:
            return f"{start}/P1M"
        case _:
            return f"{start}/P1Y"


def fingertips_period(period: Period) -> str:
    if period.type is PeriodType.MULTI_YEAR:
        return f"{period.start.year} - {period.end.year % 100:02d}"
    return period.label


# --- Fingertips CSV export --------------------------------------------------------------------------------

def _fingertips_area_type(areas: AreaRegister, code: str) -> str:
    area = areas.get(code)
    if area is None:
        return "Districts & UAs (from Apr 2023)"
    return {"country": "England", "region": "Region"}.get(area.type, "Counties & UAs (from Apr 2023)")


def write_fingertips_csv(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    written = []
    for code, group in _group(rows, lambda r: r.indicator.source.code).items():
        group = group + _district_copies(group, ctx.settings.home_area)
        body = []
        for r in group:
            count = "" if r.count is None else f"{int(r.count):,}"
            body.append([
                code, f"{r.indicator.name} (SAMPLE DATA)", "E92000001", "England", r.area_code,
                ctx.areas.name(r.area_code) if r.area_code != DISTRICT[0] else DISTRICT[1],
                _fingertips_area_type(ctx.areas, r.area_code), r.sex, r.age, "", "",
                fingertips_period(r.period), fmt(r.value), fmt(r.lower), fmt(r.upper), fmt(r.lower998),
                fmt(r.upper998), count, fmt(r.denominator, 0),
                f'<span class="tooltipValueNote">{r.note}</span>' if r.note else "", "", "", "",
                f"{r.period.start.year}0000", "", "", f"{max(r.period.years, 1)}y",
            ])
        written.append(write_csv(ctx.path(f"fingertips_{code}.csv"), FINGERTIPS_HEADER, body))
    return written


# --- fingertipsR tidy extracts ----------------------------------------------------------------------------

def write_fingertips_tidy(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    written = []
    for n, (name, group) in enumerate(_group(rows, lambda r: r.indicator.source.indicator_name).items(), 1):
        by_sex = any(r.sex != "Persons" for r in group)
        header = ["area_code", "area_name", "period", "value", "indicator", "measure", "unit",
                  *(["group"] if by_sex else []), "significance"]
        body = []
        for r in group:
            value = "NA" if r.value is None else fmt(r.value, r.indicator.decimals + 1)
            unit = r.indicator.unit if by_sex else r.sex
            body.append([r.area_code, ctx.areas.name(r.area_code), r.period.label, value, name,
                         r.indicator.unit, unit, *([r.sex] if by_sex else []), "Not compared"])
        # a combined authority, as the extracts list them: outside the register
        body.append(["E47000004", "Liverpool City Region", group[0].period.label, "1", name, "", "Persons",
                     *(["Persons"] if by_sex else []), "Not compared"])
        written.append(write_csv(ctx.path(f"fingertips_tidy_{n:02d}.csv"), header, body))
    return written


# --- ONS Explore Local Statistics ------------------------------------------------------------------------

def _els_geography(areas: AreaRegister, code: str) -> str:
    area = areas.get(code)
    if area is None:
        return "Local Authority District"
    return {"country": "Nation", "region": "Region"}.get(area.type, "County or Unitary Authority")


def write_ons_els(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    header = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
              "lci_95", "uci_95", "status", "notes"]
    extra = _district_copies(rows, ctx.settings.home_area)
    extra += [SampleSeries(r.indicator, "K02000001", r.period, r.sex, r.age, r.value, None, None, None, None,
                           None, None, "") for r in rows if r.area_code == ENGLAND]  # the UK total
    body = []
    for r in rows + extra:
        sel = r.indicator.source
        name = sel.indicator_name or r.indicator.name
        if r.sex in ("Male", "Female"):  # ELS names the sex in the indicator
            name = f"{r.sex} {name[0].lower()}{name[1:]}"
        area_name = {DISTRICT[0]: DISTRICT[1], "K02000001": "United Kingdom"}.get(r.area_code) or ctx.areas.name(
            r.area_code)
        body.append([r.area_code, area_name, _els_geography(ctx.areas, r.area_code), name, iso_period(r.period),
                     "" if r.value is None else fmt(r.value), sel.measure or "Mean", r.indicator.unit,
                     fmt(r.lower), fmt(r.upper), "x" if r.value is None else "", SAMPLE_NOTE])
    return [write_csv(ctx.path("ons_explore_local_statistics.csv"), header, body)]


# --- DfE NEET ---------------------------------------------------------------------------------------------

def write_dfe_neet(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    columns = sorted({r.indicator.source.column for r in rows})
    header = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name",
              "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "Age", "Cohort_DJFavg",
              *columns]
    written = []
    for year, group in _group(rows, lambda r: r.period.start.year).items():
        cells = _group(group, lambda r: r.area_code)
        body = []
        for code, values in cells.items():
            by_column = {r.indicator.source.column: r for r in values}
            area = ctx.areas.get(code)
            national = code == ENGLAND
            region = "" if national else area.region_code
            cohort = next((r.denominator for r in values if r.denominator), None)
            body.append([year, "Calendar year", "National" if national else "Local authority", ENGLAND, "England",
                         region, ctx.areas.name(region) if region else "", "", "" if national else code,
                         "" if national else area.name, "16-17", fmt(cohort, 0),
                         *(("c" if by_column[c].value is None else fmt(by_column[c].value, 1)) if c in by_column
                           else "" for c in columns)])
        written.append(write_csv(ctx.path(f"dfe_neet_{year}.csv"), header, body))
    return written


# --- Oflog adult social care ------------------------------------------------------------------------------

def write_oflog_asc(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    header = ["Financial year", "Local authority code", "Local authority name", "Grouping", "Entity_Name",
              "Region", "Measure", "Code", "Value", "MEDIAN", "MADs_from_median", "rank_order"]
    body = []
    for r in rows:
        if r.area_code == ENGLAND:
            continue  # Oflog publishes councils only
        area = ctx.areas.get(r.area_code)
        year = f"{r.period.start.year}-{(r.period.start.year + 1) % 100:02d}"
        body.append([year, r.area_code, area.name, "LA_Raw", "Counties" if area.type == "county" else
                     "Unitary Authorities", ctx.areas.name(area.region_code), f"Outcome, {r.indicator.name}",
                     r.indicator.source.code, fmt(r.value), "", "", "desc"])
    return [write_csv(ctx.path("oflog_asc.csv"), header, body)]


# --- DESNZ emissions (mySociety) --------------------------------------------------------------------------

def write_desnz_emissions(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    assert ctx.areas.by_mysociety_code(DISTRICT_MYSOCIETY) is None, "the sample district must be outside the register"
    columns = sorted({r.indicator.source.column for r in rows})
    header = ["Year", "local-authority-code", "official-name", *columns, "Population:000s"]
    body = []
    for (year, code), values in _group(rows, lambda r: (r.period.start.year, r.area_code)).items():
        area = ctx.areas.get(code)
        if area is None or not area.mysociety_code:
            continue  # mySociety's package has councils only, keyed by its own codes
        by_column = {r.indicator.source.column: r for r in values}
        cells = [fmt(by_column[c].value) if c in by_column else "" for c in columns]
        body.append([year, area.mysociety_code, area.alt_names[0] if area.alt_names else area.name, *cells, "650.5"])
        if code == ctx.settings.home_area:
            body.append([year, DISTRICT_MYSOCIETY, "Blaby District Council", *cells, "101.2"])
    return [write_csv(ctx.path("desnz_emissions.csv"), header, body)]


# --- DEFRA waste (SDG 11.6.1) -----------------------------------------------------------------------------

def write_defra_waste(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    header = ["Year", "Series", "Disposal method", "Region", "Waste collection authority", "Units",
              "Observation status", "GeoCode", "Value"]
    series = "Proportion of disposed waste from total collected waste"
    body = []
    for r in rows:
        area = ctx.areas.get(r.area_code)
        authority = "" if r.area_code == ENGLAND else (area.alt_names[0] if area.alt_names else area.name)
        region = "" if r.area_code == ENGLAND else area.region_code
        body.append([r.period.label, series, r.indicator.source.measure, ctx.areas.name(region) if region else "",
                     authority, "Percentage (%)", "Normal value", region, fmt(r.value)])
        if r.area_code == ctx.settings.home_area:  # a waste partnership: named, but not a council
            body.append([r.period.label, series, r.indicator.source.measure, ctx.areas.name(region),
                         "Blaby and Hinckley Waste Partnership", "Percentage (%)", "Normal value", region,
                         fmt(r.value)])
    return [write_csv(ctx.path("defra_waste_11-6-1.csv"), header, body)]


# --- EYFSP (SDG 4.2.1) ------------------------------------------------------------------------------------

def write_eyfsp_sdg(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    header = ["Year", "Series", "Region", "Local authority", "Gender", "Ethnicity", "Free school meals",
              "Learning category", "Learning sub-category (higher)", "Observation status", "Unit multiplier",
              "Unit measure", "GeoCode", "Value"]
    body = []
    for r in rows:
        series = ("EYFSP pre-reform (2012/13-2020/21)" if r.period.start.year < 2021
                  else "EYFSP post-reform (2021/22 onwards)")
        area = ctx.areas.get(r.area_code)
        measure = r.indicator.source.measure
        category = "" if measure == ALL_GOALS else measure
        if r.area_code == ENGLAND:
            where = ["", "", ""]
        else:  # the SDG file leaves county councils without a code: they are found by name
            code = "" if area.type == "county" else r.area_code
            where = [ctx.areas.name(area.region_code), area.name, code]
        body.append([r.period.label, series, where[0], where[1], "", "", "", category, "", "Normal value", "Units",
                     "Percentage (%)", where[2], fmt(r.value, 1)])
        if r.area_code == ENGLAND:  # Inner London: a statistical area outside the register
            body.append([r.period.label, series, "Inner London", "", "", "", "", category, "", "Normal value",
                         "Units", "Percentage (%)", "E13000001", fmt(r.value, 1)])
    return [write_csv(ctx.path("eyfsp_4-2-1.csv"), header, body)]


# --- the council's returns template -----------------------------------------------------------------------

def _commentary(rows: list[SampleSeries], home: str) -> dict[tuple[str, str], str]:
    """Officer commentary on each returns indicator's latest home-area value (sample text)."""
    latest: dict[str, SampleSeries] = {}
    for r in rows:
        current = latest.get(r.indicator.id)
        if r.area_code == home and (current is None or r.period.start > current.period.start):
            latest[r.indicator.id] = r
    return {(i, r.period.label): f"SAMPLE commentary: {r.indicator.name} for {r.period.label}; "
            "officers will confirm the figure at the Outcome Board." for i, r in latest.items()}


def _returns_row(r: SampleSeries, ctx: SampleContext, commentary: dict[tuple[str, str], str]) -> list[object]:
    value: object = "[c]" if r.value is None else round(r.value, r.indicator.decimals + 2)
    return [r.indicator.id, r.area_code, ctx.areas.name(r.area_code), r.period.label, r.sex, r.age, value,
            r.count, r.denominator, None if r.lower is None else round(r.lower, 4),
            None if r.upper is None else round(r.upper, 4), r.note,
            commentary.get((r.indicator.id, r.period.label), "")]


def write_returns(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    """Annual returns as the XLSX template, quarterly returns as its CSV form: both are used."""
    commentary = _commentary(rows, ctx.settings.home_area)
    quarterly = [r for r in rows if r.period.type is PeriodType.QUARTER]
    annual = [r for r in rows if r.period.type is not PeriodType.QUARTER]
    written = []
    if annual:
        workbook = Workbook()
        guide = workbook.active
        guide.title = "Guidance"
        guide["A1"] = "SAMPLE DATA - generated by `outcomes sample`; not real council figures."
        guide["A1"].font = Font(bold=True, color="C00000")
        guide["A3"] = "One row per indicator, area and period on the 'Returns' sheet (see RETURNS_TEMPLATE.md)."
        sheet = workbook.create_sheet(RETURNS_SHEET)
        sheet.append(TEMPLATE_COLUMNS)
        for r in annual:
            sheet.append(_returns_row(r, ctx, commentary))
        written.append(save_workbook(workbook, ctx.path("returns_annual.xlsx")))
    if quarterly:
        body = [[fmt(c) if isinstance(c, float) else ("" if c is None else c) for c in _returns_row(r, ctx, commentary)]
                for r in quarterly]
        written.append(write_csv(ctx.path("returns_quarterly.csv"), TEMPLATE_COLUMNS, body))
    return written


# --- "years across columns" tables -------------------------------------------------------------------------

ROW_LAYOUT_PREFIX = "ASCOF_"  # these share one sheet with an Indicator column (one indicator per row)


def _wide_rows(group: list[SampleSeries], ctx: SampleContext, with_indicator: bool) -> tuple[list[str], list[list]]:
    periods = sorted({r.period for r in group})
    ages = sorted({r.age for r in group})
    with_age = with_indicator or ages != ["All ages"]
    header = [*(["Indicator"] if with_indicator else []), "Area code", "Area name", *(["Age"] if with_age else []),
              *(p.label for p in periods)]
    body = []
    for (code, area, age), values in _group(group, lambda r: (r.indicator.source.code, r.area_code, r.age)).items():
        by_period = {r.period: r for r in values}
        cells = [("[c]" if by_period[p].value is None else by_period[p].value) if p in by_period else None
                 for p in periods]
        prefix = [code] if with_indicator else []
        age_cell = [age] if with_age else []
        body.append([*prefix, area, ctx.areas.name(area), *age_cell, *cells])
        if area == ctx.settings.home_area and age == ages[-1]:
            body.append([*prefix, DISTRICT[0], DISTRICT[1], *age_cell, *cells])
    return header, body


def write_wide_years(rows: list[SampleSeries], ctx: SampleContext) -> list[Path]:
    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    contents["A1"] = "SAMPLE DATA - published tables laid out with years across columns (generated)."
    contents["A1"].font = Font(bold=True, color="C00000")
    in_shared = [r.indicator.source.code.startswith(ROW_LAYOUT_PREFIX) for r in rows]
    shared = [r for r, s in zip(rows, in_shared, strict=True) if s]
    sheets = _group([r for r, s in zip(rows, in_shared, strict=True) if not s], lambda r: r.indicator.source.code)
    if shared:
        sheets["ASCOF"] = shared
    for n, (name, group) in enumerate(sheets.items(), start=3):
        contents.cell(row=n, column=1, value=name)
        sheet = workbook.create_sheet(name)
        sheet.append([f"SAMPLE DATA: {group[0].indicator.name}" if name != "ASCOF" else
                      "SAMPLE DATA: Adult Social Care Outcomes Framework measures"])
        sheet.append(["Source: generated by `outcomes sample`; not real figures"])
        sheet.append([])
        header, body = _wide_rows(group, ctx, with_indicator=name == "ASCOF")
        sheet.append(header)
        for row in body:
            sheet.append(row)
        sheet.append([])
        sheet.append(["[c] = suppressed to protect confidentiality; blank = not published"])
    return [save_workbook(workbook, ctx.path("published_tables.xlsx"))]


WRITERS: dict[str, Callable[[list[SampleSeries], SampleContext], list[Path]]] = {
    "fingertips_csv": write_fingertips_csv,
    "fingertips_tidy": write_fingertips_tidy,
    "ons_els": write_ons_els,
    "dfe_neet": write_dfe_neet,
    "oflog_asc": write_oflog_asc,
    "desnz_emissions": write_desnz_emissions,
    "defra_waste": write_defra_waste,
    "eyfsp_sdg": write_eyfsp_sdg,
    "returns": write_returns,
    "wide_years": write_wide_years,
}


# --- national scale (column-wise writers: millions of rows) -------------------------------------------------

def _number_sql(column: str, places: int = 6) -> str:
    """SQL formatting a number as :func:`fmt` does (no trailing zeros; "" for no value)."""
    text = f"printf('%.{places}f', {column})"
    trimmed = f"rtrim(rtrim({text}, '0'), '.')" if places else text
    return f"CASE WHEN {column} IS NULL OR isnan({column}) THEN NULL ELSE {trimmed} END"


def _national_frame(values: list, ctx: SampleContext) -> pd.DataFrame:
    """Every row of the given indicators' values as one frame (numbers stay numbers)."""
    parts = []
    for v in values:
        labels = np.array([fingertips_period(p) for p in v.period], dtype=object)
        sortable = np.array([f"{p.start.year}0000" for p in v.period], dtype=object)
        parts.append(pd.DataFrame({
            "indicator_id": v.indicator.id, "code": v.indicator.source.code,
            "name": f"{v.indicator.name}", "area_code": v.area_code, "sex": v.sex,
            "period": labels[v.period_index], "sortable": sortable[v.period_index],
            "value": v.value, "lower": v.lower, "upper": v.upper, "lower998": v.lower998, "upper998": v.upper998,
            "count": v.count, "denominator": v.denominator, "suppressed": v.suppressed,
        }))
    frame = pd.concat(parts, ignore_index=True)
    codes = pd.unique(frame["area_code"])
    frame["area_name"] = frame["area_code"].map({c: ctx.areas.name(c) for c in codes})
    frame["area_type"] = frame["area_code"].map({c: _fingertips_area_type(ctx.areas, c) for c in codes})
    return frame


def write_national_fingertips(values: list, ctx: SampleContext, name: str) -> Path:
    """A Fingertips CSV export of national indicators, laid out as :func:`write_fingertips_csv` lays the
    plan's (same header, number formats, suppression notes), written by DuckDB for speed."""
    import duckdb

    from sources.rawtable import sql_text

    frame = _national_frame(values, ctx)
    path = ctx.path(name)
    note = sql_text(f'<span class="tooltipValueNote">{SUPPRESSION_NOTE}</span>')
    with duckdb.connect() as con:
        con.register("national", frame)
        con.execute(f"""
            COPY (SELECT code, name, 'E92000001', 'England', area_code, area_name, area_type, sex, 'All ages',
                         NULL, NULL, period, {_number_sql('value')}, {_number_sql('lower')}, {_number_sql('upper')},
                         {_number_sql('lower998')}, {_number_sql('upper998')},
                         CASE WHEN count IS NULL OR isnan(count) THEN NULL ELSE format('{{:,}}', count::BIGINT) END,
                         {_number_sql('denominator', 0)},
                         CASE WHEN suppressed THEN {note} END,
                         NULL, NULL, NULL, sortable, NULL, NULL, '1y'
                  FROM national)
            TO {sql_text(str(path))} (FORMAT csv, HEADER false, QUOTE '"', NEW_LINE '\\r\\n')""")
    body = path.read_bytes()
    path.write_bytes(",".join(FINGERTIPS_HEADER).encode() + b"\r\n" + body)
    return path


def write_national_returns(values: list, ctx: SampleContext, name: str) -> Path:
    """The returns template as XLSX (write-only workbook: a row at a time, little memory)."""
    frame = _national_frame(values, ctx)
    workbook = Workbook(write_only=True)
    guide = workbook.create_sheet("Guidance")
    guide.append(["SAMPLE DATA - national-scale returns generated by `outcomes sample --rows`; not real figures."])
    sheet = workbook.create_sheet(RETURNS_SHEET)
    sheet.append(TEMPLATE_COLUMNS)
    for r in frame.itertuples(index=False):
        value: object = "[c]" if r.suppressed else r.value

        def num(x: float) -> float | None:
            return None if x != x else round(float(x), 4)

        sheet.append([r.indicator_id, r.area_code, r.area_name, r.period, r.sex, "All ages", value, num(r.count),
                      num(r.denominator), num(r.lower), num(r.upper), "", ""])
    return save_workbook(workbook, ctx.path(name))
