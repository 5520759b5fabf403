-- Analyst-facing views in schema main: stable names, documented with COMMENT ON (the view here, every
-- column in comments.sql, applied after this file at every publish: CREATE OR REPLACE drops comments).
-- Key columns are named as in the canonical observation. Analysts open the published file read-only;
-- these views (and the observations_as_at macro) are what they query. Raw and intermediate tables live in
-- schemas ref, core and mart and may change; these names do not.
CREATE OR REPLACE VIEW indicators AS
SELECT i.indicator_id, i.name, i.outcome_id, i.outcome_name, i.sub_outcome, i.sub_outcome_name, i.success_measure,
    i.polarity, i.value_type, i.unit, i.multiplier, i.decimals, i.frequency, i.period_convention,
    i.publication_lag_months, i.source_id, i.source_selector, i.headline_sex, i.headline_age,
    i.headline_category_type, i.headline_category, i.comparator_group, i.statutory, i.lead_board,
    i.target_description, i.also_reported_in,
    (SELECT string_agg(b.period || ': ' || b.note, '; ' ORDER BY b.period_start)
     FROM ref.break_note b WHERE b.indicator_id = i.indicator_id) AS break_notes
FROM ref.indicator i;
COMMENT ON VIEW indicators IS 'The indicator catalogue: one row per indicator with its outcome, polarity, value type, unit, source of record, headline breakdown, comparator group and target.';

CREATE OR REPLACE VIEW areas AS
SELECT a.area_code, a.area_name, a.area_type, a.valid_from, a.valid_to,
    (SELECT list(c.component_code ORDER BY c.component_code) FROM ref.aggregate_component c
     WHERE c.area_code = a.area_code) AS components
FROM ref.area a;
COMMENT ON VIEW areas IS 'The area register: GSS code, name, type and validity dates (abolished county councils included); aggregate areas list their component areas.';

CREATE OR REPLACE VIEW comparator_groups AS
SELECT group_id, group_name, area_code, valid_from, valid_to FROM ref.comparator_group;
COMMENT ON VIEW comparator_groups IS 'Comparator group membership with validity dates: an area counts as a member for a period when it is valid on the period''s end date.';

CREATE OR REPLACE VIEW observations AS
SELECT indicator_id, area_code, period, period_start, period_end, period_type, sex, age, category_type,
    category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998, count, denominator, value_note,
    published_trend, published_comparison, commentary, source_id, source_file, source_row, load_id,
    revision_id, change, loaded_at
FROM core.observation WHERE superseded_at IS NULL;
COMMENT ON VIEW observations IS 'The current revision of every observation: one row per indicator x area x period x breakdown (sex, age, category), with the file and row it came from.';

CREATE OR REPLACE VIEW observation_history AS
SELECT o.indicator_id, o.area_code, o.period, o.period_start, o.period_end, o.period_type, o.sex, o.age,
    o.category_type, o.category, o.value, o.lower_ci95, o.upper_ci95, o.lower_ci998, o.upper_ci998, o.count,
    o.denominator, o.value_note, o.published_trend, o.published_comparison, o.commentary, o.source_id,
    o.source_file, o.source_row, o.file_checksum, o.load_id, o.revision_id, o.change, o.reinstates_revision,
    o.loaded_at, o.superseded_at, o.superseded_by, o.superseded_by_load, o.superseded_at IS NULL AS is_current,
    l.withdrawn_at IS NOT NULL AS load_withdrawn
FROM core.observation o JOIN core.load l USING (load_id);
COMMENT ON VIEW observation_history IS 'Every revision of every observation, current or not: each was what the warehouse said from loaded_at until superseded_at (NULL = still current). Nothing is ever deleted.';

-- What the warehouse said at a moment: the revisions current then. Same rule as warehouse/sql/as_at.sql,
-- which rebuilds a whole warehouse as at a moment (outcomes query --as-at) so derived figures match too.
CREATE OR REPLACE MACRO observations_as_at(as_at) AS TABLE
SELECT indicator_id, area_code, period, period_start, period_end, period_type, sex, age, category_type,
    category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998, count, denominator, value_note,
    published_trend, published_comparison, commentary, source_id, source_file, source_row, load_id,
    revision_id, change, loaded_at
