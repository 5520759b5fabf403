-- Targets and RAG, METHODS.md section 7. One row per period of each targeted indicator's series for the
-- target's area (the catalogue target's `area`, e.g. the aggregate Leicester and Leicestershire; else the
-- home area) and the indicator's headline breakdown. Python reference: indicators/methods/targets.py.
-- Target value by kind: value (from its period on, when it names one); trajectory (linear between the
-- baseline and milestones by months between period starts; the last milestone holds after it; times the
-- observed baseline value when baseline_relative); national_average (England, same period).
-- Status at published precision (value and target rounded to the catalogue decimals): Green = met,
-- Amber = missed by no more than the tolerance (tolerance_abs, else tolerance_pct % of the target), Red.
CREATE OR REPLACE TABLE mart.target_status AS
WITH targeted AS (
    SELECT t.indicator_id, t.kind, t.direction, t.description, t.value AS fixed_value, t.value_start,
        t.baseline_relative, t.tolerance_pct, t.tolerance_abs, i.decimals,
        coalesce(t.area_code, (SELECT value FROM ref.setting WHERE key = 'home_area')) AS area_code,
        i.headline_sex AS sex, i.headline_age AS age, i.headline_category_type AS category_type,
        i.headline_category AS category
    FROM ref.target t
    JOIN ref.indicator i USING (indicator_id)
),
series AS (
    SELECT t.*, o.period, o.period_start, o.value, e.value AS england_value, base.value AS baseline_observed
    FROM targeted t
    JOIN mart.observation_current o
      ON o.indicator_id = t.indicator_id AND o.area_code = t.area_code AND o.sex = t.sex AND o.age = t.age
     AND o.category_type = t.category_type AND o.category = t.category
    LEFT JOIN mart.observation_current e
      ON e.area_code = 'E92000001' AND e.indicator_id = o.indicator_id AND e.period = o.period
     AND e.sex = o.sex AND e.age = o.age AND e.category_type = o.category_type AND e.category = o.category
    LEFT JOIN ref.target_point bp ON bp.indicator_id = t.indicator_id AND bp.seq = 0
    LEFT JOIN mart.observation_current base
      ON base.indicator_id = o.indicator_id AND base.area_code = o.area_code AND base.sex = o.sex
     AND base.age = o.age AND base.category_type = o.category_type AND base.category = o.category
     AND base.period_start = bp.period_start
),
segment AS (
    SELECT s.*, a.period_start AS a_start, a.value AS a_value, b.period_start AS b_start, b.value AS b_value
    FROM series s
    ASOF LEFT JOIN ref.target_point a ON a.indicator_id = s.indicator_id AND a.period_start <= s.period_start
    LEFT JOIN ref.target_point b ON b.indicator_id = a.indicator_id AND b.seq = a.seq + 1
),
resolved AS (
    SELECT s.*,
        CASE WHEN s.a_start IS NULL THEN NULL
             WHEN s.b_start IS NULL THEN s.a_value
             ELSE s.a_value + (s.b_value - s.a_value)
                  * ((year(s.period_start) - year(s.a_start)) * 12 + month(s.period_start) - month(s.a_start))
                  / ((year(s.b_start) - year(s.a_start)) * 12 + month(s.b_start) - month(s.a_start))
             END AS factor
    FROM segment s
),
valued AS (
    SELECT r.*,
        CASE r.kind
            WHEN 'national_average' THEN r.england_value
            WHEN 'value' THEN CASE WHEN r.value_start IS NULL OR r.period_start >= r.value_start
                                   THEN r.fixed_value END
            ELSE CASE WHEN NOT r.baseline_relative THEN r.factor ELSE r.baseline_observed * r.factor END
        END AS target_value,
        CASE r.kind
            WHEN 'national_average' THEN CASE WHEN r.england_value IS NULL THEN $target_no_benchmark END
            WHEN 'value' THEN CASE WHEN r.value_start IS NOT NULL AND r.period_start < r.value_start
                                   THEN $target_before_baseline END
            ELSE CASE WHEN r.factor IS NULL THEN $target_before_baseline
                      WHEN r.baseline_relative AND r.baseline_observed IS NULL THEN $target_no_baseline END
        END AS target_reason
    FROM resolved r
),
judged AS (
    SELECT v.*,
        coalesce(v.tolerance_abs, abs(round(v.target_value, v.decimals)) * v.tolerance_pct / 100) AS tolerance,
        CASE WHEN v.direction = 'at_least' THEN round(v.target_value, v.decimals) - round(v.value, v.decimals)
             ELSE round(v.value, v.decimals) - round(v.target_value, v.decimals) END AS shortfall
    FROM valued v
)
SELECT indicator_id, area_code, period, period_start, sex, age, category_type, category, value,
    kind AS target_kind, direction AS target_direction, target_value, tolerance,
    CASE WHEN target_value IS NULL OR value IS NULL THEN NULL
         WHEN shortfall <= 0 THEN $green
         WHEN shortfall <= tolerance THEN $amber
         ELSE $red END AS target_status,
    CASE WHEN target_reason IS NOT NULL THEN target_reason
         WHEN value IS NULL THEN $target_no_value END AS target_reason,
    description AS target_description, $target_method AS method
FROM judged;
