-- Analyst-facing views: stable names, documented with COMMENT ON. Key columns are named as in the
-- canonical observation. Analysts open the published file read-only; these are what they query.
CREATE OR REPLACE VIEW indicators AS SELECT * FROM ref.indicator;
COMMENT ON VIEW indicators IS 'The indicator catalogue: one row per indicator with outcome, polarity, value type, unit, source of record and comparator group.';

CREATE OR REPLACE VIEW areas AS SELECT * FROM ref.area;
COMMENT ON VIEW areas IS 'Area register: GSS code, name, type and validity dates (abolished county councils included).';

CREATE OR REPLACE VIEW comparator_groups AS SELECT group_id, group_name, area_code, valid_from, valid_to FROM ref.comparator_group;
COMMENT ON VIEW comparator_groups IS 'Comparator group membership with validity dates; a member counts in a period when valid on its end date.';

CREATE OR REPLACE VIEW observations AS
SELECT indicator_id, area_code, period, period_start, period_end, period_type, sex, age, category_type,
    category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998, count, denominator, value_note,
    published_trend, published_comparison, commentary, source_id, source_file, source_row, load_id, loaded_at
FROM core.observation WHERE superseded_at IS NULL;
COMMENT ON VIEW observations IS 'Current revision of every observation (indicator x area x period x breakdown).';

CREATE OR REPLACE VIEW observation_history AS SELECT * FROM core.observation;
COMMENT ON VIEW observation_history IS 'Every revision of every observation, with loaded_at and superseded_at (NULL = current).';

CREATE OR REPLACE VIEW quartile_positions AS SELECT * FROM mart.quartile_position;
COMMENT ON VIEW quartile_positions IS 'Rank and quartile of each area within its comparator group per indicator, period and breakdown (method phe_quantile_4), with comparator min, Q1, median, Q3, max and mean.';

CREATE OR REPLACE VIEW trends AS SELECT * FROM mart.trend;
COMMENT ON VIEW trends IS 'One row per series at its latest period: recent trend (fingertips_next_wls) beside the published trend, trend_check and trend_disagrees, and direction of travel.';

CREATE OR REPLACE VIEW benchmark_comparisons AS SELECT * FROM mart.benchmark_comparison;
COMMENT ON VIEW benchmark_comparisons IS 'Each area value compared with England (CI overlapping reference value, 95%).';

CREATE OR REPLACE VIEW target_status AS SELECT * FROM mart.target_status;
COMMENT ON VIEW target_status IS 'Target RAG per period for each indicator with a target, for the target area and headline breakdown: target value (fixed, trajectory or England), tolerance, Green/Amber/Red at published precision, and the reason when there is none.';

CREATE OR REPLACE VIEW freshness AS SELECT * FROM mart.freshness;
COMMENT ON VIEW freshness IS 'One row per catalogue indicator: the period expected by the run date from frequency and publication lag, the latest loaded period, and overdue.';

CREATE OR REPLACE VIEW outcome_board AS SELECT * FROM mart.outcome_board;
COMMENT ON VIEW outcome_board IS 'One row per catalogue indicator for the home area and headline breakdown: latest value, direction of travel, quartile and rank, England comparison, recent trend; status no data where none.';

CREATE OR REPLACE VIEW rejected_rows AS
SELECT r.load_id, r.source_file, r.source_row, r.column_name, r.value, r.reason, l.started_at AS loaded_at
FROM core.rejected_row r JOIN core.load l USING (load_id);
COMMENT ON VIEW rejected_rows IS 'Every rejected row: file, row number, column, offending value and reason.';

CREATE OR REPLACE VIEW loads AS
SELECT load_id, source_file, source_path, checksum, adapter, rows_read, rows_accepted, rows_rejected,
    rows_skipped, skip_reasons, rows_new, rows_revised, rows_unchanged, status, message, is_sample,
    started_at, finished_at, withdrawn_at
FROM core.load;
COMMENT ON VIEW loads IS 'One row per file judged: checksum, adapter, rows read = accepted + rejected + skipped (with skip reasons), status and message.';

