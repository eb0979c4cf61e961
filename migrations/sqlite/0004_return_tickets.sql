-- Schema version 4: return tickets (SPEC §1, §3.8). A dealer sends unsold parent bags back; a
-- biller opens a ticket, scans parent bags onto it, and commits it (each parent comes off its bill)
-- or cancels it.
--   * return_ticket_bags.open_parent_id is the parent's id while its ticket is open and NULL once
--     the ticket is closed: its UNIQUE constraint keeps a bag on one open ticket at a time, whoever
--     adds it at the same moment.
--   * bill_code, weight_kg and children_json are written when the ticket is committed: what the bag
--     was when it came back, which later changes to the bag do not alter.
CREATE TABLE return_tickets (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  code        TEXT    NOT NULL UNIQUE,
  note        TEXT    NOT NULL DEFAULT '',
  status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'committed', 'cancelled')),
  area_id     INTEGER REFERENCES areas (id),
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  closed_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
  closed_at   INTEGER
);
CREATE INDEX return_tickets_status_created ON return_tickets (status, created_at);

CREATE TABLE return_ticket_bags (
  id             INTEGER PRIMARY KEY,
  uid            TEXT    NOT NULL UNIQUE,
  ticket_id      INTEGER NOT NULL REFERENCES return_tickets (id) ON DELETE CASCADE,
  parent_id      INTEGER NOT NULL REFERENCES bags (id) ON DELETE CASCADE,
  open_parent_id INTEGER UNIQUE REFERENCES bags (id) ON DELETE CASCADE,
  added_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
  added_at       INTEGER NOT NULL,
  bill_code      TEXT,
  weight_kg      REAL,
  children_json  TEXT,
  UNIQUE (ticket_id, parent_id)
);
CREATE INDEX return_ticket_bags_parent ON return_ticket_bags (parent_id);
CREATE INDEX return_ticket_bags_bill ON return_ticket_bags (bill_code);
