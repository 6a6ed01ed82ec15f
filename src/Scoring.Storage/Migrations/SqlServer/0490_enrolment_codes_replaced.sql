-- A new enrolment code for a person replaces their earlier unused ones (a lost slip found by someone else must not bind
-- them to that person), and the old code's holder is told a newer one exists.
ALTER TABLE enrolment_codes ADD replaced_at DATETIMEOFFSET NULL;
CREATE INDEX ix_enrolment_codes_unused ON enrolment_codes(person_id, person_kind) WHERE used_at IS NULL;
