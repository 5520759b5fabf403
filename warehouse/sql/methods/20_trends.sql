-- Recent trend, METHODS.md section 3 (FingertipsNext variant), for every series at once, plus direction
-- of travel (section 4). One row per series (indicator x area x breakdown) at its latest period.
-- Python reference: indicators/methods/trend.py and direction.py (tests hold this SQL equal to them).
--
-- Eligible series: one annual period type (financial, calendar or academic years); pooled, quarterly and
-- monthly series "Cannot be calculated". WLS on t = 1..5 over the 5 most recent valid points (value and
-- both 95% limits, UCI > LCI; gaps allowed): w = (3.92 / (UCI - LCI))^2,
-- b = (Sw*Swty - Swt*Swy) / (Sw*Swt2 - Swt^2), Var(b) = Sw / (Sw*Swt2 - Swt^2), chi2 = b^2 / Var(b).
-- Leave-one-out slopes come from the five-point sums minus one point (closed form), each point keeping its
-- t. Significant when chi2 > $chi2_threshold and every leave-one-out slope has b's sign.
-- Series are partitioned and joined on series_id (one integer per series, from observation_current).
CREATE OR REPLACE TABLE mart.trend AS
WITH series AS (
    SELECT series_id, any_value(indicator_id) AS indicator_id, any_value(area_code) AS area_code,
        any_value(sex) AS sex, any_value(age) AS age, any_value(category_type) AS category_type,
        any_value(category) AS category,
        arg_max(period, period_start) AS latest_period,
        arg_max_null(published_trend, period_start) AS published_recent_trend,  -- the latest row's, even if NULL
        any_value(polarity) AS polarity, any_value(decimals) AS decimals,
        any_value(comparator_group) AS comparator_group,
        count(DISTINCT period_type) = 1
            AND bool_and(period_type IN ('financial_year', 'calendar_year', 'academic_year')) AS annual
    FROM mart.observation_current
    GROUP BY series_id
),
valid AS (
    SELECT o.series_id, o.period, o.period_start,
        o.value AS y, power(3.92 / (o.upper_ci95 - o.lower_ci95), 2) AS w,
        row_number() OVER (PARTITION BY o.series_id ORDER BY o.period_start DESC) AS recency
    FROM mart.observation_current o
    WHERE o.value IS NOT NULL AND o.lower_ci95 IS NOT NULL AND o.upper_ci95 IS NOT NULL
      AND o.upper_ci95 > o.lower_ci95
),
n_valid AS (
    SELECT series_id, count(*) AS n_valid FROM valid GROUP BY series_id
),
points AS (
    SELECT *, (6 - recency)::DOUBLE AS t FROM valid WHERE recency <= 5
),
sums AS (
    SELECT series_id,
        count(*) AS k, sum(w) AS sw, sum(w * t) AS swt, sum(w * y) AS swy, sum(w * t * y) AS swty,
        sum(w * t * t) AS swt2, list(period ORDER BY t) AS periods_used
    FROM points GROUP BY series_id
),
fit AS (
    SELECT *, (sw * swty - swt * swy) / (sw * swt2 - swt * swt) AS b,
        sw / (sw * swt2 - swt * swt) AS var_b
    FROM sums WHERE k = 5
),
loo AS (
    SELECT series_id, b,
        arg_min(period, t) FILTER (WHERE sign(loo_b) <> sign(b)) AS loo_flip_period
    FROM (
        SELECT f.series_id, f.b, p.period, p.t,
            ((f.sw - p.w) * (f.swty - p.w * p.t * p.y) - (f.swt - p.w * p.t) * (f.swy - p.w * p.y))
            / ((f.sw - p.w) * (f.swt2 - p.w * p.t * p.t) - (f.swt - p.w * p.t) * (f.swt - p.w * p.t)) AS loo_b
        FROM fit f JOIN points p USING (series_id)
    )
    GROUP BY series_id, b
),
recent AS (
    SELECT s.*, f.b, f.b * f.b / f.var_b AS chi2, f.periods_used, coalesce(v.n_valid, 0) AS n_valid,
        l.loo_flip_period
    FROM series s
    LEFT JOIN fit f USING (series_id)
    LEFT JOIN loo l USING (series_id)
    LEFT JOIN n_valid v USING (series_id)
),
labelled AS (
    SELECT r.*,
        CASE WHEN NOT r.annual OR r.b IS NULL THEN 0
             WHEN r.chi2 > $chi2_threshold AND r.loo_flip_period IS NULL THEN sign(r.b)::INTEGER
             ELSE 0 END AS trend_direction,
        CASE WHEN NOT r.annual THEN $reason_not_annual
             WHEN r.b IS NULL THEN r.n_valid || $reason_too_few
             WHEN r.chi2 > $chi2_threshold AND sign(r.b) <> 0 AND r.loo_flip_period IS NOT NULL
             THEN $reason_loo || r.loo_flip_period
             END AS trend_reason
    FROM recent r
),
trend AS (
    SELECT l.*,
        CASE WHEN NOT l.annual OR l.b IS NULL THEN $cannot
             WHEN l.trend_direction = 0 THEN $no_change
             ELSE lt.label END AS recent_trend
    FROM labelled l
    LEFT JOIN ref.label lt ON lt.kind = 'trend' AND lt.polarity = l.polarity AND lt.key = l.trend_direction
),
checked AS (
    SELECT t.*,
        CASE WHEN coalesce(t.published_recent_trend, '') = '' THEN $trend_not_published
             WHEN t.recent_trend LIKE 'Cannot%' OR t.published_recent_trend LIKE 'Cannot%'
                  OR t.published_recent_trend LIKE 'Could not%' THEN $trend_insufficient
             WHEN t.recent_trend = t.published_recent_trend THEN $trend_agrees
             ELSE $trend_disagrees END AS trend_check
    FROM trend t
),
-- Direction of travel: the latest value against the previous period with a value of the same period type
-- and, for quarterly and monthly series, the same period a year earlier; judged at the indicator's
-- published precision (round half away from zero, catalogue decimals).
valued AS (
    SELECT o.series_id, o.period, o.period_start,
        o.period_end, o.period_type, o.value, o.lower_ci95, o.upper_ci95,
        row_number() OVER (PARTITION BY o.series_id ORDER BY o.period_start DESC) AS recency,
        lag(o.period) OVER same_type AS previous_period,
        lag(o.period_start) OVER same_type AS previous_start,
        lag(o.period_end) OVER same_type AS previous_end,
        lag(o.value) OVER same_type AS previous_value,
        lag(o.lower_ci95) OVER same_type AS previous_lower,
        lag(o.upper_ci95) OVER same_type AS previous_upper
    FROM mart.observation_current o
    WHERE o.value IS NOT NULL
    WINDOW same_type AS (PARTITION BY o.series_id, o.period_type ORDER BY o.period_start)
),
latest AS (
    SELECT a.*, y.period AS year_ago_period, y.period_start AS year_ago_start, y.period_end AS year_ago_end,
        y.value AS year_ago_value, y.lower_ci95 AS year_ago_lower, y.upper_ci95 AS year_ago_upper
    FROM valued a
    LEFT JOIN valued y ON a.period_type IN ('quarter', 'month') AND y.series_id = a.series_id
        AND y.period_type = a.period_type
        AND y.period_start = a.period_start - INTERVAL 1 YEAR
    WHERE a.recency = 1
),
membership AS (
    -- Is the area in its indicator's comparator group at the end of each period? (A change between the
    -- two periods compared makes them not comparable.)
    SELECT l.*, s.indicator_id, s.area_code, s.polarity, s.decimals,
        EXISTS (SELECT 1 FROM ref.comparator_group g WHERE g.group_id = s.comparator_group
                AND g.area_code = s.area_code AND (g.valid_from IS NULL OR g.valid_from <= l.period_end)
                AND (g.valid_to IS NULL OR g.valid_to >= l.period_end)) AS member_latest,
        EXISTS (SELECT 1 FROM ref.comparator_group g WHERE g.group_id = s.comparator_group
                AND g.area_code = s.area_code AND (g.valid_from IS NULL OR g.valid_from <= l.previous_end)
                AND (g.valid_to IS NULL OR g.valid_to >= l.previous_end)) AS member_previous,
        EXISTS (SELECT 1 FROM ref.comparator_group g WHERE g.group_id = s.comparator_group
                AND g.area_code = s.area_code AND (g.valid_from IS NULL OR g.valid_from <= l.year_ago_end)
                AND (g.valid_to IS NULL OR g.valid_to >= l.year_ago_end)) AS member_year_ago
    FROM latest l
    JOIN series s USING (series_id)
),
comparable AS (
    SELECT m.*,
        NOT EXISTS (SELECT 1 FROM ref.break_note bn WHERE bn.indicator_id = m.indicator_id
                    AND bn.period_start > m.previous_start AND bn.period_start <= m.period_start)
            AND m.member_latest = m.member_previous AS previous_comparable,
        NOT EXISTS (SELECT 1 FROM ref.break_note bn WHERE bn.indicator_id = m.indicator_id
                    AND bn.period_start > m.year_ago_start AND bn.period_start <= m.period_start)
            AND m.member_latest = m.member_year_ago AS year_ago_comparable,
        sign(round(m.value, m.decimals) - round(m.previous_value, m.decimals))::INTEGER AS change_sign,
        sign(round(m.value, m.decimals) - round(m.year_ago_value, m.decimals))::INTEGER AS year_sign
    FROM membership m
),
direction AS (
    SELECT c.*,
        CASE WHEN c.previous_value IS NULL THEN NULL
             WHEN NOT c.previous_comparable THEN $not_comparable
             ELSE dl.label END AS direction_of_travel,
        CASE WHEN c.previous_value IS NULL OR NOT c.previous_comparable THEN NULL
             WHEN c.lower_ci95 IS NULL OR c.upper_ci95 IS NULL OR c.previous_lower IS NULL
                  OR c.previous_upper IS NULL THEN $no_cis
             WHEN c.lower_ci95 > c.previous_upper OR c.upper_ci95 < c.previous_lower THEN $significant
             ELSE $not_significant END AS direction_significance,
        CASE WHEN c.year_ago_value IS NULL THEN NULL
             WHEN NOT c.year_ago_comparable THEN $not_comparable
             ELSE yl.label END AS direction_year_on_year,
        CASE WHEN c.year_ago_value IS NULL OR NOT c.year_ago_comparable THEN NULL
             WHEN c.lower_ci95 IS NULL OR c.upper_ci95 IS NULL OR c.year_ago_lower IS NULL
                  OR c.year_ago_upper IS NULL THEN $no_cis
             WHEN c.lower_ci95 > c.year_ago_upper OR c.upper_ci95 < c.year_ago_lower THEN $significant
             ELSE $not_significant END AS year_on_year_significance
    FROM comparable c
    LEFT JOIN ref.label dl ON dl.kind = 'direction' AND dl.polarity = c.polarity AND dl.key = c.change_sign
    LEFT JOIN ref.label yl ON yl.kind = 'direction' AND yl.polarity = c.polarity AND yl.key = c.year_sign
)
SELECT c.indicator_id, c.area_code, c.sex, c.age, c.category_type, c.category, c.latest_period,
    c.recent_trend, c.published_recent_trend, c.trend_check, c.trend_check = $trend_disagrees AS trend_disagrees,
    c.trend_direction, c.trend_reason, c.b AS trend_slope, c.chi2 AS trend_chi2, c.periods_used AS trend_periods,
    $trend_method AS trend_method,
    d.period AS latest_valued_period, d.value AS latest_value, d.previous_period, d.previous_value,
    d.direction_of_travel, d.direction_significance,
    d.year_ago_period, d.year_ago_value, d.direction_year_on_year, d.year_on_year_significance,
    $direction_method AS direction_method
FROM checked c
LEFT JOIN direction d USING (series_id);
