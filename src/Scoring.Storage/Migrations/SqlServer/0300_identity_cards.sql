-- Identity-card numbers from a roster, never in clear: a salted, slow hash (to recognise the same number
-- again) and the last four characters (what a person reads back to confirm it is theirs).
CREATE TABLE identity_cards (
    subject_id NVARCHAR(100) NOT NULL PRIMARY KEY REFERENCES subjects(id),
    salt NVARCHAR(100) NOT NULL,
    hash NVARCHAR(200) NOT NULL,
    last_four NVARCHAR(10) NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_tenants_subject_name ON tenants(subject_id, name);
CREATE INDEX ix_score_events_week ON score_events(street_id, week);
