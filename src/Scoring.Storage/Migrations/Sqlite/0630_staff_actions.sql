-- What staff did to accounts and the roster, for the street's officers to look back on: who issued or revoked a token,
-- issued an enrolment code, which chat account took a code, who created, changed or took off duty a staff member,
-- took a landlord or shop head off the roster, imported a roster file or published rules. Appended, never changed.
-- The detail names roles and counts, never phones or codes.
CREATE TABLE staff_actions (
    id          TEXT NOT NULL PRIMARY KEY,
    street_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    detail      TEXT NULL
);
CREATE INDEX ix_staff_actions_street ON staff_actions(street_id, id);
