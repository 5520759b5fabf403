-- mart.benchmark_comparison: each comparison of mart.benchmark_comparison_by_series with the area's names, value,
-- limits and published comparison from the current observation it compared, in the columns every reader reads
-- (the analysts' benchmark_comparisons view, the reports, the benchmark). A view, so none of it is copied into a
-- table of 10 million rows; (series_id, period) is unique among the current observations.
CREATE OR REPLACE VIEW mart.benchmark_comparison AS
SELECT o.indicator_id, o.area_code, o.period, o.sex, o.age, o.category_type, o.category, o.value, o.lower_ci95,
    o.upper_ci95, o.lower_ci998, o.upper_ci998, o.ci_method, b.england_value, b.compared_with_england,
    b.compared_with_england_two_level, o.published_comparison, b.comparison_disagrees, b.method, b.two_level_method
FROM mart.benchmark_comparison_by_series b
JOIN mart.observation_current o USING (series_id, period);
