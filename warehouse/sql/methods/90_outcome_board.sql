-- One row per catalogue indicator for its board area and headline breakdown, at the series' latest period:
-- the Outcome Board's table. The board area is the home area, or the target's own area where the catalogue
-- sets one (the aggregate Leicester and Leicestershire for cumulative dwellings). An indicator without data
-- for that area is listed with status 'no data'. Every figure comes with the method that made it.
-- The method tables are read for the board areas only (a semi-join on area_code first; quartiles and England
-- comparisons through the board's current observation, by series and period), so the joins stay small at
-- national scale whatever the join order.
CREATE OR REPLACE TABLE mart.outcome_board AS
WITH board_area AS (
    SELECT i.indicator_id,
        coalesce(t.area_code, (SELECT value FROM ref.setting WHERE key = 'home_area')) AS area_code
    FROM ref.indicator i
    LEFT JOIN ref.target t USING (indicator_id)
),
board_areas AS (SELECT DISTINCT area_code FROM board_area),
board_current AS (
    SELECT * FROM mart.observation_current WHERE area_code IN (SELECT area_code FROM board_areas)
),
latest_load AS (
    SELECT o.indicator_id, max(l.finished_at) AS last_loaded_at
    FROM core.observation o JOIN core.load l USING (load_id)
    GROUP BY o.indicator_id
)
SELECT i.outcome_id, i.outcome_name, i.sub_outcome, i.sub_outcome_name, i.indicator_id, i.name AS indicator_name,
    i.success_measure, i.polarity, i.unit, i.decimals, ba.area_code, a.area_name,
    i.headline_sex AS sex, i.headline_age AS age, i.headline_category_type AS category_type,
    i.headline_category AS category,
    CASE WHEN t.latest_period IS NULL THEN $no_data ELSE 'data' END AS status,
    t.latest_period, cur.value AS latest_value, cur.value_note, cur.lower_ci95, cur.upper_ci95, cur.ci_method,
    cur.derivation,
    t.previous_period, t.previous_value, t.direction_of_travel, t.direction_significance,
    t.year_ago_period, t.year_ago_value, t.direction_year_on_year, t.year_on_year_significance,
    t.direction_method,
    q.rank, q.n_comparators, q.group_id AS comparator_group,
    CASE WHEN q.quartile IS NOT NULL THEN ordinal(q.rank) || ' of ' || q.n_comparators || ' ' || lower(q.group_name)
         END AS rank_text,
    q.quartile, q.quartile_label, q.method AS quartile_method,
    q.comparator_min, q.comparator_q1, q.comparator_median, q.comparator_q3, q.comparator_max, q.comparator_mean,
    q.position_against_median,
    b.england_value, b.compared_with_england, b.compared_with_england_two_level,
    CASE WHEN b.series_id IS NOT NULL THEN cur.published_comparison END AS published_comparison,
    b.method AS benchmark_method,
    t.recent_trend, t.published_recent_trend, t.trend_check, t.trend_disagrees, t.trend_reason,
    array_to_string(t.trend_periods, ', ') AS trend_periods,
    t.trend_method,
    ts.target_value, ts.target_status, coalesce(ts.target_description, i.target_description) AS target_description,
    ts.target_reason, tg.kind AS target_kind, ts.method AS target_method,
    f.expected_period, f.overdue, f.run_date AS freshness_run_date,
    cur.commentary, i.source_id, ll.last_loaded_at, i.lead_board, i.statutory
FROM ref.indicator i
JOIN board_area ba USING (indicator_id)
LEFT JOIN ref.area a ON a.area_code = ba.area_code
LEFT JOIN ref.target tg ON tg.indicator_id = i.indicator_id
LEFT JOIN (SELECT * FROM mart.trend WHERE area_code IN (SELECT area_code FROM board_areas)) t
    ON t.indicator_id = i.indicator_id AND t.area_code = ba.area_code
    AND t.sex = i.headline_sex AND t.age = i.headline_age AND t.category_type = i.headline_category_type
    AND t.category = i.headline_category
LEFT JOIN board_current cur
    ON cur.indicator_id = i.indicator_id AND cur.area_code = ba.area_code
    AND cur.period = t.latest_period AND cur.sex = i.headline_sex AND cur.age = i.headline_age
    AND cur.category_type = i.headline_category_type AND cur.category = i.headline_category
LEFT JOIN (SELECT * FROM mart.quartile_position_by_series
           WHERE series_id IN (SELECT series_id FROM board_current)) q
    ON q.series_id = cur.series_id AND q.period = cur.period AND q.group_id = i.comparator_group
LEFT JOIN (SELECT * FROM mart.benchmark_comparison_by_series
           WHERE series_id IN (SELECT series_id FROM board_current)) b
    ON b.series_id = cur.series_id AND b.period = cur.period
LEFT JOIN (SELECT * FROM mart.target_status WHERE area_code IN (SELECT area_code FROM board_areas)) ts
    ON ts.indicator_id = i.indicator_id AND ts.area_code = ba.area_code
    AND ts.period = t.latest_period AND ts.sex = i.headline_sex AND ts.age = i.headline_age
    AND ts.category_type = i.headline_category_type AND ts.category = i.headline_category
LEFT JOIN mart.freshness f ON f.indicator_id = i.indicator_id
LEFT JOIN latest_load ll ON ll.indicator_id = i.indicator_id
ORDER BY i.outcome_id, i.sub_outcome, i.indicator_id;
