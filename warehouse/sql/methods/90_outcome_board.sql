-- One row per catalogue indicator for the home area and its headline breakdown, at its latest period.
-- An indicator without data for the home area is listed with status 'no data'.
CREATE OR REPLACE TABLE mart.outcome_board AS
WITH home AS (SELECT value AS area_code FROM ref.setting WHERE key = 'home_area'),
latest_load AS (
    SELECT o.indicator_id, max(l.finished_at) AS last_loaded_at
    FROM core.observation o JOIN core.load l USING (load_id) GROUP BY ALL
)
SELECT i.outcome_id, i.outcome_name, i.sub_outcome, i.sub_outcome_name, i.indicator_id, i.name AS indicator_name,
    i.success_measure, i.polarity, i.unit, i.decimals, h.area_code,
    i.headline_sex AS sex, i.headline_age AS age,
    CASE WHEN t.latest_period IS NULL THEN 'no data' ELSE 'data' END AS status,
    t.latest_period, cur.value AS latest_value, cur.value_note, cur.lower_ci95, cur.upper_ci95,
    t.previous_period, t.previous_value, t.direction_of_travel, t.direction_significance,
    t.year_ago_period, t.year_ago_value, t.direction_year_on_year,
    q.rank, q.n_comparators, q.group_id AS comparator_group,
    CASE WHEN q.quartile IS NOT NULL THEN ordinal(q.rank) || ' of ' || q.n_comparators || ' ' || lower(g.group_name) END AS rank_text,
    q.quartile, q.quartile_label, q.method AS quartile_method,
    q.comparator_min, q.comparator_q1, q.comparator_median, q.comparator_q3, q.comparator_max,
    q.position_against_median,
    b.england_value, b.compared_with_england,
    t.recent_trend, t.published_recent_trend, t.trend_check, t.trend_reason, t.trend_method,
    cur.commentary, i.source_id, ll.last_loaded_at, i.lead_board, i.statutory
FROM ref.indicator i
CROSS JOIN home h
LEFT JOIN mart.trend t ON t.indicator_id = i.indicator_id AND t.area_code = h.area_code
    AND t.sex = i.headline_sex AND t.age = i.headline_age AND t.category_type = i.headline_category_type
    AND t.category = i.headline_category
LEFT JOIN mart.observation_current cur ON cur.indicator_id = i.indicator_id AND cur.area_code = h.area_code
    AND cur.period = t.latest_period AND cur.sex = i.headline_sex AND cur.age = i.headline_age
    AND cur.category_type = i.headline_category_type AND cur.category = i.headline_category
LEFT JOIN mart.quartile_position q ON q.indicator_id = i.indicator_id AND q.area_code = h.area_code
    AND q.period = t.latest_period AND q.sex = i.headline_sex AND q.age = i.headline_age
    AND q.category_type = i.headline_category_type AND q.category = i.headline_category
LEFT JOIN (SELECT DISTINCT group_id, group_name FROM ref.comparator_group) g ON g.group_id = q.group_id
LEFT JOIN mart.benchmark_comparison b ON b.indicator_id = i.indicator_id AND b.area_code = h.area_code
    AND b.period = t.latest_period AND b.sex = i.headline_sex AND b.age = i.headline_age
    AND b.category_type = i.headline_category_type AND b.category = i.headline_category
LEFT JOIN latest_load ll ON ll.indicator_id = i.indicator_id
ORDER BY i.outcome_id, i.sub_outcome, i.indicator_id;
