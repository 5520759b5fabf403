-- Recent trend, METHODS.md section 3 (FingertipsNext variant), for every series at once, plus direction
-- of travel (section 4). One row per series (indicator x area x breakdown) at its latest period.
--
-- WLS on t = 1..5 over the 5 most recent valid points (value and both 95% limits, UCI > LCI; gaps
-- allowed): w = (3.92 / (UCI - LCI))^2, b = (Sw*Swty - Swt*Swy) / (Sw*Swt2 - Swt^2), Var(b) = Sw / (...),
-- chi2 = b^2 / Var(b). Leave-one-out slopes come from the same sums minus one point (closed form), each
-- point keeping its original t. Significant when chi2 > $chi2_threshold and every LOO slope has b's sign.
CREATE OR REPLACE TABLE mart.trend AS
WITH series_latest AS (
    SELECT indicator_id, area_code, sex, age, category_type, category,
        arg_max(period, period_start) AS latest_period,
        arg_max(published_trend, period_start) AS published_recent_trend,
        any_value(polarity) AS polarity, any_value(frequency) AS frequency,
        any_value(decimals) AS decimals,
        bool_and(period_type IN ('financial_year', 'calendar_year', 'academic_year')) AS annual
    FROM mart.observation_current
    GROUP BY ALL
),
valid AS (
    SELECT o.indicator_id, o.area_code, o.sex, o.age, o.category_type, o.category, o.period, o.period_start,
        o.value AS y, power(3.92 / (o.upper_ci95 - o.lower_ci95), 2) AS w,
        row_number() OVER (PARTITION BY o.indicator_id, o.area_code, o.sex, o.age, o.category_type, o.category
                           ORDER BY o.period_start DESC) AS recency
    FROM mart.observation_current o
    WHERE o.period_type IN ('financial_year', 'calendar_year', 'academic_year')
      AND o.value IS NOT NULL AND o.lower_ci95 IS NOT NULL AND o.upper_ci95 IS NOT NULL
      AND o.upper_ci95 > o.lower_ci95
),
points AS (
    SELECT *, (6 - recency)::DOUBLE AS t FROM valid WHERE recency <= 5
),
sums AS (
    SELECT indicator_id, area_code, sex, age, category_type, category,
        count(*) AS k, sum(w) AS sw, sum(w * t) AS swt, sum(w * y) AS swy, sum(w * t * y) AS swty,
        sum(w * t * t) AS swt2, list(period ORDER BY t) AS periods_used
    FROM points GROUP BY ALL
),
fit AS (
    SELECT *, (sw * swty - swt * swy) / (sw * swt2 - swt * swt) AS b,
        sw / (sw * swt2 - swt * swt) AS var_b
    FROM sums WHERE k = 5
),
loo AS (
    SELECT f.indicator_id, f.area_code, f.sex, f.age, f.category_type, f.category,
        bool_and(sign(((f.sw - p.w) * (f.swty - p.w * p.t * p.y) - (f.swt - p.w * p.t) * (f.swy - p.w * p.y))
                      / ((f.sw - p.w) * (f.swt2 - p.w * p.t * p.t) - power(f.swt - p.w * p.t, 2)))
                 = sign(f.b)) AS loo_agrees
    FROM fit f JOIN points p USING (indicator_id, area_code, sex, age, category_type, category)
    GROUP BY ALL
),
recent AS (
    SELECT s.*, f.b, f.b * f.b / f.var_b AS chi2, f.periods_used, coalesce(v.n_valid, 0) AS n_valid,
        l.loo_agrees
    FROM series_latest s
    LEFT JOIN fit f USING (indicator_id, area_code, sex, age, category_type, category)
    LEFT JOIN loo l USING (indicator_id, area_code, sex, age, category_type, category)
    LEFT JOIN (SELECT indicator_id, area_code, sex, age, category_type, category, count(*) AS n_valid
               FROM valid GROUP BY ALL) v USING (indicator_id, area_code, sex, age, category_type, category)
),
labelled AS (
    SELECT r.*,
        CASE WHEN NOT r.annual OR r.frequency <> 'annual' THEN $cannot
             WHEN r.b IS NULL THEN $cannot
             WHEN r.chi2 > $chi2_threshold AND r.loo_agrees AND sign(r.b) <> 0 THEN lt.label
             ELSE $no_change END AS recent_trend,
        CASE WHEN NOT r.annual OR r.frequency <> 'annual' THEN 'trend is tested on annual, non-overlapping periods only'
             WHEN r.b IS NULL THEN r.n_valid || ' valid points with confidence intervals; 5 needed'
             WHEN r.chi2 > $chi2_threshold AND NOT r.loo_agrees THEN 'a leave-one-out slope changes sign'
             END AS trend_reason
    FROM recent r
    LEFT JOIN ref.label lt ON lt.kind = 'trend' AND lt.polarity = r.polarity AND lt.key = sign(r.b)
),
-- Direction of travel: the latest value against the previous period with a value (and, for quarterly
-- series, the same quarter a year earlier), judged at the indicator's published precision.
valued AS (
    SELECT o.*, row_number() OVER (PARTITION BY indicator_id, area_code, sex, age, category_type, category
                                   ORDER BY period_start DESC) AS recency
    FROM mart.observation_current o WHERE o.value IS NOT NULL
),
latest_two AS (
    SELECT a.indicator_id, a.area_code, a.sex, a.age, a.category_type, a.category, a.polarity, a.decimals,
        a.period AS latest_valued_period, a.period_start AS latest_start, a.value AS latest_value,
        a.lower_ci95 AS latest_lcl, a.upper_ci95 AS latest_ucl,
        b.period AS previous_period, b.period_start AS previous_start, b.value AS previous_value,
        b.lower_ci95 AS previous_lcl, b.upper_ci95 AS previous_ucl,
        y.period AS year_ago_period, y.value AS year_ago_value
    FROM valued a
    LEFT JOIN valued b ON b.recency = 2 AND b.indicator_id = a.indicator_id AND b.area_code = a.area_code
        AND b.sex = a.sex AND b.age = a.age AND b.category_type = a.category_type AND b.category = a.category
    LEFT JOIN valued y ON a.period_type = 'quarter' AND y.indicator_id = a.indicator_id
        AND y.area_code = a.area_code AND y.sex = a.sex AND y.age = a.age
        AND y.category_type = a.category_type AND y.category = a.category
        AND y.period_start = a.period_start - INTERVAL 1 YEAR
    WHERE a.recency = 1
),
direction AS (
    SELECT t.*,
        EXISTS (SELECT 1 FROM ref.break_note bn WHERE bn.indicator_id = t.indicator_id
                AND bn.period_start > t.previous_start AND bn.period_start <= t.latest_start) AS across_break,
        sign(round(t.latest_value, t.decimals) - round(t.previous_value, t.decimals))::INTEGER AS change_sign,
        sign(round(t.latest_value, t.decimals) - round(t.year_ago_value, t.decimals))::INTEGER AS year_sign
    FROM latest_two t
)
SELECT l.indicator_id, l.area_code, l.sex, l.age, l.category_type, l.category, l.latest_period,
    l.recent_trend, l.published_recent_trend,
    CASE WHEN l.published_recent_trend IS NULL OR l.published_recent_trend = '' THEN 'not published'
         WHEN l.recent_trend = $cannot OR l.published_recent_trend ILIKE 'Cannot%'
              OR l.published_recent_trend ILIKE 'Could not%' THEN 'insufficient history'
         WHEN l.recent_trend = l.published_recent_trend THEN 'agrees'
         ELSE 'disagrees' END AS trend_check,
    (l.recent_trend <> $cannot AND coalesce(l.published_recent_trend, '') NOT IN ('')
     AND NOT (l.published_recent_trend ILIKE 'Cannot%' OR l.published_recent_trend ILIKE 'Could not%')
     AND l.recent_trend <> l.published_recent_trend) AS trend_disagrees,
    l.trend_reason, l.b AS trend_slope, l.chi2 AS trend_chi2, l.periods_used AS trend_periods,
    $trend_method AS trend_method,
    d.latest_valued_period, d.latest_value, d.previous_period, d.previous_value,
    CASE WHEN d.previous_value IS NULL THEN NULL
         WHEN d.across_break THEN $not_comparable
         ELSE dl.label END AS direction_of_travel,
    CASE WHEN d.previous_value IS NULL OR d.across_break THEN NULL
         WHEN d.latest_lcl IS NULL OR d.previous_lcl IS NULL THEN 'no confidence intervals'
         WHEN d.latest_lcl > d.previous_ucl OR d.latest_ucl < d.previous_lcl THEN 'significant'
         ELSE 'not significant' END AS direction_significance,
    d.year_ago_period, d.year_ago_value,
    CASE WHEN d.year_ago_value IS NULL THEN NULL ELSE yl.label END AS direction_year_on_year,
    $direction_method AS direction_method
FROM labelled l
LEFT JOIN direction d USING (indicator_id, area_code, sex, age, category_type, category)
LEFT JOIN ref.label dl ON dl.kind = 'direction' AND dl.polarity = d.polarity AND dl.key = d.change_sign
LEFT JOIN ref.label yl ON yl.kind = 'direction' AND yl.polarity = d.polarity AND yl.key = d.year_sign;
