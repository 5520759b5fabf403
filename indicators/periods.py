"""Periods: one parser for every period form the sources use, one canonical label per period kind.

Why one parser: the same financial year arrives as ``2021/22``, ``2021-22``, ``2021-04-01/P1Y`` or
Fingertips' sortable ``20210000``; comparisons, trends and revisions only work when all of them become
the same label. Canonical labels (ARCHITECTURE.md "Periods"):

============== ================= =========================================
type           label             meaning
============== ================= =========================================
financial_year ``2021/22``       1 April 2021 - 31 March 2022
academic_year  ``2021/22``       1 September 2021 - 31 August 2022
calendar_year  ``2021``          1 January - 31 December 2021
multi_year     ``2019-21``       pooled calendar years 2019 to 2021
quarter        ``2021/22 Q3``    fiscal quarter (October - December 2021)
quarter        ``2021 Q3``       calendar quarter (July - September 2021)
month          ``2021-10``       October 2021
date           ``2021-10-01``    a point-in-time count
============== ================= =========================================

Forms that are ambiguous on their own (``2010-12`` is pooled 2010-2012 in healthy life expectancy files
and December 2010 elsewhere) need the convention the adapter declares; without one they are an error.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache


class PeriodType(StrEnum):
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    CALENDAR_YEAR = "calendar_year"
    MULTI_YEAR = "multi_year"
    QUARTER = "quarter"
    MONTH = "month"
    DATE = "date"


class Convention(StrEnum):
    """How an adapter reads forms that are ambiguous on their own."""

    # ``2021/22`` and ``2021-22``: financial (default for most English public-sector sources) or academic.
    FINANCIAL = "financial"
    ACADEMIC = "academic"
    # ``2010-12``: pooled years (healthy life expectancy) or a month.
    POOLED = "pooled"
    MONTH = "month"
    # Calendar years: a quarter given by its months is labelled ``2021 Q4``, not ``2021/22 Q3``.
    CALENDAR = "calendar"


def convention_of(name: str | None) -> Convention | None:
    """The catalogue's ``period_convention`` text as a Convention (None when not given)."""
    return Convention(name) if name in Convention._value2member_map_ else None


class PeriodError(ValueError):
    """A period value that cannot be read without guessing."""


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period. Ordering is by (start, end), so periods of one series sort chronologically."""

    start: date
    end: date
    label: str
    type: PeriodType

    @property
    def years(self) -> int:
        """Whole years covered (1 for an annual period, 3 for a 3-year pooled period, 0 below a year)."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return months // 12


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _split_year_second(first: int, second_text: str) -> int:
    """``2021/22`` -> 2022: the second half of a split year, checked to follow the first."""
    second = int(second_text)
    if len(second_text) == 2:
        second += (first // 100) * 100
        if second < first:
            second += 100
    if second != first + 1:
        raise PeriodError(f"{first}/{second_text}: a split year must cover two consecutive years")
    return second


def financial_year(start_year: int) -> Period:
    return Period(
        date(start_year, 4, 1),
        date(start_year + 1, 3, 31),
        f"{start_year}/{(start_year + 1) % 100:02d}",
        PeriodType.FINANCIAL_YEAR,
    )


def academic_year(start_year: int) -> Period:
    return Period(
        date(start_year, 9, 1),
        date(start_year + 1, 8, 31),
        f"{start_year}/{(start_year + 1) % 100:02d}",
        PeriodType.ACADEMIC_YEAR,
    )


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"{year}", PeriodType.CALENDAR_YEAR)


def pooled_years(first: int, last: int) -> Period:
    if last <= first:
        raise PeriodError(f"{first}-{last}: a pooled period must end after it starts")
    return Period(date(first, 1, 1), date(last, 12, 31), f"{first}-{last % 100:02d}", PeriodType.MULTI_YEAR)


def fiscal_quarter(start_year: int, quarter: int) -> Period:
    """Fiscal quarter of financial year ``start_year``/``start_year+1``: Q1 = April-June."""
    if not 1 <= quarter <= 4:
        raise PeriodError(f"quarter {quarter}: quarters are 1 to 4")
    month = 4 + 3 * (quarter - 1)
    year = start_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    end = _month_end(year, month + 2)
    label = f"{start_year}/{(start_year + 1) % 100:02d} Q{quarter}"
    return Period(start, end, label, PeriodType.QUARTER)


