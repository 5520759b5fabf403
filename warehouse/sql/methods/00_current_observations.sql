-- The current revision of every observation, with the catalogue fields the methods need.
-- Materialised once per run so every method reads the same rows.
CREATE OR REPLACE TABLE mart.observation_current AS
SELECT o.*, i.polarity, i.decimals, i.frequency, i.comparator_group
FROM core.observation o
JOIN ref.indicator i USING (indicator_id)
WHERE o.superseded_at IS NULL;
