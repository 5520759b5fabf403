-- Withdrawing a load (a bad delivery undone), in one transaction (warehouse.withdraw). Nothing is deleted:
-- the load is marked withdrawn, its current revisions are closed, and for each key they held the latest
-- remaining delivery (in load order, from loads not withdrawn) becomes current again as a 'reinstated'
-- revision carrying that delivery's provenance.

-- name: find_load
SELECT load_id, source_file, withdrawn_at FROM core.load WHERE load_id = $load_id;

-- name: mark_withdrawn
UPDATE core.load SET withdrawn_at = $withdrawn_at, withdrawn_reason = $reason, withdrawn_by = $withdrawn_by
WHERE load_id = $load_id;

-- name: collect_withdrawn_current
CREATE OR REPLACE TEMP TABLE withdrawn_current AS
SELECT revision_id, indicator_id, area_code, period, sex, age, category_type, category
FROM core.observation
WHERE superseded_at IS NULL AND load_id = $load_id;

-- name: close_withdrawn
UPDATE core.observation
SET superseded_at = $withdrawn_at, superseded_by = 'withdrawal', superseded_by_load = $load_id
WHERE revision_id IN (SELECT revision_id FROM withdrawn_current);

-- name: reinstate_latest_remaining
INSERT INTO core.observation (revision_id, load_id, indicator_id, area_code, period, period_start, period_end,
    period_type, sex, age, category_type, category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998,
    count, denominator, value_note, published_trend, published_comparison, commentary, source_id, source_file,
    source_row, file_checksum, loaded_at, change, reinstates_revision)
WITH remaining AS (
    SELECT d.load_id AS delivered_by, d.source_row AS delivered_row, l.source_file AS delivered_file,
        l.checksum AS delivered_checksum, r.*,
        row_number() OVER (PARTITION BY r.indicator_id, r.area_code, r.period, r.sex, r.age, r.category_type,
                                        r.category ORDER BY d.load_id DESC) AS recency
    FROM core.delivery d
    JOIN core.load l ON l.load_id = d.load_id AND l.withdrawn_at IS NULL
    JOIN core.observation r ON r.revision_id = d.revision_id
    SEMI JOIN withdrawn_current w
      ON w.indicator_id = r.indicator_id AND w.area_code = r.area_code AND w.period = r.period AND w.sex = r.sex
     AND w.age = r.age AND w.category_type = r.category_type AND w.category = r.category
)
SELECT nextval('core.revision_id_seq'), delivered_by, indicator_id, area_code, period, period_start, period_end,
    period_type, sex, age, category_type, category, value, lower_ci95, upper_ci95, lower_ci998, upper_ci998,
    count, denominator, value_note, published_trend, published_comparison, commentary, source_id,
    delivered_file, delivered_row, delivered_checksum, $withdrawn_at, 'reinstated', revision_id
FROM remaining WHERE recency = 1;

-- name: drop_withdrawn_current
DROP TABLE IF EXISTS withdrawn_current;
