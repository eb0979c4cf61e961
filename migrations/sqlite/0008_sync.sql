-- Schema version 8: synchronisation up, depot -> head office (SPEC §8).
--
-- On a depot (a server started with --upstream):
--   * sync_outbox holds every change as a typed operation, written by the services in the same
--     transaction as the change. seq is the depot's commit order: gapless (AUTOINCREMENT's counter
--     rolls back with the transaction) and never reused once acknowledged rows are pruned.
--   * sync_depot (one row) is the pusher's state: which site this database is, where it pushes,
--     the last sequence head office acknowledged, the last success and the last error, and why
--     pushing stopped when an operator must act.
-- At head office:
--   * sync_batches keeps the answer to every batch a site pushed, so that a batch sent again
--     (its answer was lost) gets the same answer and changes nothing;
--   * sync_ops names each applied operation by site and sequence: each appears once;
--   * sync_conflicts records what a site did that clashes with what head office already held:
--     the fact is kept, with both sides, for people to resolve;
--   * site_id on the synchronised rows names the site they came from (NULL: made here).
-- The newest operation a site said it had written when it last pushed: its lag is that minus
-- acked_seq.
ALTER TABLE sites ADD COLUMN reported_seq INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sync_outbox (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  uid      TEXT    NOT NULL UNIQUE,
  kind     TEXT    NOT NULL,
  at       INTEGER NOT NULL,
  payload  TEXT    NOT NULL
);

CREATE TABLE sync_depot (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  site_uid         TEXT    NOT NULL,
  enabled_at       INTEGER NOT NULL,
  acked_seq        INTEGER NOT NULL DEFAULT 0,
  last_success_at  INTEGER,
  last_error       TEXT,
  last_error_at    INTEGER,
  blocked          TEXT
);

CREATE TABLE sync_batches (
  site_id      INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  batch_uid    TEXT    NOT NULL,
  answer       TEXT    NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (site_id, batch_uid)
);

CREATE TABLE sync_ops (
  site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  uid      TEXT    NOT NULL,
  PRIMARY KEY (site_id, seq)
);

CREATE TABLE sync_conflicts (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  kind        TEXT    NOT NULL,
  entity      TEXT    NOT NULL CHECK (entity IN ('bag', 'bill')),
  entity_key  TEXT    NOT NULL,
  site_id     INTEGER REFERENCES sites (id) ON DELETE SET NULL,
  op_uid      TEXT    NOT NULL,
  detail      TEXT    NOT NULL,
  status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
  created_at  INTEGER NOT NULL
);
CREATE INDEX sync_conflicts_entity ON sync_conflicts (entity, entity_key, status);
CREATE INDEX sync_conflicts_status ON sync_conflicts (status, created_at);

ALTER TABLE bags ADD COLUMN site_id INTEGER REFERENCES sites (id);
ALTER TABLE links ADD COLUMN site_id INTEGER REFERENCES sites (id);
ALTER TABLE bills ADD COLUMN site_id INTEGER REFERENCES sites (id);
ALTER TABLE bill_parents ADD COLUMN site_id INTEGER REFERENCES sites (id);
-- The user of a row from a site, by name: depots' users are not head office's (yet).
ALTER TABLE scan_events ADD COLUMN username TEXT;
ALTER TABLE scan_events ADD COLUMN site_id INTEGER REFERENCES sites (id);
ALTER TABLE audit_log ADD COLUMN site_id INTEGER REFERENCES sites (id);
