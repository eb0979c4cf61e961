-- Schema version 6 (PostgreSQL): the rows every scan writes no longer hold foreign keys to users
-- and areas.
--
-- PostgreSQL checks a foreign key on insert by locking the referenced row (SELECT ... FOR KEY
-- SHARE) through an internal query. Every scan inserts a bag, a link, a scan event and an audit
-- entry, each naming the scanner and most the area: so every scan of every depot locked the same
-- few rows of users and areas four to six times, each lock a write to that row (and a multixact
-- when two transactions held it), each check a query of its own. Measured with the benchmark's
-- data set and one group writer, dropping these six checks took the writer's PostgreSQL time per
-- child scan from about 210 to 165 microseconds and child scans from about 2,700 to 3,300 a second
-- (bench/PROFILE.md).
--
-- What they guarded stays true: users and areas are never deleted (there is no way to; a user is
-- deactivated instead), and a scan names the signed-in user and an existing area. Foreign keys
-- between bags, links and bills stay, as do those of users, sessions and tokens. SQLite checks a
-- foreign key with one index probe and no lock, under its single writer: it keeps them all
-- (sqlite/0006 changes nothing).
ALTER TABLE bags DROP CONSTRAINT IF EXISTS bags_area_id_fkey, DROP CONSTRAINT IF EXISTS bags_created_by_fkey;
ALTER TABLE links DROP CONSTRAINT IF EXISTS links_created_by_fkey;
ALTER TABLE scan_events DROP CONSTRAINT IF EXISTS scan_events_user_id_fkey,
  DROP CONSTRAINT IF EXISTS scan_events_area_id_fkey;
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_user_id_fkey;
