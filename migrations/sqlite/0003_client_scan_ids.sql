-- Schema version 3: scans sent with a client scan id (SPEC §4). The web interface gives every
-- physical scan an id and resends it after a lost answer; the server answers a repeated id with the
-- answer it gave the first time and changes and logs nothing.
--   * client_scans holds, per user and id, the status and JSON body of the first answer. The row is
--     claimed first thing in the scan's transaction, so a second request with the same id waits
--     for the first one's transaction and then reads its answer.
--   * scan_events.client_scan_id ties the scan log row to the physical scan (and lets a depot pass
--     each scan to head office exactly once).
ALTER TABLE scan_events ADD COLUMN client_scan_id TEXT;

CREATE TABLE client_scans (
  user_id        INTEGER NOT NULL REFERENCES users (id),
  client_scan_id TEXT    NOT NULL,
  at             INTEGER NOT NULL,
  status         INTEGER NOT NULL DEFAULT 0,  -- HTTP status of the first answer (0 until it is stored)
  answer         TEXT,                        -- its JSON body
  PRIMARY KEY (user_id, client_scan_id)
);
