-- Chat conversations: where each chat user stands in a guided report (the bot asks step by step,
-- the state survives a restart and is forgotten after 30 minutes idle) and when they were greeted;
-- the batching of "new items" notices to staff, and the hourly digests already sent.

-- dialog_key is a hash of (channel_id, user_id): channel user ids are long and both dialects keep one shape.
CREATE TABLE chat_dialogs (
    dialog_key  TEXT NOT NULL PRIMARY KEY,
    channel_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    verb        TEXT NULL,
    step        TEXT NULL,
    values_json TEXT NULL,
    updated_at  TEXT NOT NULL,
    greeted_at  TEXT NOT NULL
);

-- The last pending item a staff member was told about (reported_at, event id), and when.
CREATE TABLE chat_staff_notices (
    staff_id         TEXT NOT NULL PRIMARY KEY,
    seen_reported_at TEXT NULL,
    seen_event_id    TEXT NULL,
    notified_at      TEXT NULL
);

-- One row per digest sent: the hour key (local yyyy-MM-ddTHH) makes the digest idempotent per hour.
CREATE TABLE chat_digests (
    staff_id TEXT NOT NULL,
    hour_key TEXT NOT NULL,
    sent_at  TEXT NOT NULL,
    PRIMARY KEY (staff_id, hour_key)
);
CREATE INDEX ix_chat_digests_sent ON chat_digests (sent_at);
