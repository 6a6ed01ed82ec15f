-- The spans a landlord or shop head was off the roster, each from when they were taken off (left_at) to when they were
-- brought back (back_at; null while still off). One leaving date (0510's subjects.deactivated_at) forgot the earlier
-- spans of someone taken off, brought back and taken off again, so a week's lists counted them by the last one alone.
-- A week's lists count a subject unless one span covers the whole week. A null left_at is off since before anyone
-- recorded it (taken off before 0510, or entered off the roster): out of every week until brought back.
CREATE TABLE subject_absences (
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    left_at TEXT NULL,
    back_at TEXT NULL
);
-- At most one open span per subject: the one coming back closes.
CREATE UNIQUE INDEX ux_subject_absences_open ON subject_absences(subject_id) WHERE back_at IS NULL;
-- Those off the roster now have been since they left (an active subject's deactivated_at is always null).
INSERT INTO subject_absences (subject_id, left_at) SELECT id, deactivated_at FROM subjects WHERE active = 0;
-- subjects.deactivated_at is no longer read, but stays and is kept up to date: instances still on the previous release
-- read and write it during a rolling deploy (and would fail on a dropped column).
