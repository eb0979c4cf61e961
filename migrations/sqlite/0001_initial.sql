-- TraceTrack schema, version 1 (SPEC §1).
--
-- Conventions shared with the PostgreSQL dialect, so that services use one SQL text for both:
--   * integer primary key `id` for local joins; `uid` (UUIDv7 text) on every row that sites will
--     synchronise, unique everywhere without coordination;
--   * times are microseconds since the Unix epoch (UTC) in 64-bit integers (`*_at`);
--   * booleans are 0/1 integers; enumerations are checked text;
--   * scan_events and audit_log are append-only: triggers refuse UPDATE and DELETE, and users who
--     appear in them cannot be deleted, only deactivated (users.active = 0).

CREATE TABLE areas (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX areas_name_ci ON areas (lower(name));

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  uid            TEXT    NOT NULL UNIQUE,
  username       TEXT    NOT NULL,
  email          TEXT,
  password_hash  TEXT    NOT NULL,
  role           TEXT    NOT NULL CHECK (role IN ('dispatcher', 'biller', 'admin')),
  area_id        INTEGER REFERENCES areas (id),
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  totp_secret    TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL,
  CHECK (role = 'admin' OR area_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_username_ci ON users (lower(username));

-- Browser sessions. Only a hash of the token is stored; the cookie carries the token itself.
CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT    NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,   -- absolute limit; idle limit is checked against last_seen_at
  client_addr TEXT,
  user_agent  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens for scripts and integrations; shown once, stored hashed.
CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  token_hash  TEXT    NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at  INTEGER
);

-- Failed logins, by user name and by client address, for rate limiting and lockout. Kept in the
-- database so that every app instance sharing it applies the same limits.
CREATE TABLE login_failures (
  id          INTEGER PRIMARY KEY,
  username    TEXT    NOT NULL,   -- lower-cased as typed, whether or not the user exists
  client_addr TEXT    NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_addr ON login_failures (client_addr, at);

-- Bags: parents and children. `code` is stored trimmed and upper-cased (domain::normalise_code).
-- `kind` is the parent kind the code matched when created ('SB', 'M444'), NULL for children; it
-- never changes, so expected weights derive from it without counters.
CREATE TABLE bags (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  code        TEXT    NOT NULL UNIQUE,
  type        TEXT    NOT NULL CHECK (type IN ('parent', 'child')),
  kind        TEXT,
  area_id     INTEGER REFERENCES areas (id),
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  CHECK ((type = 'parent') = (kind IS NOT NULL))
);
CREATE INDEX bags_area_type_created ON bags (area_id, type, created_at);
CREATE INDEX bags_type_created ON bags (type, created_at);
CREATE INDEX bags_created ON bags (created_at);

-- Current parent of each child: one row per linked child, so a child is in at most one parent.
CREATE TABLE links (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  parent_id   INTEGER NOT NULL REFERENCES bags (id) ON DELETE CASCADE,
  child_id    INTEGER NOT NULL UNIQUE REFERENCES bags (id) ON DELETE CASCADE,
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  CHECK (parent_id <> child_id)
);
CREATE INDEX links_parent ON links (parent_id);
CREATE INDEX links_creator_time ON links (created_by, created_at);

CREATE TABLE bills (
  id           INTEGER PRIMARY KEY,
  uid          TEXT    NOT NULL UNIQUE,
  code         TEXT    NOT NULL UNIQUE,
  description  TEXT    NOT NULL DEFAULT '',
  destination  TEXT,
  vehicle      TEXT,
  capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
  status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
  area_id      INTEGER REFERENCES areas (id),
  created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX bills_status_created ON bills (status, created_at);

-- Bill membership: a parent is on at most one bill at a time (UNIQUE parent_id).
CREATE TABLE bill_parents (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  bill_id     INTEGER NOT NULL REFERENCES bills (id) ON DELETE CASCADE,
  parent_id   INTEGER NOT NULL UNIQUE REFERENCES bags (id) ON DELETE CASCADE,
  added_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  added_at    INTEGER NOT NULL
);
CREATE INDEX bill_parents_bill ON bill_parents (bill_id);

-- One row per scan attempt, whatever its outcome: the bag's history. Codes are kept as text (not
-- foreign keys) so that history survives deleting a bag and records rejected, invalid input.
CREATE TABLE scan_events (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  at          INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users (id),
  area_id     INTEGER REFERENCES areas (id),
  client      TEXT,             -- client address or token name
  action      TEXT    NOT NULL, -- scan_parent | scan_child | bill_add | return
  code        TEXT    NOT NULL, -- as normalised, or as received when invalid (truncated)
  parent_code TEXT,
  bill_code   TEXT,
  result      TEXT    NOT NULL CHECK (result IN ('created', 'found', 'linked', 'already_linked', 'rejected')),
  reason      TEXT              -- error code when rejected
);
CREATE INDEX scan_events_code ON scan_events (code, at);
CREATE INDEX scan_events_parent ON scan_events (parent_code, at);
CREATE INDEX scan_events_at ON scan_events (at);
CREATE INDEX scan_events_user_at ON scan_events (user_id, at);
CREATE TRIGGER scan_events_no_update BEFORE UPDATE ON scan_events
  BEGIN SELECT RAISE(ABORT, 'scan_events is append-only'); END;
CREATE TRIGGER scan_events_no_delete BEFORE DELETE ON scan_events
  BEGIN SELECT RAISE(ABORT, 'scan_events is append-only'); END;

-- One row per change of state, with the values before and after as JSON text.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  uid         TEXT    NOT NULL UNIQUE,
  at          INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users (id),
  username    TEXT,             -- kept as text: the entry outlives the user
  action      TEXT    NOT NULL, -- link | unlink | relink | bag_delete | bill_create | login | login_failed | ...
  entity      TEXT    NOT NULL, -- bag | bill | user | session | token | setting | area
  entity_key  TEXT,             -- bag code, bill code, username, ...
  before_json TEXT,
  after_json  TEXT,
  client      TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key, at);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Administrator settings (SPEC "(setting)" values) as JSON text; absent keys use built-in defaults.
CREATE TABLE settings (
  key         TEXT    PRIMARY KEY,
  value       TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
);

-- This installation's identity, for synchronisation: one row.
CREATE TABLE site (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  uid         TEXT    NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);
