-- Year five: the statements below read a table whole (or the street's whole history) on a recurring path, which the
-- demo street never showed; QueryPlanTests plans every statement and names them.
-- The street's people by kind: the daily rounds (shop heads to remind), a week's figures and lists, the roster's reads and
-- exports, erasure's search read every subject of every street on the database through the primary key.
CREATE INDEX ix_subjects_street ON subjects(street_id, kind, active, id);
-- Someone's spans off the roster: the score card (every 积分 question) read every span of everyone to answer for one person.
CREATE INDEX ix_subject_absences_subject ON subject_absences(subject_id, left_at, back_at);
-- A first text of this migration (never released) made an index of returns by arrival: arrivals are reported in any
-- order, so it took a random page on every return reported (the bench's p99 doubled, as 0460 found of one by tenant).
DROP INDEX IF EXISTS ix_tenant_returns_arrival ON tenant_returns;
