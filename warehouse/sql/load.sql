-- name: find_loaded_checksum
-- A file whose exact bytes were loaded before (and not withdrawn) changes nothing when loaded again.
-- Loading the bytes of a withdrawn file again is a new load (the way to undo a withdrawal).
SELECT load_id, source_file FROM core.load
WHERE checksum = $checksum AND withdrawn_at IS NULL
ORDER BY load_id LIMIT 1;

-- name: next_load_id
SELECT nextval('core.load_id_seq');

-- name: insert_load
INSERT INTO core.load (load_id, source_file, source_path, checksum, adapter, rows_read, rows_accepted,
    rows_rejected, rows_skipped, skip_reasons, status, message, is_sample, started_at)
VALUES ($load_id, $source_file, $source_path, $checksum, $adapter, $rows_read, $rows_accepted,
    $rows_rejected, $rows_skipped, MAP_FROM_ENTRIES($skip_entries), $status, $message, $is_sample, $started_at);

-- name: any_current_revision
-- Whether the incoming rows' indicators ($indicators) have any current revision: a scan of two narrow
-- columns, which stops at the first one found (a whole scan when there is none). When none has, every
-- incoming row is new (classify_all_new).
SELECT EXISTS (SELECT 1 FROM core.observation WHERE superseded_at IS NULL AND indicator_id = ANY($indicators));

-- name: classify_all_new
-- classify_incoming when no current revision of the incoming rows' indicators exists (any_current_revision):
-- every row is new, so nothing is compared: a file whose indicators are new to the warehouse (e.g. every file
-- of the benchmark's first national load). It skips the join with the current revisions and the comparison:
-- for a file of 96,600 rows after 30 such files, classify_incoming took 117 ms, this 11 ms and the check 13 ms.
CREATE OR REPLACE TEMP TABLE incoming_revisions AS
SELECT uid, source_row, 'new' AS change, NULL::BIGINT AS current_revision,
    nextval('core.revision_id_seq') AS revision_id
FROM incoming;

-- name: classify_incoming
-- Each incoming row (a relation `incoming` with a unique `uid`) is new (no current revision), revised
-- (content differs) or unchanged, and gets the revision that will hold its content: a fresh id for new and
-- revised rows, the current one otherwise. Only current revisions of the incoming rows' indicators
-- ($indicators, a superset is fine) can match, so only those are read: a file of new indicators costs a
-- scan of one column, not a join against every current observation. One narrow row per incoming row;
-- the content stays in `incoming`.
CREATE OR REPLACE TEMP TABLE incoming_revisions AS
SELECT uid, source_row, change, current_revision,
    CASE WHEN change = 'unchanged' THEN current_revision ELSE nextval('core.revision_id_seq') END AS revision_id
FROM (
    SELECT i.uid, i.source_row, c.revision_id AS current_revision,
        CASE WHEN c.indicator_id IS NULL THEN 'new'
             WHEN c.value IS DISTINCT FROM i.value OR c.lower_ci95 IS DISTINCT FROM i.lower_ci95
               OR c.upper_ci95 IS DISTINCT FROM i.upper_ci95 OR c.lower_ci998 IS DISTINCT FROM i.lower_ci998
               OR c.upper_ci998 IS DISTINCT FROM i.upper_ci998 OR c.count IS DISTINCT FROM i.count
               OR c.denominator IS DISTINCT FROM i.denominator OR c.value_note IS DISTINCT FROM i.value_note
               OR c.commentary IS DISTINCT FROM i.commentary
               OR c.published_trend IS DISTINCT FROM i.published_trend
               OR c.published_comparison IS DISTINCT FROM i.published_comparison
             THEN 'revised' ELSE 'unchanged' END AS change
    FROM incoming i
    LEFT JOIN (SELECT * FROM core.observation
               WHERE superseded_at IS NULL AND indicator_id = ANY($indicators)) c
      ON c.indicator_id = i.indicator_id AND c.area_code = i.area_code AND c.period = i.period
     AND c.sex = i.sex AND c.age = i.age AND c.category_type = i.category_type AND c.category = i.category
);

-- name: count_changes
SELECT count(*) FILTER (WHERE change = 'new'), count(*) FILTER (WHERE change = 'revised'),
       count(*) FILTER (WHERE change = 'unchanged')
FROM incoming_revisions;

-- name: supersede_revised
UPDATE core.observation AS c
SET superseded_at = $loaded_at, superseded_by = 'revision', superseded_by_load = $load_id
FROM incoming_revisions i
WHERE i.change = 'revised' AND c.revision_id = i.current_revision;

-- name: insert_changed
INSERT INTO core.observation (revision_id, load_id, indicator_id, area_code, period, period_start, period_end,
    period_type, sex, age, category_type, category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998,
    count, denominator, value_note, published_trend, published_comparison, commentary, source_id, source_file,
    source_row, file_checksum, loaded_at, change)
SELECT r.revision_id, $load_id, i.indicator_id, i.area_code, i.period, i.period_start, i.period_end,
    i.period_type, i.sex, i.age, i.category_type, i.category, i.value, i.lower_ci95, i.upper_ci95,
    i.lower_ci998, i.upper_ci998, i.count, i.denominator, i.value_note, i.published_trend,
    i.published_comparison, i.commentary, i.source_id, i.source_file, i.source_row, $checksum, $loaded_at,
    r.change
FROM incoming i JOIN incoming_revisions r USING (uid)
WHERE r.change <> 'unchanged';

-- name: insert_deliveries
INSERT INTO core.delivery (load_id, revision_id, source_row)
SELECT $load_id, revision_id, source_row FROM incoming_revisions;

-- name: drop_incoming
DROP TABLE IF EXISTS incoming_revisions;

-- name: insert_rejected
INSERT INTO core.rejected_row (load_id, source_file, source_row, column_name, value, reason)
SELECT $load_id, source_file, source_row, "column", value, reason FROM rejected_incoming;

-- name: finish_load
UPDATE core.load SET rows_new = $rows_new, rows_revised = $rows_revised, rows_unchanged = $rows_unchanged,
    finished_at = $finished_at
WHERE load_id = $load_id;
