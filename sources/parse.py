"""Parse explicitly before validating: text cells -> numbers and periods, recording what did not convert.

Why explicit: pandera reports only the coercion error for a column that fails to coerce, hiding every
other failure in it. Converting here, and recording each cell that does not convert as a rejection with
its column and value, means the schema then sees clean types and reports every other rule at once.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from indicators.periods import PeriodError, convention_of, parse_period
from sources.canonical import MARKERS
from sources.rawtable import sql_text

# Characters a publisher writes inside a number: thousands separators (comma, spaces including no-break,
# figure, thin and narrow no-break spaces), currency and percent signs; removed before reading the number
# (an RE2 character class; cells that already read as a number skip it: most cells, and the regex is the
# costly part).
NUMBER_NOISE = r"[,£%\s\x{00A0}\x{2007}\x{2009}\x{202F}\x{000B}]"
EMPTY_WORDS = ("nan", "none", "null")


COLUMN_WORDS = {
    "value": "value", "lower_ci95": "lower 95% limit", "upper_ci95": "upper 95% limit",
    "lower_ci998": "lower 99.8% limit", "upper_ci998": "upper 99.8% limit", "count": "count",
    "denominator": "denominator",
}


def _one_of(words: frozenset[str] | tuple[str, ...]) -> str:
    """A regular expression (SQL literal) that matches exactly one of ``words`` as a whole: one function per
    cell, where DuckDB's plan turned an IN list of the 22 markers into a join of its own for each of the seven
    number columns (seven joins to plan, build and probe for every file judged)."""
    return sql_text("|".join(re.escape(w) for w in sorted(words)))


def numbers_sql(columns: list[str], source: str) -> str:
    """A SELECT over ``source`` (a table or subquery holding the text cells of ``columns``, already
    trimmed) that reads each cell as a number: the one way every file's numbers are read (sources.validate
    runs it in DuckDB). Every other column of ``source`` passes through unchanged; for each column ``c``
    it gives

    ``c`` the number (NULL for a marker, an empty cell or text that is not a number); ``c__text`` the cell
    as written; ``c__marker`` the marker text such as ``[c]`` or ``..`` (kept in value_note) or "";
    ``c__bad`` true for a cell that is neither a number nor a marker nor empty (rejected); ``c__percent``
    true for a number written ``45%``.

    Thousands separators, currency signs, spaces and a trailing ``%`` are removed first; Python-style digit
    separators (``1_000``) and infinities are not numbers. ``source`` is our own SQL, never file text.

    Most cells read as a number as they are ("fast"), and many of the rest are empty (a count or denominator
    the publisher left blank): neither is lowered, cleaned by the regular expression or compared with the
    markers. (A number written with a thousands separator, such as a Fingertips count "4,241", is cleaned.)
    """
    markers = _one_of(MARKERS)
    empty_words = _one_of(EMPTY_WORDS)
    noise = sql_text(NUMBER_NOISE)

    def step(inner: str, drop: list[str], add: list[str]) -> str:
        dropped = f" EXCLUDE ({', '.join(drop)})" if drop else ""
        return f"SELECT *{dropped}, {', '.join(add)} FROM ({inner})"

    q = {c: f'"{c}__' for c in columns}  # the prefix of a column's working names
    sql = step(f"SELECT * FROM {source}", [f'"{c}"' for c in columns], [
        f'"{c}" AS {q[c]}text", TRY_CAST("{c}" AS DOUBLE) AS {q[c]}q", contains("{c}", \'_\') AS {q[c]}u"'
        for c in columns])
    # l: the cell lowered, "" for a fast or empty cell (which is neither a marker nor an empty word)
    sql = step(sql, [f'{q[c]}q", {q[c]}u"' for c in columns], [
        f'CASE WHEN (isfinite({q[c]}q") AND NOT {q[c]}u") OR {q[c]}text" = \'\' THEN \'\' '
        f'ELSE lower({q[c]}text") END AS {q[c]}l", '
        f'CASE WHEN isfinite({q[c]}q") AND NOT {q[c]}u" THEN {q[c]}q" WHEN {q[c]}u" OR {q[c]}text" = \'\' THEN NULL '
        f'ELSE TRY_CAST(regexp_replace({q[c]}text", {noise}, \'\', \'g\') AS DOUBLE) END AS {q[c]}p"'
        for c in columns])
    sql = step(sql, [f'{q[c]}l"' for c in columns], [
        f'({q[c]}l" <> \'\' AND regexp_full_match({q[c]}l", {markers})) AS {q[c]}m", '
        f'({q[c]}text" = \'\' OR ({q[c]}l" <> \'\' AND regexp_full_match({q[c]}l", {empty_words}))) AS {q[c]}e"'
        for c in columns])
    sql = step(sql, [], [
        f'NOT {q[c]}m" AND NOT {q[c]}e" AND coalesce(NOT isfinite({q[c]}p"), true) AS {q[c]}bad"' for c in columns])
    return step(sql, [f'{q[c]}m", {q[c]}e", {q[c]}p"' for c in columns], [
        f'CASE WHEN {q[c]}m" OR {q[c]}e" OR {q[c]}bad" THEN NULL ELSE {q[c]}p" END AS "{c}", '
        f'CASE WHEN {q[c]}m" THEN {q[c]}text" ELSE \'\' END AS {q[c]}marker", '
        f'suffix({q[c]}text", \'%\') AND NOT {q[c]}bad" AS {q[c]}percent"' for c in columns])


def not_a_number_reason(column: str, text: str) -> str:
    """Why a cell is not a number, in words an analyst understands (markers such as x, c, .. or [c] for a
    value that is not available are not errors; the validate command and the template documentation say so)."""
    what = COLUMN_WORDS.get(column, column)
    if str(text).lstrip().startswith("="):
        return f"{what} looks like a spreadsheet formula; formulas are never evaluated: enter the figure itself"
    return f"{what} is not a number"


def parse_periods(raw_periods: pd.Series, conventions: pd.Series) -> tuple[pd.DataFrame, list[dict]]:
    """Period text -> label, start, end, type; each distinct (text, convention) is parsed once, and the
    columns are built as lists (a pandas assignment per distinct period cost more than the parsing)."""
    parsed: dict[tuple[str, str | None], object] = {}
    columns: list[list[object]] = [[], [], [], []]
    problems: list[dict] = []
    for idx, text, conv in zip(raw_periods.index, raw_periods.astype(str), conventions, strict=True):
        key = (text, conv if isinstance(conv, str) else None)
        if key not in parsed:
            try:
                parsed[key] = parse_period(text, convention_of(key[1]))
            except PeriodError as exc:
                parsed[key] = exc
        period = parsed[key]
        if isinstance(period, PeriodError):
            problems.append({"index": idx, "column": "period", "value": text, "reason": str(period)})
            values: tuple[object, ...] = (np.nan,) * 4
        else:
            values = (period.label, period.start, period.end, period.type.value)
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    out = pd.DataFrame(dict(zip(["period", "period_start", "period_end", "period_type"], columns, strict=True)),
                       index=raw_periods.index, dtype=object)
    return out, problems
