-- When the personal data of a landlord or shop head long off the roster was erased (README: Personal data kept): their
-- phone, tenants, identity card, chat accounts and enrolment codes are gone and their name is kept masked (应*喜), as
-- the public lists show it; the row stays, for the ledger and the published lists refer to them by id. An erased
-- subject is never found again by a roster: someone of that phone later is a new person.
ALTER TABLE subjects ADD erased_at DATETIMEOFFSET(7) NULL;
-- Enrolment codes are forgotten a while after they expired (used, replaced or not): the round finds them by expiry.
CREATE INDEX ix_enrolment_codes_expires ON enrolment_codes(expires_at);
