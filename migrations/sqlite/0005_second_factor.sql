-- Schema version 5: two-factor sign-in with time-based one-time passwords (RFC 6238, SPEC §3.9).
--   * users.totp_secret (schema 1) holds the base32 secret once the user turned the second factor
--     on; totp_pending_secret holds the one being enrolled until a valid code confirms it. Neither
--     is ever returned by the API after enrolment.
--   * users.totp_last_step is the time step of the last code accepted: a code is accepted only for
--     a later step, so a code cannot be used twice (the update is conditional on it).
--   * user_recovery_codes keeps only a hash of each single-use recovery code.
--   * login_challenges is the short-lived state between a right password and the code: only a hash
--     of the challenge token is stored; failed codes are counted like failed passwords.
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE user_recovery_codes (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash   TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  used_at     INTEGER,
  UNIQUE (user_id, code_hash)
);

CREATE TABLE login_challenges (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT    NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_addr TEXT    NOT NULL,
  user_agent  TEXT,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  failures    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_challenges_expiry ON login_challenges (expires_at);
