-- The street's staff actions are read newest first by when they were done, then by id (ids sort by the millisecond
-- they were made in, then by random characters: two actions of one millisecond were listed in the order of those).
-- The read walks this index backwards from a page's cursor (its time and id); the index by id alone served the old order only.
CREATE INDEX ix_staff_actions_street_at ON staff_actions(street_id, at, id);
DROP INDEX ix_staff_actions_street;
