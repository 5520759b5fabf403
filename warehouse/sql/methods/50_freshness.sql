-- Freshness, METHODS.md section 7: which period should be available by the run date ($run_date), and
-- whether the indicator is overdue. Python reference: indicators/methods/freshness.py.
-- A period ending in month M with a publication lag of L months is due from the first day of month
-- M + L + 1; the expected period is the latest one due. Its kind comes from the latest loaded period
-- (fiscal quarter when the label is split-year) or, without data, from the catalogue's frequency and
-- period_convention. Overdue: no data, or the latest loaded period ends before the expected one ends.
CREATE OR REPLACE TABLE mart.freshness AS
WITH latest AS (
    SELECT indicator_id, arg_max(period, period_end) AS latest_period, max(period_end) AS latest_end,
        arg_max(period_type, period_end) AS latest_type,
        arg_max(year(period_end) - year(period_start) + 1, period_end) AS latest_span
    FROM mart.observation_current
    GROUP BY indicator_id
),
kinds AS (
    SELECT i.indicator_id, i.frequency, i.publication_lag_months, l.latest_period, l.latest_end,
        CASE WHEN l.latest_type = 'quarter' AND l.latest_period LIKE '%/%' THEN 'fiscal_quarter'
             WHEN l.latest_type = 'quarter' THEN 'calendar_quarter'
             WHEN l.latest_type IN ('financial_year', 'academic_year', 'calendar_year', 'multi_year', 'month')
             THEN l.latest_type
             WHEN i.frequency = 'quarterly' AND i.period_convention = 'calendar' THEN 'calendar_quarter'
             WHEN i.frequency = 'quarterly' THEN 'fiscal_quarter'
             WHEN i.frequency = 'monthly' THEN 'month'
             WHEN i.frequency = 'multi_year' THEN 'multi_year'
             WHEN i.period_convention = 'academic' THEN 'academic_year'
             WHEN i.period_convention = 'calendar' THEN 'calendar_year'
             ELSE 'financial_year' END AS kind,
        CASE WHEN l.latest_type = 'multi_year' THEN l.latest_span ELSE 3 END AS span,
        -- the latest month (as year * 12 + month - 1) in which a due period can end
        year($run_date::DATE) * 12 + month($run_date::DATE) - 1 - coalesce(i.publication_lag_months, 0) - 1 AS k
    FROM ref.indicator i
    LEFT JOIN latest l USING (indicator_id)
),
annual AS (
    SELECT *,
        (k - (CASE kind WHEN 'financial_year' THEN 3 WHEN 'academic_year' THEN 8 ELSE 12 END - 1)) // 12 AS end_year,
        k - (k - 2) % 3 AS quarter_end
    FROM kinds
),
expected AS (
    SELECT *,
        CASE kind
            WHEN 'financial_year' THEN make_date(end_year, 3, 31)
            WHEN 'academic_year' THEN make_date(end_year, 8, 31)
            WHEN 'calendar_year' THEN make_date(end_year, 12, 31)
            WHEN 'multi_year' THEN make_date(end_year, 12, 31)
            WHEN 'month' THEN last_day(make_date(k // 12, k % 12 + 1, 1))
            ELSE last_day(make_date(quarter_end // 12, quarter_end % 12 + 1, 1))
        END AS expected_end,
        CASE kind
            WHEN 'financial_year' THEN (end_year - 1) || '/' || lpad((end_year % 100)::VARCHAR, 2, '0')
            WHEN 'academic_year' THEN (end_year - 1) || '/' || lpad((end_year % 100)::VARCHAR, 2, '0')
            WHEN 'calendar_year' THEN end_year::VARCHAR
            WHEN 'multi_year' THEN (end_year - span + 1) || '-' || lpad((end_year % 100)::VARCHAR, 2, '0')
            WHEN 'month' THEN (k // 12) || '-' || lpad((k % 12 + 1)::VARCHAR, 2, '0')
            WHEN 'calendar_quarter' THEN (quarter_end // 12) || ' Q' || ((quarter_end % 12) // 3 + 1)
            -- fiscal quarter: Q1 = April-June; the financial year starts in April
            ELSE ((quarter_end - 3) // 12) || '/' || lpad((((quarter_end - 3) // 12 + 1) % 100)::VARCHAR, 2, '0')
                 || ' Q' || (((quarter_end - 3) % 12) // 3 + 1)
        END AS expected_period
    FROM annual
)
SELECT indicator_id, frequency, publication_lag_months, kind AS period_kind, latest_period, latest_end,
    expected_period, expected_end, latest_end IS NULL OR latest_end < expected_end AS overdue,
    $run_date::DATE AS run_date
FROM expected;
