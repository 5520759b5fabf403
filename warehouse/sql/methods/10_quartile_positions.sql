-- Comparator quartile position, METHODS.md section 2: OHID phe_quantile with Q = 4, ranked best-first.
-- Members: areas in the indicator's comparator group on the period's end date, plus the home area
-- (ranked within the group whether or not the group's list names it), with a non-null value.
-- quartile = 5 - ceil(4 * (n + 1 - rank) / n), computed in integers; NULL when n < 4.
CREATE OR REPLACE TABLE mart.quartile_position AS
WITH members AS (
    SELECT DISTINCT o.indicator_id, o.area_code, o.period, o.period_end, o.sex, o.age, o.category_type,
        o.category, o.value, o.polarity, o.comparator_group AS group_id
    FROM mart.observation_current o
    LEFT JOIN ref.comparator_group g
      ON g.group_id = o.comparator_group AND g.area_code = o.area_code
     AND (g.valid_from IS NULL OR g.valid_from <= o.period_end)
     AND (g.valid_to IS NULL OR g.valid_to >= o.period_end)
    WHERE o.comparator_group IS NOT NULL AND o.value IS NOT NULL
      AND (g.area_code IS NOT NULL OR o.area_code = (SELECT value FROM ref.setting WHERE key = 'home_area'))
),
ranked AS (
    SELECT *,
        count(*) OVER w AS n_comparators,
        rank() OVER (PARTITION BY group_id, indicator_id, period, sex, age, category_type, category
                     ORDER BY CASE WHEN polarity = 'low_is_good' THEN value ELSE -value END) AS rank
    FROM members
    WINDOW w AS (PARTITION BY group_id, indicator_id, period, sex, age, category_type, category)
),
stats AS (
    SELECT group_id, indicator_id, period, sex, age, category_type, category,
        min(value) AS comparator_min,
        quantile_cont(value, 0.25) AS comparator_q1,
        quantile_cont(value, 0.5) AS comparator_median,
        quantile_cont(value, 0.75) AS comparator_q3,
        max(value) AS comparator_max,
        avg(value) AS comparator_mean
    FROM members
    GROUP BY ALL
),
positioned AS (
    SELECT r.*,
        CASE WHEN r.n_comparators >= 4
             THEN greatest(1, 5 - (4 * (r.n_comparators + 1 - r.rank) + r.n_comparators - 1) // r.n_comparators)
        END::INTEGER AS quartile
    FROM ranked r
)
SELECT p.indicator_id, p.area_code, p.period, p.sex, p.age, p.category_type, p.category, p.group_id,
    p.value, p.rank::INTEGER AS rank, p.n_comparators::INTEGER AS n_comparators, p.quartile,
    coalesce(l.label, $not_ranked) AS quartile_label,
    $quartile_method AS method,
    s.comparator_min, s.comparator_q1, s.comparator_median, s.comparator_q3, s.comparator_max,
    s.comparator_mean,
    CASE WHEN p.value = s.comparator_median THEN 'Same as comparator median'
         WHEN p.polarity = 'no_judgement' AND p.value > s.comparator_median THEN 'Above comparator median'
         WHEN p.polarity = 'no_judgement' THEN 'Below comparator median'
         WHEN (p.value > s.comparator_median) = (p.polarity = 'high_is_good') THEN 'Better than comparator median'
         ELSE 'Worse than comparator median' END AS position_against_median
FROM positioned p
JOIN stats s USING (group_id, indicator_id, period, sex, age, category_type, category)
LEFT JOIN ref.label l ON l.kind = 'quartile' AND l.polarity = p.polarity AND l.key = p.quartile;
