-- A score card lists a subject's latest events, newest reported first, and sums the subject's approved additions.
-- Ordered by (subject, occurred_at), the index made every card sort all of the subject's events (on SQLite in a
-- temporary b-tree opened and closed per card, a page cache of its own each time) and read every one of their rows
-- for the sum. In report order, with each event's status and delta beside its key, the card reads just the few events
-- it shows, newest first, and sums from the index alone. What else read the old index (a rule's weekly cap) filters
-- one subject's events either way.
DROP INDEX ix_score_events_subject;
CREATE INDEX ix_score_events_subject ON score_events(subject_id, reported_at, id, status, delta);
