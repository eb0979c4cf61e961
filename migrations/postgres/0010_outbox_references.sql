-- Schema version 10: an outbox row names the history row that holds its change (SPEC §8 "Up"). A
-- depot runs on SQLite; the columns exist here so that both schemas stay one. payload NULL: the
-- operation is built when pushed from the scan event or audit entry of the row's uid; extra holds
-- the members merged into its data; effect_uid names the audit entry of a scan's effect.
ALTER TABLE sync_outbox ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE sync_outbox ADD COLUMN extra TEXT;
ALTER TABLE sync_outbox ADD COLUMN effect_uid TEXT;
