"""The Annual Performance and Benchmarking Report's figures: per indicator, the year's position, the change
over the year and over the plan period, and the quartile position against the comparator group.

Which period stands for a financial year: the latest period of the series whose mid-point falls on or
before the year's last day (2024/25 -> financial year 2024/25, academic year 2024/25, calendar year 2024,
pooled 2023-25 (centred on 2024), quarter 2024/25 Q4). The year before is the period of the same type that
starts exactly one year earlier. The plan baseline is the latest period whose mid-point falls before the plan's first
day (reports/scrutiny.yaml ``plan.start``).

Change labels follow METHODS.md section 4 (direction of travel) at the catalogue's published precision,
"Not comparable" across a break note; the labels come from indicators.methods.labels.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from indicators.catalogue import Polarity
from indicators.methods.labels import NOT_COMPARABLE, direction_label, ordinal, quartile_label
from indicators.periods import Period
from reports.data import ReportData, membership_for
from reports.formatting import is_missing, places


def _midpoint(start: object, end: object) -> pd.Timestamp:
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(end)
    return start_ts + (end_ts - start_ts) / 2


def _round_half_away(value: float, decimals: int) -> float:
    """DuckDB's round(): halves away from zero (Python's round() would round halves to even)."""
    scale = 10 ** decimals
    return math.copysign(math.floor(abs(value) * scale + 0.5), value) / scale


def change_label(new: dict | None, old: dict | None, polarity: str, decimals: object,
                 breaks: pd.DataFrame) -> str | None:
    """Improving / Worsening / No change (by polarity, at published precision), or Not comparable when a
    break note falls after the old period's start and on or before the new one's."""
    if new is None or old is None or is_missing(new["value"]) or is_missing(old["value"]):
        return None
    new_start, old_start = pd.Timestamp(new["period_start"]), pd.Timestamp(old["period_start"])
    starts = pd.to_datetime(breaks["period_start"])
    if ((starts > old_start) & (starts <= new_start)).any():
        return NOT_COMPARABLE
    d = places(decimals)
    change = _round_half_away(float(new["value"]), d) - _round_half_away(float(old["value"]), d)
    sign = (change > 0) - (change < 0)
    return direction_label(Polarity(polarity), sign)


def _pick(series: pd.DataFrame, on_or_before: date, strictly: bool = False) -> dict | None:
    mids = pd.Series([_midpoint(s, e) for s, e in zip(series["period_start"], series["period_end"], strict=True)],
                     index=series.index, dtype="datetime64[ns]")
    limit = pd.Timestamp(on_or_before)
    keep = (mids < limit) if strictly else (mids <= limit)
    chosen = series[keep & series["value"].notna()]
    return None if chosen.empty else chosen.iloc[-1].to_dict()


def _year_before(series: pd.DataFrame, row: dict | None) -> dict | None:
    if row is None:
        return None
    start = pd.Timestamp(row["period_start"]) - pd.DateOffset(years=1)
    match = series[(pd.to_datetime(series["period_start"]) == start) & (series["period_type"] == row["period_type"])
                   & series["value"].notna()]
    return None if match.empty else match.iloc[-1].to_dict()


def _quartile_text(row: dict | None, polarity: str) -> tuple[object, str | None]:
    if row is None or is_missing(row.get("quartile")):
        return None, None
    return int(row["quartile"]), quartile_label(Polarity(polarity), int(row["quartile"]))


def _movement(now: object, then: object) -> str | None:
    if is_missing(now) or is_missing(then):
        return None
    if now == then:
        return "Same quartile"
    return "▲ Better quartile" if now < then else "▼ Worse quartile"


def annual_rows(data: ReportData, year: Period, plan_start: date) -> pd.DataFrame:
    group_names = dict(zip(data.groups["group_id"], data.groups["group_name"], strict=False))
    records = []
    for rec in data.board.to_dict("records"):
        series = data.indicator_series(rec["indicator_id"]).sort_values(["period_start", "period_end"])
        breaks = data.break_notes[data.break_notes["indicator_id"] == rec["indicator_id"]]
        now = _pick(series, year.end)
        before = _year_before(series, now)
        base = _pick(series, plan_start, strictly=True)
        if base is not None and now is not None and base["period"] == now["period"]:
            base = None  # no data since the plan started: no change over the plan period to show
        q_now, q_now_label = _quartile_text(now, rec["polarity"])
        q_base, q_base_label = _quartile_text(base, rec["polarity"])
        rank_text = None
        if now is not None and q_now is not None:
            group = str(group_names.get(now["group_id"], now["group_id"])).lower()
            rank_text = f"{ordinal(int(now['rank']))} of {int(now['n_comparators'])} {group}"
        records.append({
            **rec,
            "year_period": now["period"] if now else None, "year_value": now["value"] if now else None,
            "year_period_end": now["period_end"] if now else None,
            "year_ago_period_a": before["period"] if before else None,
            "year_ago_value_a": before["value"] if before else None,
            "change_over_year": change_label(now, before, rec["polarity"], rec["decimals"], breaks),
            "baseline_period": base["period"] if base else None, "baseline_value": base["value"] if base else None,
            "baseline_period_end": base["period_end"] if base else None,
            "change_over_plan": change_label(now, base, rec["polarity"], rec["decimals"], breaks),
            "year_rank_text": rank_text, "year_quartile": q_now, "year_quartile_label": q_now_label,
            "baseline_quartile": q_base, "baseline_quartile_label": q_base_label,
            "quartile_movement": _movement(q_now, q_base),
        })
    return pd.DataFrame(records)


def with_annual_figures(data: ReportData, year: Period, plan_start: date) -> ReportData:
    """The report data with the annual columns added and comparator membership for the periods they use."""
    board = annual_rows(data, year, plan_start)
    if board.empty:
        return data.with_board(board)
    shown = pd.concat([
        board[["catalogue_group", "year_period", "year_period_end"]].set_axis(["group_id", "period", "period_end"],
                                                                              axis=1),
        board[["catalogue_group", "baseline_period", "baseline_period_end"]].set_axis(
            ["group_id", "period", "period_end"], axis=1)])
    return data.with_board(board).with_membership(membership_for(data.groups, shown))
