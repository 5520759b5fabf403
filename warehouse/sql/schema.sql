-- Warehouse tables. Raw and intermediate tables live in schemas ref, core and mart; analysts use the
-- views in main (views.sql). Idempotent: safe to run at the start of every pipeline run.
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS mart;

-- Reference data, rewritten from the catalogue, area register and settings on every run.
CREATE TABLE IF NOT EXISTS ref.indicator (
    indicator_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    outcome_id VARCHAR NOT NULL,
    outcome_name VARCHAR NOT NULL,
    sub_outcome VARCHAR,
    sub_outcome_name VARCHAR,
    success_measure VARCHAR,
    polarity VARCHAR NOT NULL,
    value_type VARCHAR NOT NULL,
    unit VARCHAR,
    multiplier DOUBLE,
    decimals INTEGER,
    frequency VARCHAR,
    period_convention VARCHAR,
    publication_lag_months INTEGER,
    source_id VARCHAR,
    source_selector VARCHAR,
    headline_sex VARCHAR,
    headline_age VARCHAR,
    headline_category_type VARCHAR,
    headline_category VARCHAR,
    comparator_group VARCHAR,
    statutory BOOLEAN,
    lead_board VARCHAR,
    target_description VARCHAR,
    also_reported_in VARCHAR[]
);
-- Added after the first release: ADD COLUMN IF NOT EXISTS upgrades a working database made before.
ALTER TABLE ref.indicator ADD COLUMN IF NOT EXISTS cumulative_from VARCHAR;
ALTER TABLE ref.indicator ADD COLUMN IF NOT EXISTS cumulative_from_start DATE;
-- Targets (METHODS.md section 7), one row per indicator with a target; its baseline (seq 0) and
-- milestones (seq 1..) in ref.target_point, each at its period's start date.
CREATE TABLE IF NOT EXISTS ref.target (
    indicator_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, direction VARCHAR NOT NULL, description VARCHAR,
    value DOUBLE, value_period VARCHAR, value_start DATE, baseline_relative BOOLEAN, tolerance_pct DOUBLE,
    tolerance_abs DOUBLE, area_code VARCHAR
);
CREATE TABLE IF NOT EXISTS ref.target_point (
    indicator_id VARCHAR, seq INTEGER, period VARCHAR, period_start DATE, value DOUBLE
);
CREATE TABLE IF NOT EXISTS ref.break_note (indicator_id VARCHAR, period VARCHAR, period_start DATE, note VARCHAR);
CREATE TABLE IF NOT EXISTS ref.area (
    area_code VARCHAR PRIMARY KEY, area_name VARCHAR, area_type VARCHAR, valid_from DATE, valid_to DATE
);
CREATE TABLE IF NOT EXISTS ref.aggregate_component (area_code VARCHAR, component_code VARCHAR);
CREATE TABLE IF NOT EXISTS ref.comparator_group (
    group_id VARCHAR, group_name VARCHAR, area_code VARCHAR, valid_from DATE, valid_to DATE
);
CREATE TABLE IF NOT EXISTS ref.label (kind VARCHAR, polarity VARCHAR, key INTEGER, label VARCHAR);
CREATE TABLE IF NOT EXISTS ref.setting (key VARCHAR PRIMARY KEY, value VARCHAR);

-- The schema this code writes. A working database from another version is refused with a clear message
-- (warehouse.schema_guard) rather than half-upgraded.
CREATE TABLE IF NOT EXISTS core.schema_version (version INTEGER NOT NULL);

-- One row per file the pipeline has judged. started_at is also the loaded_at of every revision the file
-- created, so "what had been loaded by time T" is one comparison everywhere (as-at queries).
CREATE SEQUENCE IF NOT EXISTS core.load_id_seq START 1;
CREATE TABLE IF NOT EXISTS core.load (
    load_id BIGINT PRIMARY KEY,
    source_file VARCHAR NOT NULL,
    source_path VARCHAR,
    checksum VARCHAR NOT NULL,
    adapter VARCHAR,
    rows_read BIGINT,
    rows_accepted BIGINT,
    rows_rejected BIGINT,
    rows_skipped BIGINT,
    skip_reasons MAP(VARCHAR, BIGINT),
    rows_new BIGINT,
    rows_revised BIGINT,
    rows_unchanged BIGINT,
    status VARCHAR NOT NULL,
    message VARCHAR,
    is_sample BOOLEAN,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    withdrawn_at TIMESTAMP,
    withdrawn_reason VARCHAR,
    withdrawn_by VARCHAR
);

-- Every revision of every observation (append-only apart from closing a revision: superseded_at,
-- superseded_by, superseded_by_load are set once). The current revision has superseded_at NULL.
-- A revision is current from loaded_at (inclusive) to superseded_at (exclusive).
--   change: 'new' (first value for the key), 'revised' (differs from the current value), 'reinstated'
--           (a withdrawal made an earlier delivery current again; a copy with that delivery's provenance).
--   superseded_by: 'revision' (a later load changed the value) or 'withdrawal' (its load was withdrawn).
CREATE SEQUENCE IF NOT EXISTS core.revision_id_seq START 1;
CREATE TABLE IF NOT EXISTS core.observation (
    revision_id BIGINT NOT NULL,
    load_id BIGINT NOT NULL,
    indicator_id VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_start DATE,
    period_end DATE,
    period_type VARCHAR,
    sex VARCHAR NOT NULL,
    age VARCHAR NOT NULL,
    category_type VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    value DOUBLE,
    lower_ci95 DOUBLE,
    upper_ci95 DOUBLE,
    lower_ci998 DOUBLE,
    upper_ci998 DOUBLE,
    count DOUBLE,
    denominator DOUBLE,
    value_note VARCHAR,
    published_trend VARCHAR,
    published_comparison VARCHAR,
    commentary VARCHAR,
    source_id VARCHAR,
    source_file VARCHAR,
    source_row BIGINT,
    file_checksum VARCHAR,
    loaded_at TIMESTAMP NOT NULL,
    superseded_at TIMESTAMP,
    change VARCHAR NOT NULL,
    superseded_by VARCHAR,
    superseded_by_load BIGINT,
    reinstates_revision BIGINT
);

-- Every accepted row of every load, pointing at the revision that holds its content: the revision the
-- row created, or (for a row identical to the current value) the revision it confirmed. Withdrawing a
-- load makes the latest remaining delivery of each affected key current again, so a value that a later
-- file confirmed survives the withdrawal of the file that first brought it.
CREATE TABLE IF NOT EXISTS core.delivery (
    load_id BIGINT NOT NULL,
    revision_id BIGINT NOT NULL,
    source_row BIGINT
);

CREATE TABLE IF NOT EXISTS core.rejected_row (
    load_id BIGINT, source_file VARCHAR, source_row BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR
);

-- What this file is: written at every publish (one row), completed in a signed-off quarterly copy and in
-- an as-at reconstruction, so a snapshot describes itself wherever it is copied.
CREATE TABLE IF NOT EXISTS core.publication (
    published_at TIMESTAMP,
    signed_off_quarter VARCHAR,
    signed_off_at TIMESTAMP,
    signed_off_by VARCHAR,
    as_at TIMESTAMP
);
