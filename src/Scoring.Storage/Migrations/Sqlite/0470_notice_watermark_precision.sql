-- SQL Server only (a column's precision there); SQLite keeps every instant to the tick already.
SELECT 1;
