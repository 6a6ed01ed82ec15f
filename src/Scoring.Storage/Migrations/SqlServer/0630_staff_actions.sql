-- What staff did to accounts and the roster, for the street's officers to look back on: who issued or revoked a token,
-- issued an enrolment code, which chat account took a code, who created, changed or took off duty a staff member,
-- took a landlord or shop head off the roster, imported a roster file or published rules. Appended, never changed.
-- The detail names roles and counts, never phones or codes.
CREATE TABLE staff_actions (
    id          NVARCHAR(100) NOT NULL PRIMARY KEY,
    street_id   NVARCHAR(100) NOT NULL,
    at          DATETIMEOFFSET(7) NOT NULL,
    actor_id    NVARCHAR(1100) NOT NULL, -- a chat account that took a code: channel:user, as enrolment_codes.used_by
    action      NVARCHAR(40) NOT NULL,
    target_kind NVARCHAR(20) NOT NULL,
    target_id   NVARCHAR(300) NOT NULL,
    detail      NVARCHAR(1000) NULL
);
CREATE INDEX ix_staff_actions_street ON staff_actions(street_id, id);
