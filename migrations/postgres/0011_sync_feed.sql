-- Schema version 11: synchronisation down, head office -> depot (SPEC §8 "Down").
-- At head office:
--   * sync_feed names, in commit order, each change of the reference data depots receive: an
--     area, a user, a setting (kind, and its name as key). A depot pulls what follows the last
--     row it applied and reads the entity's state as it is then, so a row read twice or a state
--     newer than its row changes nothing.
--   * sync_feed_counter is the one row every writer of the feed updates first, holding its lock
--     until commit: with several head-office instances on one database, row N+1 cannot commit
--     before row N, so a reader that saw N+1 can never miss N (a sequence would hand out numbers
--     in start order, and commit them in any order).
--   * uid makes a row's identity: a depot sends the seq and uid of the last row it applied, and a
--     head office restored from an older dump, whose row of that seq is another or none, answers
--     with the whole state again instead of letting the depot skip the rows written since.
--   * a conflict is in the feed when head office records it (for the depot whose operation made it)
--     and when a person resolves it (resolution, resolved_at, resolved_by): a resolution that places
--     a bag goes to every depot, which places the bag the same way.
-- At a depot:
--   * sync_conflicts holds the depot's own conflicts as head office sent them (site_id NULL);
--   * sync_depot.feed_seq, feed_uid: the last feed row applied, in the transaction that applied
--     it; last_pull_at: when head office last answered a pull.
CREATE TABLE sync_feed_counter (
  id   BIGINT PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL
);
INSERT INTO sync_feed_counter (id, seq) VALUES (1, 0);

CREATE TABLE sync_feed (
  seq   BIGINT  PRIMARY KEY,
  uid   TEXT    NOT NULL UNIQUE,
  kind  TEXT    NOT NULL CHECK (kind IN ('area', 'user', 'setting', 'conflict')),
  key   TEXT    NOT NULL,
  at    BIGINT  NOT NULL
);

ALTER TABLE sync_depot ADD COLUMN feed_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_depot ADD COLUMN feed_uid TEXT;
ALTER TABLE sync_depot ADD COLUMN last_pull_at BIGINT;

ALTER TABLE sync_conflicts ADD COLUMN resolution TEXT;
ALTER TABLE sync_conflicts ADD COLUMN resolved_at BIGINT;
ALTER TABLE sync_conflicts ADD COLUMN resolved_by TEXT;
