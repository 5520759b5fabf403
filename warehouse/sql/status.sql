-- Small read-only lookups that the orchestration reports (Dagster asset checks, filing of landing files).

-- name: earlier_load
-- The load whose bytes a new delivery repeats: where that file went and why.
SELECT load_id, source_file, status, message FROM core.load WHERE load_id = $load_id;

-- name: indicators_without_home_data
-- Catalogue indicators the Outcome Board lists as 'no data' for the home area (headline breakdown).
SELECT indicator_id, indicator_name, outcome_name, source_id
FROM mart.outcome_board WHERE status = 'no data' ORDER BY outcome_id, indicator_id;

-- name: outcome_board_size
SELECT count(*) FROM mart.outcome_board;

-- name: overdue_indicators
-- Catalogue indicators whose latest period is older than frequency and publication lag allow (as the
-- freshness method decided it for the Outcome Board).
SELECT indicator_id, indicator_name, outcome_name, latest_period, expected_period, source_id
FROM mart.outcome_board WHERE overdue ORDER BY outcome_id, indicator_id;
