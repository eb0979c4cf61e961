-- Schema version 9: lighter outbox rows (SPEC §8 "Up"); the table is rebuilt, its rows kept.
--   * area_id is the area of the operation's row, as a number. The pusher sends its name beside
--     the operation; before, every write spliced the name into the stored JSON, which cost a parse
--     and a rewrite of the JSON. No foreign key: an area deleted later must not be held by the
--     operations already written.
--   * uid is no longer UNIQUE: the services make each operation once (uids are UUIDv7), head
--     office refuses an operation seen twice, and the index cost every write an index entry. The
--     snapshot of first enablement reads the uids once, without it.
--   * AUTOINCREMENT stays: seq is never reused, even once acknowledged rows are pruned; the
--     counter is carried over.
CREATE TABLE sync_outbox_v9 (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  uid      TEXT    NOT NULL,
  kind     TEXT    NOT NULL,
  at       INTEGER NOT NULL,
  payload  TEXT    NOT NULL,
  area_id  INTEGER
);
INSERT INTO sync_outbox_v9 (seq, uid, kind, at, payload) SELECT seq, uid, kind, at, payload FROM sync_outbox ORDER BY seq;
UPDATE sqlite_sequence
  SET seq = MAX(seq, COALESCE((SELECT s.seq FROM sqlite_sequence s WHERE s.name = 'sync_outbox'), 0))
  WHERE name = 'sync_outbox_v9';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'sync_outbox_v9', seq FROM sqlite_sequence
  WHERE name = 'sync_outbox' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sync_outbox_v9');
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_v9 RENAME TO sync_outbox;
