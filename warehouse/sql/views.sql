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
