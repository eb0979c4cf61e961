-- Schema version 6: on PostgreSQL the rows every scan writes lose their foreign keys to users and
-- areas (postgres/0006 says why: each check there locks the referenced row). SQLite checks a
-- foreign key with one index probe under its single writer, and removing one would mean copying
-- the whole table: it keeps them, and this version changes nothing here.
SELECT 1;
