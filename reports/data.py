"""What a report shows, read once from the warehouse, read-only.

Which file: a quarter that was signed off (``outcomes publish-quarter``) has a frozen snapshot at
``WarehousePaths.quarter_snapshot(label)``; its report always reads that file, so regenerating it later
gives the figures that were published. Any other quarter reads the current published warehouse and is
marked DRAFT. Either way the report records the data cut-off (when the last file it reads finished
loading) and the run id.

Columns that later methods work adds to ``outcome_board`` (targets, freshness, trend checks) are read
when the file has them; otherwise they are missing values and show as "-".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd

from indicators.areas import ENGLAND
from indicators.periods import Period
from reports import queries
from reports.config import ReportConfig, ReportConfigError, Selection
from warehouse.connection import connect_read_only
from warehouse.paths import WarehousePaths
from warehouse.quarters import snapshot_for_quarter
from warehouse.sqlfiles import run

ReportKind = Literal["quarterly", "annual"]
MONTHS_BETWEEN_UPDATES = {"annual": 12, "multi_year": 12, "quarterly": 3, "monthly": 1}


@dataclass(frozen=True)
class ReportSource:
    """The file a report reads: a signed-off quarter's frozen snapshot, or the published warehouse."""

    path: Path
    signed_off: bool
    snapshot_label: str | None = None


def resolve_source(published: Path, quarter: Period) -> ReportSource:
    """A signed-off quarter's frozen snapshot (warehouse.quarters), else the live published file (DRAFT)."""
    snapshot = snapshot_for_quarter(WarehousePaths(published), quarter)
    if snapshot is not None:
        return ReportSource(snapshot, True, quarter.label)
    return ReportSource(published, False)


@dataclass(frozen=True)
class ReportData:
    kind: ReportKind
    period: Period
    selection: Selection
    source: ReportSource
    outcomes: list[tuple[str, str]]
    board: pd.DataFrame  # one row per indicator and outcome it is shown in (column "place")
    series: pd.DataFrame  # every period of each shown indicator's headline series for the home area
    groups: pd.DataFrame  # comparator group membership with validity dates
    membership: pd.DataFrame  # comparator group members in the periods shown (membership_for)
    sources: pd.DataFrame  # publisher and licence of each source of record shown
    loads: pd.DataFrame  # the files the figures come from
    unmatched: list[str]  # outcomes/sub-outcomes the selection names that have no indicators here
    break_notes: pd.DataFrame  # definition or boundary changes (direction across them is not comparable)
    is_sample: bool
    cutoff: datetime | None
    run_id: str
    settings: dict[str, str]
    config: ReportConfig
    built_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def outcome_rows(self, outcome_id: str) -> pd.DataFrame:
        return self.board[self.board["place"] == outcome_id]

    def indicator_series(self, indicator_id: str) -> pd.DataFrame:
        """The indicator's rows of ``series`` (none: an empty frame of its columns)."""
        return self._series_by_indicator.get(indicator_id, self.series.iloc[0:0])

    def indicator_records(self, indicator_id: str) -> list[dict]:
        """The indicator's rows of ``series`` as dicts, in order."""
        return self.series_records.get(indicator_id, [])

    @cached_property
    def _series_by_indicator(self) -> dict[str, pd.DataFrame]:
        """``series`` split by indicator once: a report looks each indicator up several times, and a mask over
        every row per lookup was about a tenth of the report's time."""
        return dict(iter(self.series.groupby("indicator_id", sort=False)))

    @cached_property
    def series_records(self) -> dict[str, list[dict]]:
        """``series`` as dicts per indicator (indicators in order of first appearance, rows in order), made once:
        pandas' ``to_dict`` costs some milliseconds per call on a frame this wide, whatever its length, and a
        report asked it once per indicator and table."""
        records: dict[str, list[dict]] = {}
        for rec in self.series.to_dict("records"):
            if not pd.isna(rec["indicator_id"]):
                records.setdefault(rec["indicator_id"], []).append(rec)
        return records

    @property
    def home_name(self) -> str:
        return self.settings.get("home_area_name", self.settings.get("home_area", "Home area"))

    @property
    def status_text(self) -> str:
        if self.source.signed_off:
            return f"As published: signed off for {self.source.snapshot_label} (frozen snapshot)"
        return "DRAFT - not signed off"

    def with_board(self, board: pd.DataFrame) -> ReportData:
        return replace(self, board=board)

    def with_membership(self, membership: pd.DataFrame) -> ReportData:
        return replace(self, membership=membership)


