-- What staff did about one landlord or shop head (and their tenants and shops) is read for the person's own data, on an
-- access request: by the target, not by the street's whole record. Staff actions are written by roster changes,
-- bindings and codes, never by a chat report, so the index costs the message path nothing.
CREATE INDEX ix_staff_actions_target ON staff_actions(target_id, target_kind);