-- Methods (issue 6): columns of the method views and the outcome board.
COMMENT ON COLUMN quartile_positions.rank IS 'Rank best-first by polarity (highest first for no judgement); ties take the best rank (RANK()).';
COMMENT ON COLUMN quartile_positions.n_comparators IS 'Members of the group valid at the period end with a value, the home area included.';
COMMENT ON COLUMN quartile_positions.quartile IS 'phe_quantile_4: 5 - ceil(4 * (n + 1 - rank) / n); 1 = best 25%; NULL when fewer than 4 comparators.';
COMMENT ON COLUMN quartile_positions.is_indicator_group IS 'True for the comparator group the catalogue names for the indicator (the one the outcome board shows).';
COMMENT ON COLUMN quartile_positions.listed_in_group IS 'False for the home area ranked in a group whose list does not name it.';
COMMENT ON COLUMN quartile_positions.comparator_q1 IS 'Type-7 lower quartile of the comparators (quantile_cont = Excel QUARTILE.INC), for spine charts.';
COMMENT ON COLUMN quartile_positions.position_against_median IS 'Better/worse than the comparator median by polarity (above/below for no judgement); NULL when not ranked.';
COMMENT ON COLUMN trends.recent_trend IS 'Our recent trend (fingertips_next_wls): 5 most recent valid annual points, CI-weighted least squares, chi-square > 9.5495 and every leave-one-out slope of the same sign.';
COMMENT ON COLUMN trends.published_recent_trend IS 'The source''s own Recent Trend label on the latest row (Fingertips), if any.';
COMMENT ON COLUMN trends.trend_check IS 'agrees / disagrees / insufficient history / not published: our recent trend against the published one.';
COMMENT ON COLUMN trends.trend_disagrees IS 'True only when both labels are calculable and differ: a published label that contradicts the data.';
COMMENT ON COLUMN trends.trend_reason IS 'Why the trend cannot be calculated, or why a chi-square-significant slope is No significant change (leave-one-out).';
COMMENT ON COLUMN trends.trend_periods IS 'The 5 periods the regression used (t = 1..5, oldest first).';
COMMENT ON COLUMN trends.direction_of_travel IS 'Latest against the previous period with a value, at published precision: Improving/Worsening/No change (Increasing/Decreasing for no judgement); Not comparable across a break note or a comparator-group change.';
COMMENT ON COLUMN trends.direction_significance IS 'significant only when the two 95% CIs do not overlap; not tested without CIs.';
COMMENT ON COLUMN trends.direction_year_on_year IS 'Quarterly and monthly series: latest against the same period a year earlier.';
COMMENT ON COLUMN benchmark_comparisons.compared_with_england IS 'Better/Similar/Worse (Higher/Similar/Lower for no judgement): England inside the 95% CI -> Similar; Not compared without a CI.';
COMMENT ON COLUMN benchmark_comparisons.compared_with_england_two_level IS 'Best/Better/Similar/Worse/Worst using the 95% and 99.8% CIs.';
COMMENT ON COLUMN benchmark_comparisons.comparison_disagrees IS 'True when the source''s published comparison is a judgement that differs from ours.';
COMMENT ON COLUMN benchmark_comparisons.ci_method IS 'Where the limits come from: published, or derived from counts (wilson, byar).';
COMMENT ON COLUMN target_status.target_status IS 'Green = met, Amber = missed within tolerance, Red = missed by more; value and target rounded to the published decimals.';
COMMENT ON COLUMN target_status.target_value IS 'The target for this period: fixed value, trajectory interpolated from baseline to milestones, or the England value.';
COMMENT ON COLUMN freshness.expected_period IS 'The latest period due by run_date: a period ending in month M with lag L months is due from the first day of month M + L + 1.';
COMMENT ON COLUMN freshness.overdue IS 'True when there is no data or the latest loaded period ends before the expected period.';
COMMENT ON COLUMN outcome_board.rank_text IS 'Rank among the indicator''s comparator group as a committee reads it, e.g. 6th of 21 county councils.';
COMMENT ON COLUMN outcome_board.target_value IS 'The target for the latest period (see target_status).';
COMMENT ON COLUMN outcome_board.target_status IS 'Green/Amber/Red for the latest period, NULL without a target or value.';
COMMENT ON COLUMN outcome_board.target_description IS 'The target in the plan''s words (catalogue).';
COMMENT ON COLUMN outcome_board.overdue IS 'The latest period is older than frequency and publication lag allow at the run date.';
COMMENT ON COLUMN outcome_board.expected_period IS 'What should be available by the run date.';
COMMENT ON COLUMN outcome_board.derivation IS 'source, aggregate of components, and/or running total: how the latest value was formed.';
