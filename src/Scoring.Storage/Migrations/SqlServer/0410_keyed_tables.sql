-- SQLite's 0410 stores chat accounts, dialogs and cycle totals in primary-key order. SQL Server already clusters
-- these tables on their primary keys, so there is nothing to change here; the script keeps both dialects' versions alike.
SELECT 1 AS nothing_to_change;
