-- Staff are found by street (rosters, digests) and a community's secretaries by community (one lookup per pending
-- report); without these, each was a scan of the whole staff table.
CREATE INDEX ix_staff_street ON staff(street_id);
CREATE INDEX ix_staff_community_role ON staff(community_id, role);
