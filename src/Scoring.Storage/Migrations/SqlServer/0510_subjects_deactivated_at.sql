-- When a landlord or shop head left the roster: a week's lists count everyone on it at any time that week, so taking
-- someone off after their week (or during it) does not take them off its lists. Those already inactive count as
-- having left before any week still to be published.
ALTER TABLE subjects ADD deactivated_at DATETIMEOFFSET(7) NULL;
