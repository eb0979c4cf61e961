-- Schema version 9: lighter outbox rows (SPEC §8 "Up"). A depot runs on SQLite; the table exists
-- here so that both schemas stay one.
--   * area_id is the area of the operation's row, as a number: the pusher sends its name beside
--     the operation. No foreign key: an area deleted later must not be held by operations written.
--   * uid is no longer UNIQUE: the services make each operation once, and head office refuses an
--     operation seen twice.
ALTER TABLE sync_outbox ADD COLUMN area_id BIGINT;
ALTER TABLE sync_outbox DROP CONSTRAINT sync_outbox_uid_key;