def calendar_quarter(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise PeriodError(f"quarter {quarter}: quarters are 1 to 4")
    month = 1 + 3 * (quarter - 1)
    return Period(date(year, month, 1), _month_end(year, month + 2), f"{year} Q{quarter}", PeriodType.QUARTER)


def month(year: int, month_number: int) -> Period:
    if not 1 <= month_number <= 12:
        raise PeriodError(f"{year}-{month_number:02d}: months are 01 to 12")
    return Period(
        date(year, month_number, 1), _month_end(year, month_number), f"{year}-{month_number:02d}",
        PeriodType.MONTH,
    )


def point_date(day: date) -> Period:
    return Period(day, day, day.isoformat(), PeriodType.DATE)


def fiscal_quarter_of(day: date) -> Period:
    """The fiscal quarter that contains ``day``."""
    start_year = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return fiscal_quarter(start_year, quarter)


def previous_fiscal_quarter(period: Period) -> Period:
    return fiscal_quarter_of(period.start - timedelta(days=1))


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS["sept"] = 9

_RE_SPLIT = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_RE_YEAR = re.compile(r"^(\d{4})$")
_RE_POOLED = re.compile(r"^(\d{4})\s+-\s+(\d{2}|\d{4})$")  # Fingertips "2019 - 21": always pooled
_RE_FQ = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*Q([1-4])$", re.I)
_RE_FQ_PREFIX = re.compile(r"^Q([1-4])\s+(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", re.I)
_RE_CQ = re.compile(r"^(\d{4})\s*Q([1-4])$", re.I)
_RE_CQ_PREFIX = re.compile(r"^Q([1-4])\s+(\d{4})$", re.I)
_RE_MONTH_RANGE = re.compile(r"^([A-Za-z]+)\s*[-\u2013]\s*([A-Za-z]+)\s+(\d{4})$")
_RE_MONTH_NAME = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")
_RE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RE_ISO_INTERVAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d+)([YMD])$")
_RE_SORTABLE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_RE_DFE_YEAR = re.compile(r"^(\d{4})(\d{2})$")  # DfE explore-education-statistics time_period "202122"


def _second_year(first: int, last_text: str) -> int:
    """The last year of a range written ``2019-21`` or ``1999-01``: two digits continue the first year."""
    if len(last_text) == 4:
        return int(last_text)
    last = first - first % 100 + int(last_text)
    return last + 100 if last <= first else last


