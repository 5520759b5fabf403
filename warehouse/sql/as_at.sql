-- Turn a private copy of the warehouse into the warehouse as it stood at $as_at: what had been loaded by
-- then (started_at = loaded_at <= $as_at), with the revisions and withdrawals made after that moment undone.
-- warehouse.as_at runs every block below in order, in one transaction, then recomputes the methods.
-- Never run on the working or the published file.

-- name: drop_later_revisions
DELETE FROM core.observation WHERE loaded_at > $as_at;

-- name: reopen_later_closed
UPDATE core.observation SET superseded_at = NULL, superseded_by = NULL, superseded_by_load = NULL
WHERE superseded_at > $as_at;

-- name: drop_later_deliveries
DELETE FROM core.delivery WHERE load_id IN (SELECT load_id FROM core.load WHERE started_at > $as_at);

-- name: drop_later_rejections
DELETE FROM core.rejected_row WHERE load_id IN (SELECT load_id FROM core.load WHERE started_at > $as_at);

-- name: drop_later_loads
DELETE FROM core.load WHERE started_at > $as_at;

-- name: undo_later_withdrawals
UPDATE core.load SET withdrawn_at = NULL, withdrawn_reason = NULL, withdrawn_by = NULL WHERE withdrawn_at > $as_at;

-- name: mark_as_at
UPDATE core.publication SET as_at = $as_at;
