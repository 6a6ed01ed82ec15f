-- SQL Server only (its chat user ids were 100 characters and compared under the database's collation); SQLite's TEXT
-- holds any length and compares exactly already.
SELECT 1;
