-- One valid enrolment code per person, kept by the database: at most one code of a person is neither used nor replaced
-- (an expired one included, which a new code now replaces too). Two codes issued at the same moment by two instances
-- could both stay valid on SQL Server, each voiding the earlier codes it could see; the index refuses the second insert.
-- Codes left that way before it (and expired codes a later one did not replace) are replaced now by the person's newest
-- (by issue time, then hash), at that code's issue time.
UPDATE enrolment_codes
SET replaced_at = (SELECT MAX(n.issued_at) FROM enrolment_codes n
                   WHERE n.person_kind = enrolment_codes.person_kind AND n.person_id = enrolment_codes.person_id
                     AND n.used_at IS NULL AND n.replaced_at IS NULL)
WHERE used_at IS NULL AND replaced_at IS NULL
  AND EXISTS (SELECT 1 FROM enrolment_codes n
              WHERE n.person_kind = enrolment_codes.person_kind AND n.person_id = enrolment_codes.person_id
                AND n.used_at IS NULL AND n.replaced_at IS NULL
                AND (n.issued_at > enrolment_codes.issued_at OR (n.issued_at = enrolment_codes.issued_at AND n.code_hash > enrolment_codes.code_hash)));
DROP INDEX ix_enrolment_codes_unused;
CREATE UNIQUE INDEX ux_enrolment_codes_valid ON enrolment_codes(person_id, person_kind) WHERE used_at IS NULL AND replaced_at IS NULL;
