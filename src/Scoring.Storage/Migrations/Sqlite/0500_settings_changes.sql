-- Every change to a street's settings: who made it, when, which settings changed, and the settings it left.
CREATE TABLE settings_changes (
    street_id TEXT NOT NULL REFERENCES streets(id),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    fields TEXT NOT NULL,
    settings_json TEXT NOT NULL
);
CREATE INDEX ix_settings_changes_street ON settings_changes(street_id, changed_at);
