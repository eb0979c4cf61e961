-- Schema version 7: sites (SPEC §8). Head office registers each depot that will push to it.
--   * sites.token_hash is the SHA-256 (hex) of the site's sync token, which is shown once; NULL
--     once the token is revoked. A site token may call only /api/v1/sync/*.
--   * site_areas names the dispatch areas a site may write in; rows it pushes for other areas are
--     refused.
--   * acked_seq is the sequence number of the last operation head office applied for the site:
--     head office owns the cursor, so a batch sent twice, late or out of order changes nothing.
CREATE TABLE sites (
  id             INTEGER PRIMARY KEY,
  uid            TEXT    NOT NULL UNIQUE,
  name           TEXT    NOT NULL,
  token_hash     TEXT    UNIQUE,
  token_set_at   INTEGER,
  created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at     INTEGER NOT NULL,
  last_push_at   INTEGER,
  acked_seq      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX sites_name_ci ON sites (lower(name));

CREATE TABLE site_areas (
  site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  area_id  INTEGER NOT NULL REFERENCES areas (id),
  PRIMARY KEY (site_id, area_id)
);
