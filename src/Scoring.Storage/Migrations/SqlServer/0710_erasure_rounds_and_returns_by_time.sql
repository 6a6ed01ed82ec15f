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
