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
-- own time is left as it is. Nothing refers to a return's id.
-- The milliseconds are truncated, as .NET does, whatever form the text is in (the service's 2026-11-18T01:30:00.1234567Z,
-- or another with an offset or more or fewer digits of a second): SQLite's date functions round a fraction to the
-- millisecond, which can carry a return reported on Sunday night just before midnight into the next week's range while
-- its time stays in the old week (counted in neither). So they read only the whole seconds with the zone, and the
-- milliseconds are the first three digits of the fraction as written. A time they cannot read gives no milliseconds,
-- and the column's NOT NULL stops the migration (NOT NULL constraint failed: rekeyed_tenant_returns.reported_at_ms)
-- rather than leave that row's random id in place without a word. A row re-keyed gets its reported_at in the service's
-- form too (the same instant, to the tenth of a microsecond): the week's figures compare it as text with the week's bounds.
CREATE TABLE rekeyed_tenant_returns (
    old_id TEXT PRIMARY KEY,
    reported_at_ms INTEGER NOT NULL,
    reported_at TEXT NOT NULL
);

INSERT INTO rekeyed_tenant_returns (old_id, reported_at_ms, reported_at)
SELECT id, seconds * 1000 + CAST(substr(digits || '000', 1, 3) AS INTEGER),
    strftime('%Y-%m-%dT%H:%M:%S', seconds, 'unixepoch') || '.' || substr(digits || '0000000', 1, 7) || 'Z'
FROM (
    SELECT id, CAST(strftime('%s', substr(reported_at, 1, 19) || zone) AS INTEGER) AS seconds, digits
    FROM (
        SELECT id, reported_at, zone, substr(tail, 1, length(tail) - length(zone)) AS digits
        FROM (
            -- After the seconds: the fraction's digits, then the zone (Z, +08:00 or nothing).
            SELECT id, reported_at, tail, ltrim(tail, '0123456789') AS zone
            FROM (SELECT id, reported_at, CASE WHEN substr(reported_at, 20, 1) = '.' THEN substr(reported_at, 21) ELSE substr(reported_at, 20) END AS tail FROM tenant_returns)
        )
    )
);

UPDATE tenant_returns SET id = k.prefix || tenant_returns.id, reported_at = k.reported_at
FROM (
    SELECT old_id, reported_at, substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((reported_at_ms >> 0) & 31) + 1, 1) AS prefix
    FROM rekeyed_tenant_returns
) AS k
WHERE k.old_id = tenant_returns.id AND substr(tenant_returns.id, 1, 9) <> k.prefix;

DROP TABLE rekeyed_tenant_returns;