def _board(con) -> pd.DataFrame:
    return con.execute(queries.BOARD).df()


def _outcome_order(indicators: pd.DataFrame) -> list[tuple[str, str]]:
    """Outcomes in plan order (by their first sub-outcome number); those without sub-outcomes last."""
    first = (indicators.groupby(["outcome_id", "outcome_name"], dropna=False)["sub_outcome"]
             .min().reset_index())
    first["sort"] = first["sub_outcome"].fillna("~")
    first = first.sort_values(["sort", "outcome_id"])
    return [(r.outcome_id, r.outcome_name) for r in first.itertuples()]


def _unmatched(selection: Selection, indicators: pd.DataFrame) -> list[str]:
    """Outcomes and sub-outcomes the selection names that have no indicators in this warehouse.

    Some are expected (a committee's sub-outcome whose indicators are not loaded yet) and are listed in the
    report; when nothing the selection names exists it is an error (most likely a misspelt id).
    """
    known_outcomes = set(indicators["outcome_id"])
    known_subs = set(indicators["sub_outcome"].dropna())
    unmatched = [o for o in selection.outcomes if o not in known_outcomes]
    unmatched += [s for s in selection.sub_outcomes if s not in known_subs]
    if not selection.everything and len(unmatched) == len(selection.outcomes) + len(selection.sub_outcomes):
        raise ReportConfigError(
            f"{selection.name or selection.key}: none of {unmatched} is in the warehouse; outcomes are "
            f"{sorted(known_outcomes)}, sub-outcomes {sorted(known_subs)}")
    return unmatched


def _placed(board: pd.DataFrame, indicators: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """One row per indicator and outcome it is shown in: its own outcome, and any outcome it is
    also reported in (e.g. the council's own emissions under Enabling), as far as the selection allows."""
    extra = indicators.drop(columns=["outcome_id", "outcome_name", "sub_outcome", "sub_outcome_name",
                                     "source_id"])
    merged = board.merge(extra, on="indicator_id", how="left")
    rows = []
    for rec in merged.to_dict("records"):
        also = [] if rec["also_reported_in"] is None else list(rec["also_reported_in"])
        places = [rec["outcome_id"]] + [o for o in also if o != rec["outcome_id"]]
        for place in places:
            own = place == rec["outcome_id"]
            if selection.everything or place in selection.outcomes or (
                    own and rec["sub_outcome"] in selection.sub_outcomes):
                rows.append({**rec, "place": place})
    return pd.DataFrame(rows, columns=[*merged.columns, "place"])


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31))


def next_expected_update(period_end: date | None, frequency: str | None, lag_months: int | None) -> date | None:
    """When the next period's figure should be published: the next period's end plus the publication lag.

    A display aid for committee members ("next expected update"); whether data is already overdue is the
    methods' ``overdue`` flag, shown beside it.
    """
    if period_end is None or pd.isna(period_end) or frequency not in MONTHS_BETWEEN_UPDATES:
        return None
    next_end = add_months(pd.Timestamp(period_end).date(), MONTHS_BETWEEN_UPDATES[frequency])
    return add_months(next_end, int(lag_months or 0))


