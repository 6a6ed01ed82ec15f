-- Those whose erasure failed in the last round of erasure (OffRosterErasure), a JSON list of their record ids (random,
-- no name or phone): the next round tries them after everyone else, on whichever instance holds the clockwork's lease.
-- The list was kept by the instance that made it, so after the lease moved the next round tried the bad rows first again.
ALTER TABLE erasure_rounds ADD failed_ids NVARCHAR(MAX) NULL;
