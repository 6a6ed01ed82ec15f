-- One valid enrolment code per person, kept by the database: at most one code of a person is neither used nor replaced
-- (an expired one included, which a new code now replaces too). Two codes issued at the same moment by two instances
-- could both stay valid, each voiding the earlier codes it could see under READ COMMITTED; the index refuses the second
-- insert. Codes left that way before it (and expired codes a later one did not replace) are replaced now by the person's
-- newest (by issue time, then hash), at that code's issue time.
WITH ranked AS (
    SELECT replaced_at,
           ROW_NUMBER() OVER (PARTITION BY person_id, person_kind ORDER BY issued_at DESC, code_hash DESC) AS newness,
           MAX(issued_at) OVER (PARTITION BY person_id, person_kind) AS newest_issued_at
    FROM enrolment_codes
    WHERE used_at IS NULL AND replaced_at IS NULL)
UPDATE ranked SET replaced_at = newest_issued_at WHERE newness > 1;
DROP INDEX ix_enrolment_codes_unused ON enrolment_codes;
CREATE UNIQUE INDEX ux_enrolment_codes_valid ON enrolment_codes(person_id, person_kind) WHERE used_at IS NULL AND replaced_at IS NULL;
