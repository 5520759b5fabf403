"""The SQL a report runs against the (read-only) published warehouse or a signed-off snapshot.

Only analyst views (and ref.break_note, which has no view yet) are read, so a report works on any file
the pipeline published. Values are bound parameters; statements are constants of this module.
"""

from __future__ import annotations

# outcome_board columns a report shows (the warehouse contract: warehouse/sql/comments.sql documents each).
BOARD_COLUMNS: tuple[str, ...] = (
    "outcome_id", "outcome_name", "sub_outcome", "sub_outcome_name", "indicator_id", "indicator_name",
    "success_measure", "polarity", "unit", "decimals", "area_code", "sex", "age", "status",
    "latest_period", "latest_value", "value_note", "lower_ci95", "upper_ci95",
    "previous_period", "previous_value", "direction_of_travel", "direction_significance",
    "year_ago_period", "year_ago_value", "direction_year_on_year",
    "rank", "n_comparators", "comparator_group", "rank_text", "quartile", "quartile_label", "quartile_method",
    "comparator_min", "comparator_q1", "comparator_median", "comparator_q3", "comparator_max",
    "position_against_median", "england_value", "compared_with_england",
    "recent_trend", "published_recent_trend", "trend_check", "trend_disagrees", "trend_reason", "trend_method",
    "target_value", "target_status", "target_description", "overdue", "expected_period",
    "commentary", "source_id", "last_loaded_at", "lead_board", "statutory",
)

BOARD = "SELECT " + ", ".join(BOARD_COLUMNS) + " FROM outcome_board"


# Catalogue fields the board does not carry; also_reported_in puts one indicator in two outcomes.
INDICATORS = """
SELECT indicator_id, outcome_id, outcome_name, sub_outcome, sub_outcome_name, value_type, frequency,
    publication_lag_months, source_id, source_selector, comparator_group AS catalogue_group,
    target_description AS catalogue_target,
    also_reported_in, headline_sex, headline_age, headline_category_type, headline_category
FROM indicators
"""

# Every period of each indicator's headline series for the home area, with England and the comparator
# group's spread in that period (the trend chart and spine chart read these). Quartile positions are read for the
# home area only (a filter the view passes to the current observations it joins; a join condition is not).
SERIES = """
SELECT o.indicator_id, o.period, o.period_start, o.period_end, o.period_type, o.value, o.lower_ci95,
    o.upper_ci95, o.value_note, e.value AS england_value,
    q.group_id, q.rank, q.n_comparators, q.quartile, q.quartile_label,
    q.comparator_min, q.comparator_q1, q.comparator_median, q.comparator_q3, q.comparator_max
FROM indicators i
JOIN observations o
  ON o.indicator_id = i.indicator_id AND o.area_code = $home AND o.sex = i.headline_sex
 AND o.age = i.headline_age AND o.category_type = i.headline_category_type AND o.category = i.headline_category
LEFT JOIN observations e
  ON e.indicator_id = o.indicator_id AND e.area_code = $england AND e.period = o.period AND e.sex = o.sex
 AND e.age = o.age AND e.category_type = o.category_type AND e.category = o.category
LEFT JOIN (SELECT * FROM quartile_positions WHERE area_code = $home) q
  ON q.indicator_id = o.indicator_id AND q.area_code = o.area_code AND q.period = o.period AND q.sex = o.sex
 AND q.age = o.age AND q.category_type = o.category_type AND q.category = o.category
 AND q.group_id = i.comparator_group
ORDER BY o.indicator_id, o.period_start, o.period_end
"""

MEMBERSHIP = """
SELECT g.group_id, g.group_name, g.area_code, coalesce(a.area_name, g.area_code) AS area_name,
    g.valid_from, g.valid_to
FROM comparator_groups g LEFT JOIN areas a USING (area_code)
ORDER BY g.group_id, area_name
"""

BREAK_NOTES = "SELECT indicator_id, period, period_start, note FROM ref.break_note"

LOADS = """
SELECT load_id, source_file, adapter, rows_read, rows_accepted, rows_rejected, rows_skipped, status,
    finished_at, is_sample
FROM loads WHERE withdrawn_at IS NULL ORDER BY load_id
"""

# The data cut-off: when the last file in what the report reads finished loading.
CUTOFF = "SELECT max(finished_at) FROM loads WHERE withdrawn_at IS NULL"
SAMPLE = "SELECT coalesce(bool_or(is_sample), false) FROM loads WHERE withdrawn_at IS NULL"
SETTINGS = "SELECT key, value FROM ref.setting"
