"""Parse explicitly before validating: text cells -> numbers and periods, recording what did not convert.

Why explicit: pandera reports only the coercion error for a column that fails to coerce, hiding every
other failure in it. Converting here, and recording each cell that does not convert as a rejection with
its column and value, means the schema then sees clean types and reports every other rule at once.
"""

from __future__ import annotations

import pandas as pd

from indicators.periods import PeriodError, convention_of, parse_period
from sources.canonical import MARKERS

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


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def numbers_sql(columns: list[str], source: str) -> str:
    """A SELECT over ``source`` (a table with ``uid`` and the text cells of ``columns``, already trimmed)
    that reads each cell as a number: the one way every file's numbers are read (sources.validate runs it
    in DuckDB). For each column ``c`` it gives

    ``c`` the number (NULL for a marker, an empty cell or text that is not a number); ``c__marker`` the
    marker text such as ``[c]`` or ``..`` (kept in value_note) or ""; ``c__bad`` true for a cell that is
    neither a number nor a marker nor empty (rejected); ``c__percent`` true for a number written ``45%``.

    Thousands separators, currency signs, spaces and a trailing ``%`` are removed first; Python-style digit
    separators (``1_000``) and infinities are not numbers. ``source`` is our own table name, never file text.
    """
    markers = ", ".join(_literal(m) for m in sorted(MARKERS))
    empty_words = ", ".join(_literal(w) for w in EMPTY_WORDS)
    noise = _literal(NUMBER_NOISE)
    read = ", ".join(f'"{c}" AS "{c}__t", TRY_CAST("{c}" AS DOUBLE) AS "{c}__q", contains("{c}", \'_\') AS "{c}__u"'
                     for c in columns)
    # most cells read as a number as they are ("fast"); only the others are lowered and cleaned
    cleaned = ", ".join(
        f'"{c}__t", CASE WHEN isfinite("{c}__q") AND NOT "{c}__u" THEN \'\' ELSE lower("{c}__t") END AS "{c}__l", '
        f'CASE WHEN isfinite("{c}__q") AND NOT "{c}__u" THEN "{c}__q" WHEN "{c}__u" THEN NULL '
        f'ELSE TRY_CAST(regexp_replace("{c}__t", {noise}, \'\', \'g\') AS DOUBLE) END AS "{c}__p"' for c in columns)
    flags = ", ".join(
        f'"{c}__t", "{c}__p", "{c}__l" IN ({markers}) AS "{c}__m", '
        f'("{c}__t" = \'\' OR "{c}__l" IN ({empty_words})) AS "{c}__e"' for c in columns)
    bad = ", ".join(f'"{c}__t", "{c}__m", "{c}__e", "{c}__p", NOT "{c}__m" AND NOT "{c}__e" AND '
                    f'coalesce(NOT isfinite("{c}__p"), true) AS "{c}__bad"' for c in columns)
    out = ", ".join(
        f'CASE WHEN "{c}__m" OR "{c}__e" OR "{c}__bad" THEN NULL ELSE "{c}__p" END AS "{c}", '
        f'CASE WHEN "{c}__m" THEN "{c}__t" ELSE \'\' END AS "{c}__marker", "{c}__bad", '
        f'suffix("{c}__t", \'%\') AND NOT "{c}__bad" AS "{c}__percent"' for c in columns)
    return (f"SELECT uid, {out} FROM (SELECT uid, {bad} FROM (SELECT uid, {flags} FROM (SELECT uid, {cleaned} "
            f"FROM (SELECT uid, {read} FROM {source}))))")



def not_a_number_reason(column: str, text: str) -> str:
    """Why a cell is not a number, in words an analyst understands (markers such as x, c, .. or [c] for a
    value that is not available are not errors; the validate command and the template documentation say so)."""
    what = COLUMN_WORDS.get(column, column)
    if str(text).lstrip().startswith("="):
        return f"{what} looks like a spreadsheet formula; formulas are never evaluated: enter the figure itself"
    return f"{what} is not a number"


def parse_periods(raw_periods: pd.Series, conventions: pd.Series) -> tuple[pd.DataFrame, list[dict]]:
    """Period text -> label, start, end, type; each distinct (text, convention) is parsed once."""
    out = pd.DataFrame(index=raw_periods.index,
                       columns=["period", "period_start", "period_end", "period_type"], dtype=object)
    problems: list[dict] = []
    pairs = pd.DataFrame({"text": raw_periods.astype(str), "conv": conventions})
    for (text, conv), group in pairs.groupby(["text", "conv"], dropna=False, sort=False):
        convention = convention_of(conv if isinstance(conv, str) else None)
        try:
            period = parse_period(text, convention)
        except PeriodError as exc:
            for idx in group.index:
                problems.append({"index": idx, "column": "period", "value": text, "reason": str(exc)})
            continue
        out.loc[group.index, "period"] = period.label
        out.loc[group.index, "period_start"] = period.start
        out.loc[group.index, "period_end"] = period.end
        out.loc[group.index, "period_type"] = period.type.value
    return out, problems
