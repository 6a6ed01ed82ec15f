-- A score card lists a subject's latest events, newest reported first. Ordered by (subject, occurred_at), the index
-- made every card sort all of the subject's events (on SQLite in a temporary b-tree opened and closed per card, a
-- page cache of its own each time). In report order the card reads just the few it shows, newest first. What else
-- read the old index (a subject's additions, its events under a rule in a week) filters one subject's events either way.
DROP INDEX ix_score_events_subject;
CREATE INDEX ix_score_events_subject ON score_events(subject_id, reported_at, id);
