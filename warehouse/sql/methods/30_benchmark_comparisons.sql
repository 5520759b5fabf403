-- Compared with England, METHODS.md section 5 ("CI overlapping reference value (95.0)"): England's value
-- inside the area's 95% CI -> Similar; otherwise Better/Worse by polarity (Higher/Lower for no judgement).
-- No CI -> Not compared. The England value is a point.
CREATE OR REPLACE TABLE mart.benchmark_comparison AS
SELECT o.indicator_id, o.area_code, o.period, o.sex, o.age, o.category_type, o.category,
    o.value, o.lower_ci95, o.upper_ci95, e.value AS england_value,
    CASE WHEN o.value IS NULL OR e.value IS NULL OR o.lower_ci95 IS NULL OR o.upper_ci95 IS NULL
              THEN 'Not compared'
         WHEN e.value BETWEEN o.lower_ci95 AND o.upper_ci95 THEN 'Similar'
         WHEN o.polarity = 'no_judgement' THEN CASE WHEN o.lower_ci95 > e.value THEN 'Higher' ELSE 'Lower' END
         WHEN (o.lower_ci95 > e.value) = (o.polarity = 'high_is_good') THEN 'Better'
         ELSE 'Worse' END AS compared_with_england,
    o.published_comparison,
    $benchmark_method AS method
FROM mart.observation_current o
LEFT JOIN mart.observation_current e
  ON e.area_code = 'E92000001' AND e.indicator_id = o.indicator_id AND e.period = o.period
 AND e.sex = o.sex AND e.age = o.age AND e.category_type = o.category_type AND e.category = o.category
WHERE o.area_code <> 'E92000001';
