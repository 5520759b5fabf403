-- The current revision of every observation, with the catalogue fields the methods need, plus the values
-- the catalogue derives from them. Materialised once per run so every method reads the same rows.
--
-- Derived rows (column derivation):
-- * 'aggregate of components': an aggregate area (ref.aggregate_component, e.g. Leicester and
--   Leicestershire) as the sum of its components where the value type allows: counts, amounts and
--   currency are summed; proportions and crude rates are re-formed from summed counts and denominators.
--   Only when every component has the period, and only where the source does not publish the aggregate.
-- * 'running total': for an indicator with cumulative_from, each value is the sum of the series' values
--   from that period on (cumulative net additional dwellings since 2011/12); NULL, with a note, when a
--   year since then has no value. Periods before cumulative_from are not part of such an indicator.
-- Missing 95%/99.8% limits are derived from counts afterwards (warehouse.compute, Wilson/Byar); the column
-- ci_method says where each row's limits come from.
CREATE OR REPLACE TABLE mart.observation_current AS
WITH source_rows AS (
    SELECT o.* EXCLUDE (superseded_at), 'source' AS derivation
    FROM core.observation o
    WHERE o.superseded_at IS NULL
),
aggregate_size AS (
    SELECT area_code, count(*) AS n_components FROM ref.aggregate_component GROUP BY area_code
),
aggregated AS (
    SELECT NULL::BIGINT AS load_id, c.indicator_id, ac.area_code, c.period,
        min(c.period_start) AS period_start, max(c.period_end) AS period_end, any_value(c.period_type) AS period_type,
        c.sex, c.age, c.category_type, c.category,
        CASE WHEN i.value_type IN ('count', 'amount', 'currency') THEN sum(c.value)
             ELSE sum(c.count) / sum(c.denominator) * i.multiplier END AS value,
        NULL::DOUBLE AS lower_ci95, NULL::DOUBLE AS upper_ci95, NULL::DOUBLE AS lower_ci998,
        NULL::DOUBLE AS upper_ci998,
        sum(c.count) AS count, sum(c.denominator) AS denominator,
        'sum of ' || string_agg(c.area_code, ' + ' ORDER BY c.area_code) AS value_note,
        NULL::VARCHAR AS published_trend, NULL::VARCHAR AS published_comparison, NULL::VARCHAR AS commentary,
        any_value(c.source_id) AS source_id, NULL::VARCHAR AS source_file, NULL::BIGINT AS source_row,
        NULL::VARCHAR AS file_checksum, max(c.loaded_at) AS loaded_at, 'aggregate of components' AS derivation
    FROM ref.aggregate_component ac
    JOIN source_rows c ON c.area_code = ac.component_code
    JOIN ref.indicator i ON i.indicator_id = c.indicator_id
    JOIN aggregate_size s ON s.area_code = ac.area_code
    WHERE i.value_type IN ('count', 'amount', 'currency', 'proportion', 'crude_rate')
    GROUP BY ac.area_code, c.indicator_id, c.period, c.sex, c.age, c.category_type, c.category,
        i.value_type, i.multiplier, s.n_components
    HAVING count(DISTINCT c.area_code) = s.n_components
       AND CASE WHEN i.value_type IN ('count', 'amount', 'currency') THEN count(c.value)
                ELSE count(c.count + c.denominator) END = s.n_components
),
combined AS (
    SELECT * FROM source_rows
    UNION ALL BY NAME
    SELECT a.* FROM aggregated a
    WHERE NOT EXISTS (
        SELECT 1 FROM source_rows s
        WHERE s.indicator_id = a.indicator_id AND s.area_code = a.area_code AND s.period = a.period
          AND s.sex = a.sex AND s.age = a.age AND s.category_type = a.category_type AND s.category = a.category)
),
catalogued AS (
    SELECT c.*, i.polarity, i.decimals, i.frequency, i.comparator_group, i.value_type, i.multiplier,
        i.cumulative_from, i.cumulative_from_start
    FROM combined c
    JOIN ref.indicator i USING (indicator_id)
),
running AS (
    -- Only the (few) running-total indicators go through the window.
    SELECT c.* REPLACE (
            CASE WHEN count(c.value) OVER run = date_diff('year', c.cumulative_from_start, c.period_start) + 1
                 THEN sum(c.value) OVER run END AS value,
            NULL::DOUBLE AS lower_ci95, NULL::DOUBLE AS upper_ci95, NULL::DOUBLE AS lower_ci998,
            NULL::DOUBLE AS upper_ci998, NULL::DOUBLE AS count,
            CASE WHEN count(c.value) OVER run = date_diff('year', c.cumulative_from_start, c.period_start) + 1
                 THEN 'running total since ' || c.cumulative_from
                 ELSE 'running total not available: a year since ' || c.cumulative_from || ' has no value'
                 END AS value_note,
            c.derivation || ', running total' AS derivation)
    FROM catalogued c
    WHERE c.cumulative_from IS NOT NULL AND c.period_start >= c.cumulative_from_start
    WINDOW run AS (PARTITION BY c.indicator_id, c.area_code, c.sex, c.age, c.category_type, c.category
                   ORDER BY c.period_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
derived AS (
    SELECT * EXCLUDE (cumulative_from, cumulative_from_start) FROM catalogued WHERE cumulative_from IS NULL
    UNION ALL
    SELECT * EXCLUDE (cumulative_from, cumulative_from_start) FROM running
),
series AS (
    -- one integer per series (indicator x area x breakdown): the methods partition and join on it
    SELECT *, row_number() OVER () AS series_id
    FROM (SELECT DISTINCT indicator_id, area_code, sex, age, category_type, category FROM derived)
)
SELECT d.*,
    CASE WHEN d.lower_ci95 IS NOT NULL AND d.upper_ci95 IS NOT NULL THEN 'published' END AS ci_method,
    s.series_id
FROM derived d
JOIN series s USING (indicator_id, area_code, sex, age, category_type, category);
