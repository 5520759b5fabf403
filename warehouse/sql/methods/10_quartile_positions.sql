-- Comparator quartile position, METHODS.md section 2: OHID phe_quantile with Q = 4, ranked best-first.
-- Per indicator x period x breakdown x comparator group (every group in ref.comparator_group, for every
-- indicator that is compared at all, i.e. has a comparator_group in the catalogue).
-- Members: areas listed in the group on the period's end date (validity dates, so a predecessor and its
-- successor never count in the same period), plus the home area, which is ranked within the indicator's
-- own group and the settings' default group whether or not the group's list names it (never added to
-- other groups, e.g. another council's nearest neighbours, where it would change their ranks); only
-- members with a non-null value count.
-- rank: RANK() best-first (descending for high_is_good and no_judgement, ascending for low_is_good), ties
-- take the best rank. quartile = 5 - ceil(4 * (n + 1 - rank) / n) in integers; NULL when n < 4.
-- Spine-chart figures: min, type-7 quartiles (quantile_cont = Excel QUARTILE.INC), max and mean.
CREATE OR REPLACE TABLE mart.quartile_position AS
WITH compared AS (
    SELECT indicator_id, area_code, period, period_end, sex, age, category_type, category, value, polarity,
        comparator_group
    FROM mart.observation_current
    WHERE comparator_group IS NOT NULL AND value IS NOT NULL
),
group_names AS (
    SELECT group_id, any_value(group_name) AS group_name FROM ref.comparator_group GROUP BY group_id
),
memberships AS (
    SELECT DISTINCT group_id, area_code, valid_from, valid_to FROM ref.comparator_group
),
listed AS (
    SELECT DISTINCT ON (g.group_id, o.indicator_id, o.area_code, o.period, o.sex, o.age, o.category_type,
                        o.category) g.group_id, o.*, true AS listed
    FROM compared o
    JOIN memberships g
      ON g.area_code = o.area_code
     AND (g.valid_from IS NULL OR g.valid_from <= o.period_end)
     AND (g.valid_to IS NULL OR g.valid_to >= o.period_end)
),
home AS (
    SELECT n.group_id, o.*, false AS listed
    FROM compared o
    JOIN group_names n
      ON n.group_id IN (o.comparator_group, (SELECT value FROM ref.setting WHERE key = 'comparator_group'))
    WHERE o.area_code = (SELECT value FROM ref.setting WHERE key = 'home_area')
      AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.group_id = n.group_id AND l.area_code = o.area_code
                      AND l.indicator_id = o.indicator_id AND l.period = o.period AND l.sex = o.sex
                      AND l.age = o.age AND l.category_type = o.category_type AND l.category = o.category)
),
members AS (
    SELECT * FROM listed UNION ALL SELECT * FROM home
),
ranked AS (
    SELECT *,
        count(*) OVER part AS n_comparators,
        rank() OVER part AS rank
    FROM members
    WINDOW part AS (PARTITION BY group_id, indicator_id, period, sex, age, category_type, category
                    ORDER BY CASE WHEN polarity = 'low_is_good' THEN value ELSE -value END
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
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
    GROUP BY group_id, indicator_id, period, sex, age, category_type, category
),
positioned AS (
    SELECT r.*,
        CASE WHEN r.n_comparators >= 4
             THEN greatest(1, 5 - (4 * (r.n_comparators + 1 - r.rank) + r.n_comparators - 1) // r.n_comparators)
        END::INTEGER AS quartile
    FROM ranked r
)
SELECT p.indicator_id, p.area_code, p.period, p.sex, p.age, p.category_type, p.category, p.group_id,
    n.group_name, p.group_id = p.comparator_group AS is_indicator_group, p.listed AS listed_in_group,
    p.value, p.rank::INTEGER AS rank, p.n_comparators::INTEGER AS n_comparators, p.quartile,
    coalesce(ql.label, $not_ranked) AS quartile_label,
    $quartile_method AS method,
    s.comparator_min, s.comparator_q1, s.comparator_median, s.comparator_q3, s.comparator_max,
    s.comparator_mean,
    CASE WHEN p.quartile IS NOT NULL THEN ml.label END AS position_against_median
FROM positioned p
JOIN stats s USING (group_id, indicator_id, period, sex, age, category_type, category)
JOIN group_names n USING (group_id)
LEFT JOIN ref.label ql ON ql.kind = 'quartile' AND ql.polarity = p.polarity AND ql.key = p.quartile
LEFT JOIN ref.label ml ON ml.kind = 'median' AND ml.polarity = p.polarity
    AND ml.key = sign(p.value - s.comparator_median);
