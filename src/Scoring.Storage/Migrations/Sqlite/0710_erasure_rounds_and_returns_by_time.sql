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
