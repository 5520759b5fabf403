"""The tables a report shows, defined once for the workbook and the HTML page.

Each column turns one indicator row into a :class:`Shown` cell: the text a reader sees, the number behind
it (numeric cells in Excel, with the catalogue's precision and unit as the number format) and a tone
(quartile or RAG colour, always beside words or a symbol so it reads in greyscale too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from reports.formatting import (
    DASH,
    QUARTILE_TONES,
    RAG_TONES,
    direction_text,
    england_text,
    format_value,
    is_missing,
    month_text,
    number_format,
    overdue_text,
    rag_text,
    text_or_dash,
)


@dataclass(frozen=True)
class Shown:
    text: str
    number: float | None = None
    number_format: str | None = None
    tone: str | None = None


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    render: Callable[[dict], Shown]


def _text(key: str) -> Callable[[dict], Shown]:
    return lambda r: Shown(text_or_dash(r.get(key)))


def _value(key: str) -> Callable[[dict], Shown]:
    def render(r: dict) -> Shown:
        value = r.get(key)
        if is_missing(value):
            return Shown(DASH)
        return Shown(format_value(value, r["decimals"], r["unit"]), float(value),
                     number_format(r["decimals"], r["unit"]))
    return render


def _value_in(value_key: str, period_key: str) -> Callable[[dict], Shown]:
    """Value and its period in one cell, e.g. ``53.8% (2024/25)`` (the HTML page's compact columns)."""
    def render(r: dict) -> Shown:
        value, period = r.get(value_key), r.get(period_key)
        if is_missing(value):
            return Shown(DASH)
        return Shown(f"{format_value(value, r['decimals'], r['unit'])} ({text_or_dash(period)})", float(value))
    return render


def _england_compact(r: dict) -> Shown:
    text = england_text(r.get("compared_with_england"))
    if not is_missing(r.get("england_value")):
        text += f"; England {format_value(r['england_value'], r['decimals'], r['unit'])}"
    return Shown(text)


def _target_compact(r: dict) -> Shown:
    rag, target = _rag(r), _target(r)
    if rag.text == DASH:
        return target
    return Shown(f"{rag.text}. {target.text}", tone=rag.tone)


def _updates(r: dict) -> Shown:
    overdue = overdue_text(r.get("overdue"))
    following = f"next {month_text(r.get('next_update'))}"
    return Shown(following if overdue in (DASH, "On time") else f"{overdue}; {following}")


def _quartile(key: str, label_key: str) -> Callable[[dict], Shown]:
    def render(r: dict) -> Shown:
        q = r.get(key)
        # a no-judgement indicator's quartile ("Highest 25%") is neither good nor bad: no colour
        judged = r.get("polarity") != "no_judgement"
        tone = QUARTILE_TONES.get(int(q)) if judged and not is_missing(q) else None
        return Shown(text_or_dash(r.get(label_key)), tone=tone)
    return render


def _sub_outcome(r: dict) -> Shown:
    return Shown(text_or_dash(r.get("sub_outcome")))


def _indicator(r: dict) -> Shown:
    return Shown(str(r["indicator_name"]))


def _target(r: dict) -> Shown:
    description = r.get("target_description")
    if is_missing(description):
        description = r.get("catalogue_target")
    value = r.get("target_value")
    parts = [] if is_missing(value) else [format_value(value, r["decimals"], r["unit"])]
    if not is_missing(description):
        parts.append(str(description))
    return Shown(": ".join(parts) if parts else DASH)


def _rag(r: dict) -> Shown:
    status = r.get("target_status")
    return Shown(rag_text(status), tone=None if is_missing(status) else RAG_TONES.get(str(status)))


def _trend(r: dict) -> Shown:
    text = text_or_dash(r.get("recent_trend"))
    disagrees, published = r.get("trend_disagrees"), r.get("published_recent_trend")
    if not is_missing(disagrees) and bool(disagrees) and not is_missing(published):
        text += f" (source says: {published})"
    return Shown(text)


def _short_source(names: dict[str, str]) -> Callable[[dict], Shown]:
    return lambda r: Shown(names.get(str(r.get("source_id")), text_or_dash(r.get("source_id"))))


def quarterly_columns(names: dict[str, str]) -> list[Column]:
    return [
        Column("Sub-outcome", 9, _sub_outcome),
        Column("Indicator", 32, _indicator),
        Column("Period", 10, _text("latest_period")),
        Column("Value", 14, _value("latest_value")),
        Column("Previous period", 10, _text("previous_period")),
        Column("Previous value", 14, _value("previous_value")),
        Column("Direction of travel", 18,
               lambda r: Shown(direction_text(r.get("direction_of_travel"), r.get("direction_significance")))),
        Column("Rank", 18, _text("rank_text")),
        Column("Quartile", 14, _quartile("quartile", "quartile_label")),
        Column("Compared with England", 13, lambda r: Shown(england_text(r.get("compared_with_england")))),
        Column("England", 12, _value("england_value")),
        Column("Recent trend", 20, _trend),
        Column("Target", 22, _target),
        Column("RAG", 10, _rag),
        Column("Overdue", 11, lambda r: Shown(overdue_text(r.get("overdue")))),
        Column("Next expected update", 11, lambda r: Shown(month_text(r.get("next_update")))),
        Column("Commentary", 38, _text("commentary")),
        Column("Source", 16, _short_source(names)),
    ]


def quarterly_html_columns(names: dict[str, str]) -> list[Column]:
    """The same figures in fewer, combined columns, so the page fits a landscape A4 with its spine charts."""
    return [
        Column("Sub-outcome", 9, _sub_outcome),
        Column("Indicator", 40, _indicator),
        Column("Latest", 14, _value_in("latest_value", "latest_period")),
        Column("Previous", 14, _value_in("previous_value", "previous_period")),
        Column("Direction of travel", 18,
               lambda r: Shown(direction_text(r.get("direction_of_travel"), r.get("direction_significance")))),
        Column("Rank", 22, _text("rank_text")),
        Column("Quartile", 16, _quartile("quartile", "quartile_label")),
        Column("Compared with England", 13, _england_compact),
        Column("Recent trend", 24, _trend),
        Column("Target and RAG", 26, _target_compact),
        Column("Updates", 12, _updates),
        Column("Commentary", 48, _text("commentary")),
        Column("Source", 16, _short_source(names)),
    ]


def annual_html_columns(names: dict[str, str]) -> list[Column]:
    return [
        Column("Sub-outcome", 9, _sub_outcome),
        Column("Indicator", 40, _indicator),
        Column("Year's position", 14, _value_in("year_value", "year_period")),
        Column("A year earlier", 14, _value_in("year_ago_value_a", "year_ago_period_a")),
        Column("Change over the year", 18, lambda r: Shown(direction_text(r.get("change_over_year")))),
        Column("Plan baseline", 14, _value_in("baseline_value", "baseline_period")),
        Column("Change over the plan period", 18, lambda r: Shown(direction_text(r.get("change_over_plan")))),
        Column("Rank", 22, _text("year_rank_text")),
        Column("Quartile", 16, _quartile("year_quartile", "year_quartile_label")),
        Column("Quartile at baseline", 16, _quartile("baseline_quartile", "baseline_quartile_label")),
        Column("Quartile movement", 16, _text("quartile_movement")),
        Column("Source", 16, _short_source(names)),
    ]


def annual_columns(names: dict[str, str]) -> list[Column]:
    return [
        Column("Sub-outcome", 9, _sub_outcome),
        Column("Indicator", 32, _indicator),
        Column("Period", 10, _text("year_period")),
        Column("Value", 14, _value("year_value")),
        Column("A year earlier", 10, _text("year_ago_period_a")),
        Column("Value a year earlier", 14, _value("year_ago_value_a")),
        Column("Change over the year", 18, lambda r: Shown(direction_text(r.get("change_over_year")))),
        Column("Plan baseline", 10, _text("baseline_period")),
        Column("Baseline value", 14, _value("baseline_value")),
        Column("Change over the plan period", 18, lambda r: Shown(direction_text(r.get("change_over_plan")))),
        Column("Rank", 18, _text("year_rank_text")),
        Column("Quartile", 16, _quartile("year_quartile", "year_quartile_label")),
        Column("Quartile at baseline", 16, _quartile("baseline_quartile", "baseline_quartile_label")),
        Column("Quartile movement", 16, _text("quartile_movement")),
        Column("Source", 16, _short_source(names)),
    ]


# Summary: per outcome, how many indicators fall in each category (column title, row -> counted?).
def _eq(key: str, value: object) -> Callable[[dict], bool]:
    return lambda r: not is_missing(r.get(key)) and r.get(key) == value


QUARTERLY_SUMMARY: list[tuple[str, Callable[[dict], bool]]] = [
    ("Best 25%", _eq("quartile", 1)), ("Second best 25%", _eq("quartile", 2)),
    ("Second worst 25%", _eq("quartile", 3)), ("Worst 25%", _eq("quartile", 4)),
    ("▲ Improving", _eq("direction_of_travel", "Improving")), ("▼ Worsening", _eq("direction_of_travel", "Worsening")),
    ("► No change", _eq("direction_of_travel", "No change")),
    ("✔ Green", _eq("target_status", "Green")), ("! Amber", _eq("target_status", "Amber")),
    ("✖ Red", _eq("target_status", "Red")),
    ("⚠ Overdue", lambda r: not is_missing(r.get("overdue")) and bool(r.get("overdue"))),
    ("No data", _eq("status", "no data")),
]

ANNUAL_SUMMARY: list[tuple[str, Callable[[dict], bool]]] = [
    ("Best 25%", _eq("year_quartile", 1)), ("Second best 25%", _eq("year_quartile", 2)),
    ("Second worst 25%", _eq("year_quartile", 3)), ("Worst 25%", _eq("year_quartile", 4)),
    ("▲ Improving over the year", _eq("change_over_year", "Improving")),
    ("▼ Worsening over the year", _eq("change_over_year", "Worsening")),
    ("▲ Improving over the plan", _eq("change_over_plan", "Improving")),
    ("▼ Worsening over the plan", _eq("change_over_plan", "Worsening")),
    ("▲ Better quartile", _eq("quartile_movement", "▲ Better quartile")),
    ("▼ Worse quartile", _eq("quartile_movement", "▼ Worse quartile")),
    ("No data", lambda r: is_missing(r.get("year_value"))),
]


def summary_counts(rows: pd.DataFrame, tests: list[tuple[str, Callable[[dict], bool]]]) -> list[int]:
    records = rows.to_dict("records")
    return [len(records)] + [sum(1 for r in records if test(r)) for _, test in tests]


def sub_outcome_heading(rec: dict) -> str:
    code, name = rec.get("sub_outcome"), rec.get("sub_outcome_name")
    if is_missing(code):
        return "Indicators without a sub-outcome"
    return f"{code} {name}" if not is_missing(name) else str(code)


@dataclass(frozen=True)
class Layout:
    """What a report of one kind shows: its table columns, summary counts, and which period, value and
    quartile the charts' headline and spine row use."""

    columns: list[Column]
    html_columns: list[Column]
    summary: list[tuple[str, Callable[[dict], bool]]]
    period_key: str
    value_key: str
    quartile_key: str
    quartile_label_key: str


def layout_for(kind: str, names: dict[str, str]) -> Layout:
    """``names``: source id -> short source name (the publisher and licence are in the notes)."""
    if kind == "annual":
        return Layout(annual_columns(names), annual_html_columns(names), ANNUAL_SUMMARY, "year_period",
                      "year_value", "year_quartile", "year_quartile_label")
    return Layout(quarterly_columns(names), quarterly_html_columns(names), QUARTERLY_SUMMARY, "latest_period",
                  "latest_value", "quartile", "quartile_label")


SpinePoints = dict[str, tuple[float | None, float | None]]


def spine_points(series: list[dict], rec: dict, layout: Layout) -> SpinePoints | None:
    """x positions of each spine segment (from the indicator's ``series`` records) in the period the report
    shows for this indicator, or None when that period has no comparator spread."""
    period = rec.get(layout.period_key)
    if is_missing(period):
        return None
    point = next((r for r in series if r["period"] == period), None)
    if point is None:
        return None
    needed = ["comparator_min", "comparator_q1", "comparator_median", "comparator_q3", "comparator_max"]
    if any(is_missing(point.get(k)) for k in needed):
        return None

    def num(key: str) -> float | None:
        return None if is_missing(point.get(key)) else float(point[key])

    england = num("england_value")
    return {"Range": (num("comparator_min"), num("comparator_max")),
            "Lower": (num("comparator_min"), num("comparator_q1")),
            "Middle 50%": (num("comparator_q1"), num("comparator_q3")),
            "Upper": (num("comparator_q3"), num("comparator_max")),
            "Median": (num("comparator_median"), num("comparator_median")),
            "England": (england, england), "Home": (num("value"), None)}
