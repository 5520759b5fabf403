"""The period parser: every form the sources use, canonical labels, conventions, and clear errors.

Property tests (hypothesis) check that each canonical label reads back as the same period, that the
alternative spellings of a period agree with its label, that periods order chronologically and that a
period never ends before it starts. A last test reads every period string in the real files.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import (
    Convention,
    Period,
    PeriodError,
    PeriodType,
    academic_year,
    calendar_quarter,
    calendar_year,
    financial_year,
    fiscal_quarter,
    month,
    parse_fiscal_quarter,
    parse_period,
    point_date,
    pooled_years,
)
from sources.files import FileRejected
from sources.registry import detect_adapter

years = st.integers(min_value=1990, max_value=2060)
quarters = st.integers(min_value=1, max_value=4)
months = st.integers(min_value=1, max_value=12)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))

# the convention that reads each canonical label back (a pooled "2019-20" or a month "2021-10" need one)
CONVENTION = {PeriodType.ACADEMIC_YEAR: Convention.ACADEMIC, PeriodType.MULTI_YEAR: Convention.POOLED,
              PeriodType.MONTH: Convention.MONTH}


@st.composite
def periods(draw) -> Period:
    kind = draw(st.sampled_from(["fy", "ay", "cy", "pooled", "fq", "cq", "month", "date"]))
    year = draw(years)
    match kind:
        case "fy":
            return financial_year(year)
        case "ay":
            return academic_year(year)
        case "cy":
            return calendar_year(year)
        case "pooled":
            return pooled_years(year, year + draw(st.integers(min_value=1, max_value=4)))
        case "fq":
            return fiscal_quarter(year, draw(quarters))
        case "cq":
            return calendar_quarter(year, draw(quarters))
        case "month":
            return month(year, draw(months))
        case _:
            return point_date(draw(days))


@given(periods())
def test_canonical_label_round_trips(period):
    assert parse_period(period.label, CONVENTION.get(period.type)) == period


@given(periods())
def test_start_is_not_after_end(period):
    assert period.start <= period.end


@given(years, years)
def test_years_order_chronologically(a, b):
    for make in (financial_year, academic_year, calendar_year):
        assert (make(a) < make(b)) == (a < b)
        assert (parse_period(make(a).label, CONVENTION.get(make(a).type))
                <= parse_period(make(b).label, CONVENTION.get(make(b).type))) == (a <= b)


@given(years, quarters)
def test_fiscal_quarters_follow_each_other(year, quarter):
    this = fiscal_quarter(year, quarter)
    following = fiscal_quarter(year + (quarter == 4), quarter % 4 + 1)
    assert this < following
    assert following.start - timedelta(days=1) == this.end


@given(years, quarters)
def test_quarter_spellings_agree(year, quarter):
    fiscal = fiscal_quarter(year, quarter)
    split = f"{year}/{(year + 1) % 100:02d}"
    assert parse_period(f"Q{quarter} {split}") == fiscal
    assert parse_period(f"{year}-{(year + 1) % 100:02d} Q{quarter}") == fiscal
    assert parse_period(f"{fiscal.start.isoformat()}/P3M") == fiscal
    calendar_q = calendar_quarter(year, quarter)
    assert parse_period(f"Q{quarter} {year}") == calendar_q
    assert parse_period(f"{calendar_q.start.isoformat()}/P3M", Convention.CALENDAR) == calendar_q
    first, last = calendar_q.start.strftime("%b"), calendar_q.end.strftime("%b")
    assert parse_period(f"{first}-{last} {year}", Convention.CALENDAR) == calendar_q


@given(years)
def test_year_spellings_agree(year):
    fy = financial_year(year)
    assert parse_period(f"{year}-{(year + 1) % 100:02d}", Convention.FINANCIAL) == fy
    assert parse_period(f"{year}/{year + 1}") == fy
    assert parse_period(f"{year}-04-01/P1Y") == fy
    assert parse_period(f"{year}0000", Convention.FINANCIAL) == fy
    assert parse_period(f"{year}{(year + 1) % 100:02d}", Convention.ACADEMIC) == academic_year(year)
    assert parse_period(f"{year}-09-01/P1Y") == academic_year(year)
    assert parse_period(f"{year}-01-01/P1Y") == calendar_year(year)
    assert parse_period(f"{year}-01-01/P3Y") == pooled_years(year, year + 2)
    assert parse_period(f"{year} - {(year + 2) % 100:02d}") == pooled_years(year, year + 2)


@pytest.mark.parametrize(("text", "convention", "label", "start", "end", "kind"), [
    ("2021/22", None, "2021/22", date(2021, 4, 1), date(2022, 3, 31), "financial_year"),
    ("2021-22", None, "2021/22", date(2021, 4, 1), date(2022, 3, 31), "financial_year"),
    ("2021/22", Convention.ACADEMIC, "2021/22", date(2021, 9, 1), date(2022, 8, 31), "academic_year"),
    ("2021", None, "2021", date(2021, 1, 1), date(2021, 12, 31), "calendar_year"),
    ("2019 - 21", None, "2019-21", date(2019, 1, 1), date(2021, 12, 31), "multi_year"),
    ("2019-21", None, "2019-21", date(2019, 1, 1), date(2021, 12, 31), "multi_year"),
    ("2021/22 Q3", None, "2021/22 Q3", date(2021, 10, 1), date(2021, 12, 31), "quarter"),
    ("Q3 2021/22", None, "2021/22 Q3", date(2021, 10, 1), date(2021, 12, 31), "quarter"),
    ("2021 Q3", None, "2021 Q3", date(2021, 7, 1), date(2021, 9, 30), "quarter"),
    ("Oct-Dec 2021", None, "2021/22 Q3", date(2021, 10, 1), date(2021, 12, 31), "quarter"),
    ("Oct-Dec 2021", Convention.CALENDAR, "2021 Q4", date(2021, 10, 1), date(2021, 12, 31), "quarter"),
    ("2021-10", Convention.MONTH, "2021-10", date(2021, 10, 1), date(2021, 10, 31), "month"),
    ("October 2021", None, "2021-10", date(2021, 10, 1), date(2021, 10, 31), "month"),
    ("2021-10-01", None, "2021-10-01", date(2021, 10, 1), date(2021, 10, 1), "date"),
    ("2015-11-16/P1Y", None, "2015/16", date(2015, 11, 16), date(2016, 11, 15), "financial_year"),
    ("2021-04-01/P3M", None, "2021/22 Q1", date(2021, 4, 1), date(2021, 6, 30), "quarter"),
    ("2019-08-01/P1Y", None, "2019/20", date(2019, 9, 1), date(2020, 8, 31), "academic_year"),
    ("2010-12", Convention.POOLED, "2010-12", date(2010, 1, 1), date(2012, 12, 31), "multi_year"),
    ("2010-12", Convention.MONTH, "2010-12", date(2010, 12, 1), date(2010, 12, 31), "month"),
    ("20220000", Convention.FINANCIAL, "2022/23", date(2022, 4, 1), date(2023, 3, 31), "financial_year"),
    ("202122", Convention.ACADEMIC, "2021/22", date(2021, 9, 1), date(2022, 8, 31), "academic_year"),
    ("1999-01", Convention.POOLED, "1999-01", date(1999, 1, 1), date(2001, 12, 31), "multi_year"),
    ("  2021/22  ", None, "2021/22", date(2021, 4, 1), date(2022, 3, 31), "financial_year"),
])
def test_every_form_the_sources_use(text, convention, label, start, end, kind):
    period = parse_period(text, convention)
    assert (period.label, period.start, period.end, period.type.value) == (label, start, end, kind)


@pytest.mark.parametrize(("text", "convention", "words"), [
    ("2010-12", None, "ambiguous: a month, pooled years or a split year; the adapter must declare which"),
    ("20220000", None, "needs the adapter or indicator to declare financial, academic or calendar years"),
    ("202122", None, "needs the adapter or indicator to declare financial, academic or calendar years"),
    ("2021/23", None, "a split year must cover two consecutive years"),
    ("2021-02-30", None, "day is out of range"),
    ("Q5 2021", None, "not a period form this pipeline knows"),
    ("Feb-Apr 2021", None, "a month range must name the first and last months of a quarter"),
    ("Smarch 2021", None, "'Smarch' is not the name of a month"),
    ("2021-01-15/P1M", None, "monthly intervals must start on the 1st"),
    ("next year", None, "not a period form this pipeline knows"),
    ("", None, "period is empty"),
])
def test_unreadable_periods_are_errors_naming_the_value(text, convention, words):
    with pytest.raises(PeriodError) as raised:
        parse_period(text, convention)
    assert words in str(raised.value)
    if text:
        assert repr(text) in str(raised.value)


def test_reporting_quarter_as_users_type_it():
    assert parse_fiscal_quarter("2024/25 Q1") == fiscal_quarter(2024, 1)
    assert parse_fiscal_quarter("2024-04-01") == fiscal_quarter(2024, 1)
    with pytest.raises(PeriodError, match="not the first day of a fiscal quarter"):
        parse_fiscal_quarter("2024-04-02")


_PERIOD_COLUMNS = {"timeperiod", "period", "year", "financialyear"}


def test_every_period_in_the_real_files_parses(real_data, context):
    """Each period string of every observation file parses with the convention its adapter (or the
    catalogue indicator it feeds) declares; the reference files are not observations."""
    checked: dict[str, int] = {}
    for path in sorted(real_data.rglob("*.csv")):
        try:
            adapter = detect_adapter(path)
        except FileRejected:  # reference data (lookup, indicator metadata): not period-bearing observations
            continue
        raw = adapter.read(path)
        conventions = {adapter.period_convention}
        # the catalogue may declare a convention for the indicators this source feeds
        conventions |= {_convention(i.period_convention) for i in context.catalogue.for_source(adapter.id)}
        for text in set(raw["period"]):
            if not any(_parses(text, c) for c in conventions):
                raise AssertionError(f"{path.name}: period {text!r} does not parse")
            checked[path.name] = checked.get(path.name, 0) + 1
    assert len(checked) >= 40
    assert sum(checked.values()) > 500


def _convention(name: str | None) -> Convention | None:
    return Convention(name) if name in Convention._value2member_map_ else None


def _parses(text: str, convention: Convention | None) -> bool:
    try:
        parse_period(text, convention)
    except PeriodError:
        return False
    return True


def test_real_period_forms_are_the_expected_ones(real_data):
    """Guard for the test above: the real files do hold the forms the issue names."""
    forms = set()
    for path in real_data.rglob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = [re.sub(r"[^a-z]", "", h.lower()) for h in next(reader)]
            columns = [i for i, h in enumerate(header) if h in _PERIOD_COLUMNS]
            for row in reader:
                for i in columns:
                    if i < len(row):
                        forms.add(re.sub(r"\d", "9", row[i]))
    assert {"9999/99", "9999-99", "9999", "9999-99-99/P9Y", "9999-99-99"} <= forms
