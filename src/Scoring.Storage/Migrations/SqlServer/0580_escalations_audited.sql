-- An escalation is a transition of the verification loop that leaves the status pending: it is kept in the event's
-- history like a decision (by the system, when, why), told apart by its kind. One per event, whichever instance
-- escalates it: the index refuses a second. Items escalated before this have no such row (their escalated_at stays).
ALTER TABLE event_transitions ADD kind NVARCHAR(20) NOT NULL CONSTRAINT df_event_transitions_kind DEFAULT 'Status';
GO
CREATE UNIQUE INDEX ux_event_transitions_escalation ON event_transitions(event_id) WHERE kind = 'Escalation';

-- Escalated items a street's officers are still to hear of in chat: written with the escalation, taken (deleted) in
-- the transaction that enqueues their notice. Escalations outside working hours wait here for the next working hour.
CREATE TABLE chat_escalation_notices (
    street_id NVARCHAR(100) NOT NULL,
    event_id  NVARCHAR(100) NOT NULL,
    PRIMARY KEY (street_id, event_id)
);
