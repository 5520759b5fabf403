-- mart.quartile_position: each ranked row of mart.quartile_position_by_series with its series' names (indicator,
-- area, breakdown) from the current observation of the same series and period, in the columns every reader reads
-- (the analysts' quartile_positions view, the reports, the benchmark). A view, so the names are not written again
-- with each of 10 million ranked rows; (series_id, period) is unique among the current observations.
CREATE OR REPLACE VIEW mart.quartile_position AS
SELECT q.indicator_id, o.area_code, q.period, o.sex, o.age, o.category_type, o.category, q.group_id, q.group_name,
    q.is_indicator_group, q.listed_in_group, q.value, q.rank, q.n_comparators, q.quartile, q.quartile_label, q.method,
    q.comparator_min, q.comparator_q1, q.comparator_median, q.comparator_q3, q.comparator_max, q.comparator_mean,
    q.position_against_median
FROM mart.quartile_position_by_series q
JOIN mart.observation_current o USING (series_id, period);