def _quarter_of_months(first: int, year: int, convention: Convention | None) -> Period:
    """A three-month quarter starting in month ``first`` of ``year``: calendar label when the adapter
    declares calendar periods, otherwise the fiscal label a council reports by (same dates either way)."""
    if convention is Convention.CALENDAR:
        return calendar_quarter(year, (first - 1) // 3 + 1)
    start_year = year if first >= 4 else year - 1
    return fiscal_quarter(start_year, ((first - 4) % 12) // 3 + 1)


def _iso_interval(year: int, mon: int, day: int, amount: int, unit: str,
                  convention: Convention | None) -> Period:
    """ISO 8601 ``start/duration`` as used by ONS Explore Local Statistics.

    A 1-year interval starting 1 April is a financial year, 1 January a calendar year, 1 August or
    1 September an academic year. Survey years that start elsewhere (Active Lives: mid-November) are
    labelled as the split year in which most of the interval falls, typed financial_year, because
    that is how OHID labels the same figures.
    """
    start = date(year, mon, day)
    if unit == "Y":
        if amount == 1:
            if (mon, day) == (1, 1):
                return calendar_year(year)
            if (mon, day) == (4, 1):
                return financial_year(year)
            if (mon, day) in ((8, 1), (9, 1)):
                return academic_year(year)
            return Period(start, date(year + 1, mon, day) - timedelta(days=1),
                          f"{year}/{(year + 1) % 100:02d}", PeriodType.FINANCIAL_YEAR)
        if (mon, day) == (1, 1):
            return pooled_years(year, year + amount - 1)
        raise PeriodError(f"{year}-{mon:02d}-{day:02d}/P{amount}Y: a pooled period must start on 1 January")
    if unit == "M":
        if day != 1:
            raise PeriodError(f"{start.isoformat()}/P{amount}M: monthly intervals must start on the 1st")
        if amount == 1:
            return month(year, mon)
        if amount == 3 and mon in (1, 4, 7, 10):
            return _quarter_of_months(mon, year, convention)
        raise PeriodError(f"{start.isoformat()}/P{amount}M: only 1- and 3-month intervals are used")
    if unit == "D" and amount == 1:
        return point_date(start)
    raise PeriodError(f"{start.isoformat()}/P{amount}{unit}: unsupported interval")


@lru_cache(maxsize=65536)
def parse_period(text: str, convention: Convention | None = None) -> Period:
    """Parse any period form the sources use into a canonical :class:`Period`.

    ``convention`` resolves forms that are ambiguous alone: ``2021/22`` and ``2021-22`` are financial
    years unless the adapter says ``ACADEMIC``; ``2010-12`` needs ``POOLED`` or ``MONTH``; Fingertips'
    sortable ``20210000`` and DfE's ``202122`` need the kind of year. Raises :class:`PeriodError` naming
    the value when it cannot be read without guessing.
    """
    if not isinstance(text, str):
        raise PeriodError(f"period {text!r} is not text")
    value = " ".join(text.strip().split())
    if not value:
        raise PeriodError("period is empty")
    try:
        return _parse(value, convention)
    except PeriodError as exc:
        raise PeriodError(f"cannot read period {text!r}: {exc}") from None
    except ValueError as exc:  # an impossible date such as 2021-02-30
        raise PeriodError(f"cannot read period {text!r}: {exc}") from None


def _parse(value: str, convention: Convention | None) -> Period:
    if m := _RE_ISO_INTERVAL.match(value):
        return _iso_interval(int(m[1]), int(m[2]), int(m[3]), int(m[4]), m[5], convention)
    if m := _RE_DATE.match(value):
        return point_date(date(int(m[1]), int(m[2]), int(m[3])))
    if m := _RE_FQ.match(value):
        first = int(m[1])
        _split_year_second(first, m[2])
        return fiscal_quarter(first, int(m[3]))
    if m := _RE_FQ_PREFIX.match(value):
        first = int(m[2])
        _split_year_second(first, m[3])
        return fiscal_quarter(first, int(m[1]))
    if m := _RE_CQ.match(value):
        return calendar_quarter(int(m[1]), int(m[2]))
    if m := _RE_CQ_PREFIX.match(value):
        return calendar_quarter(int(m[2]), int(m[1]))
    if m := _RE_MONTH_RANGE.match(value):
        first, last, year = _MONTHS.get(m[1].lower()), _MONTHS.get(m[2].lower()), int(m[3])
        if first is None or last is None or (last - first) % 12 != 2 or first not in (1, 4, 7, 10):
            raise PeriodError("a month range must name the first and last months of a quarter")
        return _quarter_of_months(first, year, convention)
    if m := _RE_MONTH_NAME.match(value):
        number = _MONTHS.get(m[1].lower())
        if number is None:
            raise PeriodError(f"{m[1]!r} is not the name of a month")
        return month(int(m[2]), number)
    if m := _RE_POOLED.match(value):
        first = int(m[1])
        return pooled_years(first, _second_year(first, m[2]))
    if m := _RE_YEAR.match(value):
        return calendar_year(int(m[1]))
    if m := _RE_SORTABLE.match(value):
        # Fingertips "Time period Sortable": yyyy0000 for a year of the kind the indicator uses.
        year, mm, dd = int(m[1]), int(m[2]), int(m[3])
        if mm or dd:
            raise PeriodError("a sortable period other than yyyy0000 needs the Time period label")
        return _year_of_kind(year, convention, "a Fingertips sortable year")
    if m := _RE_DFE_YEAR.match(value):
        first, nn = int(m[1]), int(m[2])
        if nn != (first + 1) % 100:
            raise PeriodError("a six-digit DfE year must name two consecutive years (e.g. 202122)")
        return _year_of_kind(first, convention if convention is not Convention.CALENDAR else None,
                             "a DfE six-digit year")
    if m := _RE_MONTH.match(value):  # yyyy-nn: a month, pooled years or a split year
        first, nn = int(m[1]), int(m[2])
        if convention is Convention.MONTH:
            return month(first, nn)
        if convention is Convention.POOLED:
            return pooled_years(first, _second_year(first, m[2]))
        consecutive = nn == (first + 1) % 100
        if nn > 12:  # cannot be a month
            return _split(first, m[2], convention) if consecutive else pooled_years(
                first, _second_year(first, m[2]))
        if consecutive and convention in (Convention.FINANCIAL, Convention.ACADEMIC):
            return _split(first, m[2], convention)
        raise PeriodError("ambiguous: a month, pooled years or a split year; the adapter must declare which")
    if m := _RE_SPLIT.match(value):
        return _split(int(m[1]), m[2], convention)
    raise PeriodError("not a period form this pipeline knows")


def _year_of_kind(first: int, convention: Convention | None, what: str) -> Period:
    """A year given only by its first calendar year: which kind it is comes from the convention."""
    if convention is Convention.FINANCIAL:
        return financial_year(first)
    if convention is Convention.ACADEMIC:
        return academic_year(first)
    if convention is Convention.CALENDAR:
        return calendar_year(first)
    raise PeriodError(f"{what} needs the adapter or indicator to declare financial, academic or calendar years")


def _split(first: int, second_text: str, convention: Convention | None) -> Period:
    _split_year_second(first, second_text)
    if convention is Convention.ACADEMIC:
        return academic_year(first)
    return financial_year(first)


def parse_fiscal_quarter(text: str) -> Period:
    """A reporting quarter as users type it: ``2024/25 Q1`` or its first day ``2024-04-01``."""
    period = parse_period(text)
    if period.type is PeriodType.DATE:
        quarter = fiscal_quarter_of(period.start)
        if quarter.start != period.start:
            raise PeriodError(f"{text!r} is not the first day of a fiscal quarter (try {quarter.label!r})")
        return quarter
    if period.type is not PeriodType.QUARTER or "/" not in period.label:
        raise PeriodError(f"{text!r} is not a fiscal quarter such as '2024/25 Q1' or '2024-04-01'")
    return period
