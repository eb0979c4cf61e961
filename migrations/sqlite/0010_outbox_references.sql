-- Schema version 10: an outbox row names the history row that holds its change (SPEC §8 "Up").
-- A scan or an audited change used to write its whole operation as JSON (about 800 bytes for a
-- child scan) into the outbox, beside the scan event and the audit entry that already hold every
-- field of it: bench/outbox-cost measured the depot 11 % slower for those bytes. Now:
--   * payload NULL: the operation is built when it is pushed, from the scan event (kind 'scan') or
--     the audit entry (every other kind) whose uid is the row's. Both tables are append-only
--     (their triggers refuse UPDATE and DELETE), so what is pushed is what was written.
--   * extra: what that row does not hold, as the members of a JSON object merged into the
--     operation's data: the uids of the rows the change created ({"link": uid, "bag": {...}}).
--     For a scan, it belongs to its effect.
--   * effect_uid: the audit entry of the change a scan made (its link), sent inside the scan's
--     operation as data.effects.
--   * payload set: the whole operation, as before (the snapshot of first enablement, imports, and
--     every row written before this version).
-- The table is rebuilt (SQLite cannot drop a NOT NULL), its rows and AUTOINCREMENT counter kept.
CREATE TABLE sync_outbox_v10 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  uid         TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  payload     TEXT,
  area_id     INTEGER,
  extra       TEXT,
  effect_uid  TEXT
);
INSERT INTO sync_outbox_v10 (seq, uid, kind, at, payload, area_id)
  SELECT seq, uid, kind, at, payload, area_id FROM sync_outbox ORDER BY seq;
UPDATE sqlite_sequence
  SET seq = MAX(seq, COALESCE((SELECT s.seq FROM sqlite_sequence s WHERE s.name = 'sync_outbox'), 0))
  WHERE name = 'sync_outbox_v10';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'sync_outbox_v10', seq FROM sqlite_sequence
  WHERE name = 'sync_outbox' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'sync_outbox_v10');
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_v10 RENAME TO sync_outbox;
