-- The current revision of every observation, with the catalogue fields the methods need, plus the values
-- the catalogue derives from them. Materialised once per run so every method reads the same rows. Only
-- what the methods read is kept (provenance stays in core.observation and the observations view): at
-- national scale every column written here costs about a second.
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
--
-- series_id: one integer per series (indicator x area x breakdown), which the methods partition and join
-- on. Built from small numberings (the indicator's place in the catalogue, the area's and the breakdown's
-- among the current observations) so that it is unique by construction and costs no pass over the rows:
-- indicator << 40 | area << 20 | breakdown. No CTE over the observations is materialised (DuckDB would
-- write a CTE read twice to memory first): each branch streams from core.observation.
CREATE OR REPLACE TABLE mart.observation_current AS
WITH aggregate_size AS (
    SELECT area_code, count(*) AS n_components FROM ref.aggregate_component GROUP BY area_code
),
aggregated AS (
    SELECT c.indicator_id, ac.area_code, c.period,
        min(c.period_start) AS period_start, max(c.period_end) AS period_end, any_value(c.period_type) AS period_type,
        c.sex, c.age, c.category_type, c.category,
        CASE WHEN i.value_type IN ('count', 'amount', 'currency') THEN sum(c.value)
             ELSE sum(c.count) / sum(c.denominator) * i.multiplier END AS value,
        NULL::DOUBLE AS lower_ci95, NULL::DOUBLE AS upper_ci95, NULL::DOUBLE AS lower_ci998,
        NULL::DOUBLE AS upper_ci998,
        sum(c.count) AS count, sum(c.denominator) AS denominator,
        'sum of ' || string_agg(c.area_code, ' + ' ORDER BY c.area_code) AS value_note,
        NULL::VARCHAR AS published_trend, NULL::VARCHAR AS published_comparison, NULL::VARCHAR AS commentary,
        'aggregate of components' AS derivation
    FROM ref.aggregate_component ac
    JOIN core.observation c ON c.area_code = ac.component_code AND c.superseded_at IS NULL
    JOIN ref.indicator i ON i.indicator_id = c.indicator_id
    JOIN aggregate_size s ON s.area_code = ac.area_code
    WHERE i.value_type IN ('count', 'amount', 'currency', 'proportion', 'crude_rate')
    GROUP BY ac.area_code, c.indicator_id, c.period, c.sex, c.age, c.category_type, c.category,
        i.value_type, i.multiplier, s.n_components
    HAVING count(DISTINCT c.area_code) = s.n_components
       AND CASE WHEN i.value_type IN ('count', 'amount', 'currency') THEN count(c.value)
                ELSE count(c.count + c.denominator) END = s.n_components
),
published_aggregates AS (
    SELECT indicator_id, area_code, period, sex, age, category_type, category
    FROM core.observation
    WHERE superseded_at IS NULL AND area_code IN (SELECT area_code FROM aggregate_size)
),
combined AS (
    SELECT indicator_id, area_code, period, period_start, period_end, period_type, sex, age, category_type,
        category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998, count, denominator, value_note,
        published_trend, published_comparison, commentary, 'source' AS derivation
    FROM core.observation
    WHERE superseded_at IS NULL
    UNION ALL BY NAME
    SELECT a.* FROM aggregated a ANTI JOIN published_aggregates p USING (indicator_id, area_code, period, sex, age,
                                                                           category_type, category)
),
area_number AS (
    SELECT area_code, row_number() OVER (ORDER BY area_code) AS n
    FROM (SELECT DISTINCT area_code FROM core.observation WHERE superseded_at IS NULL
          UNION SELECT area_code FROM aggregate_size)
),
breakdown_number AS (
    SELECT sex, age, category_type, category, row_number() OVER (ORDER BY sex, age, category_type, category) AS n
    FROM (SELECT DISTINCT sex, age, category_type, category FROM core.observation WHERE superseded_at IS NULL)
),
indicator_number AS (
    SELECT *, row_number() OVER (ORDER BY indicator_id) AS n FROM ref.indicator
),
catalogued AS NOT MATERIALIZED (
    SELECT c.*, i.polarity, i.decimals, i.comparator_group, i.value_type, i.multiplier,
        i.cumulative_from, i.cumulative_from_start,
        CASE WHEN a.n < 1048576 AND b.n < 1048576 THEN (i.n << 40) | (a.n << 20) | b.n
             ELSE error('more than 2^20 areas or breakdowns: series_id cannot number them') END AS series_id
    FROM combined c
    JOIN indicator_number i USING (indicator_id)
    JOIN area_number a USING (area_code)
    JOIN breakdown_number b USING (sex, age, category_type, category)
),
derived AS (
    SELECT * FROM catalogued WHERE cumulative_from IS NULL
    UNION ALL
    -- Only the (few) running-total indicators go through the window.
    SELECT * REPLACE (
            CASE WHEN count(value) OVER run = date_diff('year', cumulative_from_start, period_start) + 1
                 THEN sum(value) OVER run END AS value,
            NULL::DOUBLE AS lower_ci95, NULL::DOUBLE AS upper_ci95, NULL::DOUBLE AS lower_ci998,
            NULL::DOUBLE AS upper_ci998, NULL::DOUBLE AS count,
            CASE WHEN count(value) OVER run = date_diff('year', cumulative_from_start, period_start) + 1
                 THEN 'running total since ' || cumulative_from
                 ELSE 'running total not available: a year since ' || cumulative_from || ' has no value'
                 END AS value_note,
            derivation || ', running total' AS derivation)
    FROM catalogued
    WHERE cumulative_from IS NOT NULL AND period_start >= cumulative_from_start
    WINDOW run AS (PARTITION BY series_id ORDER BY period_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT indicator_id, area_code, period, period_start, period_end, period_type, sex, age, category_type, category,
    value, lower_ci95, upper_ci95, lower_ci998, upper_ci998, count, denominator, value_note, published_trend,
    published_comparison, commentary, derivation, polarity, decimals, comparator_group, value_type, multiplier,
    CASE WHEN lower_ci95 IS NOT NULL AND upper_ci95 IS NOT NULL THEN 'published' END AS ci_method,
    series_id
FROM derived;
