"""What a report shows, read once from the published warehouse (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators.periods import Period
from warehouse.connection import connect_read_only

BOARD_SQL = "SELECT * FROM outcome_board ORDER BY outcome_id, sub_outcome NULLS LAST, indicator_id"
SAMPLE_SQL = "SELECT coalesce(bool_or(is_sample), false) FROM loads WHERE withdrawn_at IS NULL"
OUTCOMES_SQL = "SELECT DISTINCT outcome_id, outcome_name FROM indicators ORDER BY outcome_id"
SETTINGS_SQL = "SELECT key, value FROM ref.setting"


@dataclass(frozen=True)
class ReportData:
    quarter: Period
    board: pd.DataFrame
    outcomes: list[tuple[str, str]]
    is_sample: bool
    settings: dict[str, str]
    source_path: Path

    def outcome_rows(self, outcome_id: str) -> pd.DataFrame:
        return self.board[self.board["outcome_id"] == outcome_id]


def read_report_data(published: Path, quarter: Period) -> ReportData:
    with connect_read_only(published) as con:
        board = con.execute(BOARD_SQL).df()
        is_sample = bool(con.execute(SAMPLE_SQL).fetchall()[0][0])
        outcomes = [(r[0], r[1]) for r in con.execute(OUTCOMES_SQL).fetchall()]
        settings = dict(con.execute(SETTINGS_SQL).fetchall())
    return ReportData(quarter, board, outcomes, is_sample, settings, published)
