-- Schema version 9: an outbox operation's dispatch area as a number beside it (SPEC §8 "Up").
--   * sync_outbox.area_id is the area the operation's row belongs to. The pusher sends its name
--     with the operation; before, every write spliced the name into the stored JSON, which cost a
--     parse and a rewrite of the JSON on each of a child scan's two outbox rows. No foreign key:
--     an area deleted later must not be held by operations already written.
ALTER TABLE sync_outbox ADD COLUMN area_id INTEGER;
