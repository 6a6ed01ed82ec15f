-- Identity-card numbers from a roster, never in clear: a salted, slow hash (to recognise the same number
-- again) and the last four characters (what a person reads back to confirm it is theirs).
CREATE TABLE identity_cards (
    subject_id TEXT PRIMARY KEY REFERENCES subjects(id),
    salt TEXT NOT NULL,
    hash TEXT NOT NULL,
    last_four TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ix_tenants_subject_name ON tenants(subject_id, name);
CREATE INDEX ix_score_events_week ON score_events(street_id, week);