def _with_next_update(board: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    ends = series.groupby(["indicator_id", "period"])["period_end"].first()
    board = board.copy()
    board["latest_period_end"] = [ends.get((i, p)) for i, p in zip(board["indicator_id"], board["latest_period"],
                                                                    strict=True)]
    board["next_update"] = [
        next_expected_update(end, freq, lag)
        for end, freq, lag in zip(board["latest_period_end"], board["frequency"], board["publication_lag_months"],
                                  strict=True)]
    return board


def membership_for(groups: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Members of each comparator group on the end date of each period shown, one row per distinct list.

    ``shown`` has group_id, period and period_end. A member counts in a period when valid on its end date
    (the rule the ``comparator_groups`` view documents).
    """
    out = []
    for (group_id, end), periods in shown.dropna(subset=["group_id", "period_end"]).groupby(
            ["group_id", "period_end"])["period"]:
        day = pd.Timestamp(end)
        rows = groups[(groups["group_id"] == group_id)
                      & (groups["valid_from"].isna() | (groups["valid_from"] <= day))
                      & (groups["valid_to"].isna() | (groups["valid_to"] >= day))]
        if rows.empty:
            continue
        out.append({"group_id": group_id, "group_name": rows["group_name"].iloc[0],
                    "period_end": day.date(), "periods": sorted(set(periods)),
                    "members": tuple(rows["area_name"])})
    frame = pd.DataFrame(out, columns=["group_id", "group_name", "period_end", "periods", "members"])
    if frame.empty:
        return pd.DataFrame(columns=["group_name", "periods", "n_members", "members"])
    merged = (frame.groupby(["group_id", "group_name", "members"], sort=False)
              .agg(periods=("periods", lambda s: sorted({p for ps in s for p in ps})),
                   first_end=("period_end", "min")).reset_index()
              .sort_values(["group_id", "first_end"]))
    merged["n_members"] = merged["members"].map(len)
    merged["periods"] = merged["periods"].map(", ".join)
    merged["members"] = merged["members"].map("; ".join)
    return merged[["group_name", "periods", "n_members", "members"]].reset_index(drop=True)


def _sources(board: pd.DataFrame, config: ReportConfig) -> pd.DataFrame:
    rows = []
    for source_id, group in board.drop_duplicates("indicator_id").groupby("source_id", dropna=False):
        entry = config.sources.get(str(source_id))
        rows.append({"source_id": source_id,
                     "publisher": entry.publisher if entry else "not recorded in the report configuration",
                     "licence": entry.licence if entry else "not recorded in the report configuration",
                     "indicators": len(group)})
    return pd.DataFrame(rows, columns=["source_id", "publisher", "licence", "indicators"])


def read_report_data(published: Path, period: Period, *, kind: ReportKind, snapshot_quarter: Period,
                     selection: Selection, config: ReportConfig, run_id: str | None = None) -> ReportData:
    """Everything a report shows, read in one read-only connection to one file."""
    source = resolve_source(published, snapshot_quarter)
    with connect_read_only(source.path) as con:
        board = _board(con)
        indicators = con.execute(queries.INDICATORS).df()
        settings = dict(con.execute(queries.SETTINGS).fetchall())
        series = run(con, queries.SERIES, {"home": settings.get("home_area", ""), "england": ENGLAND}).df()
        groups = con.execute(queries.MEMBERSHIP).df()
        loads = con.execute(queries.LOADS).df()
        cutoff = con.execute(queries.CUTOFF).fetchall()[0][0]
        is_sample = bool(con.execute(queries.SAMPLE).fetchall()[0][0])
        break_notes = con.execute(queries.BREAK_NOTES).df()
    unmatched = _unmatched(selection, indicators)
    placed = _placed(board, indicators, selection)
    shown_ids = set(placed["indicator_id"])
    series = series[series["indicator_id"].isin(shown_ids)].reset_index(drop=True)
    placed = _with_next_update(placed, series)
    placed["break_notes"] = [
        "; ".join(f"{r.period}: {r.note}" for r in break_notes[break_notes["indicator_id"] == i].itertuples())
        for i in placed["indicator_id"]]
    outcomes = [(o, name) for o, name in _outcome_order(indicators) if o in set(placed["place"])]
    if not selection.name:
        selection = replace(selection, name="; ".join(name for _, name in outcomes))
    shown = placed[["catalogue_group", "latest_period", "latest_period_end"]].rename(
        columns={"catalogue_group": "group_id", "latest_period": "period", "latest_period_end": "period_end"})
    return ReportData(
        kind=kind, period=period, selection=selection, source=source, outcomes=outcomes, board=placed,
        series=series, groups=groups, membership=membership_for(groups, shown), sources=_sources(placed, config),
        loads=loads, unmatched=unmatched, break_notes=break_notes, is_sample=is_sample, cutoff=cutoff,
        run_id=run_id or f"report-{uuid.uuid4().hex[:12]}", settings=settings, config=config)