FROM core.observation
WHERE loaded_at <= CAST(as_at AS TIMESTAMP) AND (superseded_at IS NULL OR superseded_at > CAST(as_at AS TIMESTAMP));
COMMENT ON MACRO TABLE observations_as_at IS 'observations_as_at(TIMESTAMP ''2024-07-01 23:59:59''): the observations view as it stood at that moment (the revisions current then), with the same columns as observations.';

CREATE OR REPLACE VIEW quartile_positions AS SELECT * FROM mart.quartile_position;
COMMENT ON VIEW quartile_positions IS 'Rank and quartile of each area within its comparator group per indicator, period and breakdown (method phe_quantile_4), with comparator min, Q1, median, Q3, max and mean.';

CREATE OR REPLACE VIEW trends AS SELECT * FROM mart.trend;
COMMENT ON VIEW trends IS 'One row per series (indicator x area x breakdown) at its latest period: recent trend (fingertips_next_wls) beside the published trend, trend_check and trend_disagrees, and direction of travel.';

CREATE OR REPLACE VIEW benchmark_comparisons AS SELECT * FROM mart.benchmark_comparison;
COMMENT ON VIEW benchmark_comparisons IS 'Each area value compared with England (method ci_overlapping_reference_95: England inside the area''s 95% CI = Similar).';

CREATE OR REPLACE VIEW target_status AS SELECT * FROM mart.target_status;
COMMENT ON VIEW target_status IS 'Target RAG per period for each indicator with a target, for the target area and headline breakdown: target value (fixed, trajectory or England), tolerance, Green/Amber/Red at published precision, and the reason when there is none.';

CREATE OR REPLACE VIEW freshness AS SELECT * FROM mart.freshness;
COMMENT ON VIEW freshness IS 'One row per catalogue indicator: the period expected by the run date from frequency and publication lag, the latest loaded period, and overdue.';

CREATE OR REPLACE VIEW outcome_board AS SELECT * FROM mart.outcome_board;
COMMENT ON VIEW outcome_board IS 'The Outcome Board table: one row per catalogue indicator for the home area and headline breakdown at its latest period: value, direction of travel, quartile and rank, England comparison, recent trend; status ''no data'' where there is none.';

CREATE OR REPLACE VIEW rejected_rows AS
SELECT r.load_id, r.source_file, r.source_row, r.column_name, r.value, r.reason, l.started_at AS loaded_at,
    l.withdrawn_at
FROM core.rejected_row r JOIN core.load l USING (load_id);
COMMENT ON VIEW rejected_rows IS 'Every rejected cell of every file: file, row number, column, offending value and the reason, in words an analyst can act on.';

CREATE OR REPLACE VIEW loads AS
SELECT load_id, source_file, source_path, checksum, adapter, rows_read, rows_accepted, rows_rejected,
    rows_skipped, skip_reasons,
    array_to_string(list_transform(map_entries(skip_reasons), lambda e: e.key || ': ' || e.value), '; ')
        AS skip_reasons_text,
    rows_read = rows_accepted + rows_rejected + rows_skipped AS reconciles,
    rows_new, rows_revised, rows_unchanged, status, message, is_sample, started_at, finished_at,
    withdrawn_at, withdrawn_reason, withdrawn_by
FROM core.load;
COMMENT ON VIEW loads IS 'One row per file judged: checksum, adapter, rows read = accepted + rejected + skipped (with the skip reasons), what the accepted rows changed, status, message, and whether the load was withdrawn.';

CREATE OR REPLACE VIEW snapshot_info AS
SELECT published_at, signed_off_quarter, signed_off_at, signed_off_by, as_at FROM core.publication;
COMMENT ON VIEW snapshot_info IS 'What this file is: when it was published, and whether it is the frozen snapshot of a signed-off quarter or a reconstruction of the warehouse as at an earlier moment.';
