-- Comparator quartile position, METHODS.md section 2: OHID phe_quantile with Q = 4, ranked best-first.
-- Per indicator x period x breakdown x comparator group, for every indicator that is compared at all (has a
-- comparator_group in the catalogue), in the groups someone reads: every group the catalogue names for an
-- indicator, the settings' default group and the home area's nearest neighbours ($nearest_neighbours, when
-- the settings name them). Other groups in ref.comparator_group (e.g. each region) are not ranked: at
-- national scale each would add a row per observation that no report or board reads.
-- Members: areas listed in the group on the period's end date (validity dates, so a predecessor and its
-- successor never count in the same period), plus the home area, which is ranked within the indicator's
-- own group and the settings' default group whether or not the group's list names it (never added to
-- other groups, e.g. another council's nearest neighbours, where it would change their ranks); only
-- members with a non-null value count.
-- rank: RANK() best-first (descending for high_is_good and no_judgement, ascending for low_is_good), ties
-- take the best rank. quartile = 5 - ceil(4 * (n + 1 - rank) / n) in integers; NULL when n < 4.
-- Spine-chart figures: min, type-7 quartiles (quantile_cont = Excel QUARTILE.INC), max and mean.
-- Written per series (series_id and period), without the series' names: mart.quartile_position (the view of
-- 11_quartile_position_view.sql) joins them back from the current observations. Carrying and writing the area and
-- breakdown with each of 10 million ranked rows took about 4 of this step's 10 s.
-- One window partitioning (the group, the series' indicator and breakdown bits of series_id, and the
-- period) gives ranks and figures; the members are never materialised. The figures use the partition
-- without its order (an aggregate per partition, the three quartiles from one sort of the values), which
-- at 10 million rows is ~7% faster than computing them over the ordered frame.
CREATE OR REPLACE TABLE mart.quartile_position_by_series AS
WITH setting AS (
    SELECT max(value) FILTER (WHERE key = 'home_area') AS home_area,
        max(value) FILTER (WHERE key = 'comparator_group') AS default_group
    FROM ref.setting
),
ranked_group AS (
    SELECT group_id, any_value(group_name) AS group_name
    FROM ref.comparator_group
    WHERE group_id IN (SELECT comparator_group FROM ref.indicator WHERE comparator_group IS NOT NULL)
       OR group_id = (SELECT default_group FROM setting) OR group_id = $nearest_neighbours
    GROUP BY group_id
),
compared AS NOT MATERIALIZED (
    SELECT series_id, indicator_id, area_code, period, period_end, value, polarity, comparator_group
    FROM mart.observation_current
    WHERE comparator_group IS NOT NULL AND value IS NOT NULL
),
member_on AS (
    -- (group, area, date) for every period end the observations have and every membership valid on it: the
    -- observations then join on equalities only
    SELECT DISTINCT m.group_id, m.area_code, e.period_end
    FROM ref.comparator_group m
    SEMI JOIN ranked_group USING (group_id)
    JOIN (SELECT DISTINCT period_end FROM compared) e
      ON (m.valid_from IS NULL OR m.valid_from <= e.period_end) AND (m.valid_to IS NULL OR m.valid_to >= e.period_end)
),
members AS NOT MATERIALIZED (
    SELECT m.group_id, o.*, true AS listed
    FROM compared o
    JOIN member_on m ON m.area_code = o.area_code AND m.period_end IS NOT DISTINCT FROM o.period_end
    UNION ALL
    SELECT g.group_id, o.*, false AS listed
    FROM (SELECT * FROM compared WHERE area_code = (SELECT home_area FROM setting)) o
    JOIN ranked_group g ON g.group_id IN (o.comparator_group, (SELECT default_group FROM setting))
    WHERE NOT EXISTS (SELECT 1 FROM member_on m WHERE m.group_id = g.group_id AND m.area_code = o.area_code
                      AND m.period_end IS NOT DISTINCT FROM o.period_end)
),
ranked AS (
    SELECT * EXCLUDE (quartiles),
        quartiles[1] AS comparator_q1, quartiles[2] AS comparator_median, quartiles[3] AS comparator_q3
    FROM (
        SELECT *,
            count(*) OVER part AS n_comparators,
            rank() OVER part AS rank,
            min(value) OVER whole AS comparator_min,
            quantile_cont(value, [0.25, 0.5, 0.75]) OVER whole AS quartiles,
            max(value) OVER whole AS comparator_max,
            avg(value) OVER whole AS comparator_mean
        FROM members
        WINDOW whole AS (PARTITION BY group_id, series_id & ~(1048575::BIGINT << 20), period),
            part AS (whole ORDER BY CASE WHEN polarity = 'low_is_good' THEN value ELSE -value END
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
),
positioned AS (
    SELECT r.*,
        CASE WHEN r.n_comparators >= 4
             THEN greatest(1, 5 - (4 * (r.n_comparators + 1 - r.rank) + r.n_comparators - 1) // r.n_comparators)
        END::INTEGER AS quartile
    FROM ranked r
)
SELECT p.indicator_id, p.series_id, p.period, p.group_id,
    n.group_name, p.group_id = p.comparator_group AS is_indicator_group, p.listed AS listed_in_group,
    p.value, p.rank::INTEGER AS rank, p.n_comparators::INTEGER AS n_comparators, p.quartile,
    coalesce(ql.label, $not_ranked) AS quartile_label,
    $quartile_method AS method,
    p.comparator_min, p.comparator_q1, p.comparator_median, p.comparator_q3, p.comparator_max,
    p.comparator_mean,
    CASE WHEN p.quartile IS NOT NULL THEN ml.label END AS position_against_median
FROM positioned p
JOIN ranked_group n USING (group_id)
LEFT JOIN ref.label ql ON ql.kind = 'quartile' AND ql.polarity = p.polarity AND ql.key = p.quartile
LEFT JOIN ref.label ml ON ml.kind = 'median' AND ml.polarity = p.polarity
    AND ml.key = sign(p.value - p.comparator_median);
