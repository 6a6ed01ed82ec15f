-- One person may both let rooms and head shops: two rows of the roster with one phone, a landlord's and a shop head's
-- record (each has its own score and lists). A phone is unique per type within a street; the import and the API find
-- a person by type and phone.
CREATE UNIQUE INDEX ux_subjects_kind_phone ON subjects(street_id, kind, phone) WHERE phone IS NOT NULL;
DROP INDEX ux_subjects_phone;
