-- An escalation is a transition of the verification loop that leaves the status pending: it is kept in the event's
-- history like a decision (by the system, when, why), told apart by its kind. One per event, whichever instance
-- escalates it: the index refuses a second. Items escalated before this have no such row (their escalated_at stays).
ALTER TABLE event_transitions ADD COLUMN kind TEXT NOT NULL DEFAULT 'Status';
CREATE UNIQUE INDEX ux_event_transitions_escalation ON event_transitions(event_id) WHERE kind = 'Escalation';
