-- How the last round of erasure of people long off the roster went (OffRosterErasure), one row replaced by each round:
-- the service's status (GET /api/admin/status) shows an erasure that keeps failing, which was only a warning in the log.
-- Counts, times and exception types only.
CREATE TABLE erasure_rounds (
    name TEXT PRIMARY KEY,
    ran_at TEXT NOT NULL,
    erased INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    failures TEXT NULL,
    still_due INTEGER NOT NULL,
    succeeded_at TEXT NULL
);

-- Tenant returns recorded before their ids sorted by time (random ids until the release that made them Ids.Ordered) are
-- given ids of when they were reported: the time part of an ordered id (9 characters of milliseconds since 1970, as
-- Ids.Ordered makes from the moment a return is recorded, which is its reported_at) followed by the old id, so each stays
-- unique. The weekly report's returns, the return reminders and the late-return copy check read returns as a range of
-- such ids (the primary key: an index by time would take a random page per return reported, 0460): an old row's random
-- id put it outside the range of its week (missed) or inside every range (read each time). A row whose id begins with its
-- own time is left as it is. Nothing refers to a return's id. The milliseconds are read from the text as stored
-- (2026-11-18T01:30:00.1234567Z), truncated as .NET does; a time stored any other way is read by SQLite's date functions.
UPDATE tenant_returns SET id = k.prefix || tenant_returns.id
FROM (
    SELECT old_id, substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((ms >> 0) & 31) + 1, 1) AS prefix
    FROM (
        SELECT id AS old_id,
            CASE WHEN length(reported_at) = 28 AND substr(reported_at, 28, 1) = 'Z'
                THEN CAST(strftime('%s', substr(reported_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(reported_at, 21, 3) AS INTEGER)
                ELSE CAST(strftime('%s', reported_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', reported_at), 4, 3) AS INTEGER)
            END AS ms
        FROM tenant_returns
    )
) AS k
WHERE k.old_id = tenant_returns.id AND substr(tenant_returns.id, 1, 9) <> k.prefix;
