-- Every change to a street's settings: who made it, when, which settings changed, and the settings it left.
CREATE TABLE settings_changes (
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    changed_at DATETIMEOFFSET(7) NOT NULL,
    changed_by NVARCHAR(100) NOT NULL,
    fields NVARCHAR(1000) NOT NULL,
    settings_json NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_settings_changes_street ON settings_changes(street_id, changed_at);
