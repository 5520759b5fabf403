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
-- Series are grouped and joined on series_id (one integer per series, from observation_current). No
-- window and no sort over the observations: one aggregation per series keeps its 5 most recent valid
-- points (arg_max with n = 5, newest first, so point i has t = 6 - i) and the sums come from that list;
-- the direction of travel (below) is a second aggregation over the rows of the latest row's period type.
CREATE OR REPLACE TABLE mart.trend AS
WITH series AS (
    SELECT series_id, any_value(indicator_id) AS indicator_id, any_value(area_code) AS area_code,
        any_value(sex) AS sex, any_value(age) AS age, any_value(category_type) AS category_type,
        any_value(category) AS category,
        arg_max(period, period_start) AS latest_period,
        arg_max_null(published_trend, period_start) AS published_recent_trend,  -- the latest row's, even if NULL
        any_value(polarity) AS polarity, any_value(decimals) AS decimals,
        any_value(comparator_group) AS comparator_group,
        coalesce(min(period_type) = max(period_type)
                 AND bool_and(period_type IN ('financial_year', 'calendar_year', 'academic_year')), false) AS annual,
        count(*) FILTER (WHERE valid) AS n_valid,
        arg_max({'period': period, 'y': value, 'w': power(3.92 / (upper_ci95 - lower_ci95), 2)}, period_start, 5)
            FILTER (WHERE valid) AS recent,
        arg_max({'period': period, 'start': period_start, 'end': period_end, 'type': period_type, 'value': value,
                 'lower': lower_ci95, 'upper': upper_ci95}, period_start)
            FILTER (WHERE value IS NOT NULL) AS latest_valued
    FROM (SELECT *, value IS NOT NULL AND lower_ci95 IS NOT NULL AND upper_ci95 IS NOT NULL
                    AND upper_ci95 > lower_ci95 AS valid
          FROM mart.observation_current)
    GROUP BY series_id
),
sums AS (
    SELECT series_id, recent,
        len(recent) AS k,
        list_sum(list_transform(recent, lambda p: p.w)) AS sw,
        list_sum(list_transform(recent, lambda p, i: p.w * (6 - i))) AS swt,
        list_sum(list_transform(recent, lambda p: p.w * p.y)) AS swy,
        list_sum(list_transform(recent, lambda p, i: p.w * (6 - i) * p.y)) AS swty,
        list_sum(list_transform(recent, lambda p, i: p.w * (6 - i) * (6 - i))) AS swt2,
        list_reverse(list_transform(recent, lambda p: p.period)) AS periods_used
    FROM series
    WHERE recent IS NOT NULL
),
fit AS (
    SELECT *, (sw * swty - swt * swy) / (sw * swt2 - swt * swt) AS b,
        sw / (sw * swt2 - swt * swt) AS var_b
    FROM sums WHERE k = 5
),
loo AS (
    -- each point left out in turn (closed form from the sums); the flip reported is the oldest point's
    SELECT series_id, b,
        list_filter(list_transform(recent, lambda p, i: {'period': p.period, 'flips': sign(
            ((sw - p.w) * (swty - p.w * (6 - i) * p.y) - (swt - p.w * (6 - i)) * (swy - p.w * p.y))
            / ((sw - p.w) * (swt2 - p.w * (6 - i) * (6 - i)) - (swt - p.w * (6 - i)) * (swt - p.w * (6 - i))))
            <> sign(b)}), lambda x: x.flips)[-1].period AS loo_flip_period
    FROM fit
),
recent AS (
    SELECT s.* EXCLUDE (recent), f.b, f.b * f.b / f.var_b AS chi2, f.periods_used, l.loo_flip_period
    FROM series s
    LEFT JOIN fit f USING (series_id)
    LEFT JOIN loo l USING (series_id)
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
latest AS (
    -- the latest row with a value (from series), the one before it of the same period type, and (quarters,
    -- months) the same period a year earlier: one aggregation over the rows of the latest row's period type
    SELECT s.series_id, any_value(s.latest_valued) AS l,
        arg_max({'period': o.period, 'start': o.period_start, 'end': o.period_end, 'value': o.value,
                 'lower': o.lower_ci95, 'upper': o.upper_ci95}, o.period_start)
            FILTER (WHERE o.period_start < s.latest_valued.start) AS previous,
        any_value({'period': o.period, 'start': o.period_start, 'end': o.period_end, 'value': o.value,
                   'lower': o.lower_ci95, 'upper': o.upper_ci95})
            FILTER (WHERE s.latest_valued.type IN ('quarter', 'month')
                    AND o.period_start = s.latest_valued.start - INTERVAL 1 YEAR) AS year_ago
    FROM series s
    JOIN mart.observation_current o
      ON o.series_id = s.series_id AND o.period_type = s.latest_valued.type AND o.value IS NOT NULL
    GROUP BY s.series_id
),
flat AS (
    SELECT series_id, l.period, l.start AS period_start, l.end AS period_end, l.type AS period_type, l.value,
        l.lower AS lower_ci95, l.upper AS upper_ci95,
        previous.period AS previous_period, previous.start AS previous_start, previous.end AS previous_end,
        previous.value AS previous_value, previous.lower AS previous_lower, previous.upper AS previous_upper,
        year_ago.period AS year_ago_period, year_ago.start AS year_ago_start, year_ago.end AS year_ago_end,
        year_ago.value AS year_ago_value, year_ago.lower AS year_ago_lower, year_ago.upper AS year_ago_upper
    FROM latest
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
    FROM flat l
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
