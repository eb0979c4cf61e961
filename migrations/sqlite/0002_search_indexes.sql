-- Schema version 2: the dashboard's one pass over the last day of the scan log (hour, area, user,
-- outcome) reads this index alone instead of visiting every row of the table. It replaces the
-- index on `at` alone, which it also serves, so a scan still maintains the same number of indexes.
DROP INDEX scan_events_at;
CREATE INDEX scan_events_at_activity ON scan_events (at, area_id, user_id, result);

-- A dispatcher's bag search is always filtered by their area and shows the newest first: without
-- this index it would sort every bag of the area.
CREATE INDEX bags_area_created ON bags (area_id, created_at);
