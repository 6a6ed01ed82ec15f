-- How the last round of erasure of people long off the roster went (OffRosterErasure), one row replaced by each round:
-- the service's status (GET /api/admin/status) shows an erasure that keeps failing, which was only a warning in the log.
-- Counts, times and exception types only.
CREATE TABLE erasure_rounds (
    name NVARCHAR(100) NOT NULL PRIMARY KEY,
    ran_at DATETIMEOFFSET NOT NULL,
    erased INT NOT NULL,
    failed INT NOT NULL,
    failures NVARCHAR(1000) NULL,
    still_due INT NOT NULL,
    succeeded_at DATETIMEOFFSET NULL
);

-- Tenant returns recorded before their ids sorted by time (random ids until the release that made them Ids.Ordered) are
-- given ids of when they were reported: the time part of an ordered id (9 characters of milliseconds since 1970, as
-- Ids.Ordered makes from the moment a return is recorded, which is its reported_at) followed by the old id, so each stays
-- unique. The weekly report's returns, the return reminders and the late-return copy check read returns as a range of
-- such ids (the primary key: an index by time would take a random page per return reported, 0460): an old row's random
-- id put it outside the range of its week (missed) or inside every range (read each time). A row whose id begins with its
-- own time is left as it is. Nothing refers to a return's id. DATEDIFF_BIG counts the milliseconds truncated, as .NET does;
-- the divisors past INT are cast to BIGINT (a bare literal that size is DECIMAL), so the arithmetic is BIGINT throughout.
UPDATE r SET id = k.prefix + r.id
FROM tenant_returns r
CROSS APPLY (SELECT DATEDIFF_BIG(MILLISECOND, CAST('1970-01-01T00:00:00+00:00' AS DATETIMEOFFSET), r.reported_at) AS ms) AS t
CROSS APPLY (SELECT
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / CAST(1099511627776 AS BIGINT)) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / CAST(34359738368 AS BIGINT)) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 1073741824) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 33554432) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 1048576) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 32768) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 1024) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 32) % 32 AS INT) + 1, 1) +
        SUBSTRING(N'0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((t.ms / 1) % 32 AS INT) + 1, 1) AS prefix) AS k
WHERE LEFT(r.id, 9) <> k.prefix;
