-- What a report scored once per target is about (a shop's reopening: the shop's id), resolved when it is reported: the
-- same shop renamed, or given to another head, is the same shop, which its evidence (the name then) no longer tells.
-- Events before this migration have none and are compared by their evidence, as before.
ALTER TABLE score_events ADD COLUMN target_id TEXT NULL;
-- A target's events under a rule in a cycle, whichever subject's (a shop moved to another head): only those with one.
CREATE INDEX ix_score_events_target ON score_events(target_id, rule_code, cycle) WHERE target_id IS NOT NULL;
