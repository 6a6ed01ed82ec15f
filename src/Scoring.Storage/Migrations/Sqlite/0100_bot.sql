-- Chat bot plumbing: the outbox of replies and notices, the activities already answered, and
-- where each chat user can be reached later.

-- seq orders messages (per conversation they leave in this order); id is the public handle.
CREATE TABLE bot_outbox (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT    NOT NULL UNIQUE,
    conversation_key TEXT    NOT NULL,
    service_url      TEXT    NOT NULL,
    channel_id       TEXT    NOT NULL,
    conversation_id  TEXT    NOT NULL,
    reply_to_id      TEXT    NULL,
    activity_json    TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    lease_owner      TEXT    NULL,
    lease_until      TEXT    NULL,
    sent_at          TEXT    NULL,
    dead_lettered_at TEXT    NULL,
    last_error       TEXT    NULL
);

CREATE INDEX ix_bot_outbox_waiting ON bot_outbox (conversation_key, seq)
    WHERE sent_at IS NULL AND dead_lettered_at IS NULL;
CREATE INDEX ix_bot_outbox_due ON bot_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND dead_lettered_at IS NULL;
CREATE INDEX ix_bot_outbox_dead ON bot_outbox (dead_lettered_at)
    WHERE dead_lettered_at IS NOT NULL;
CREATE INDEX ix_bot_outbox_sent ON bot_outbox (sent_at)
    WHERE sent_at IS NOT NULL;

-- activity_key is a hash of (channel_id, conversation_id, activity_id): real ids are too long
-- for one SQL Server index key, and both dialects keep the same shape.
CREATE TABLE bot_processed_activity (
    activity_key    TEXT NOT NULL PRIMARY KEY,
    channel_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id     TEXT NOT NULL,
    replies_json    TEXT NOT NULL,
    processed_at    TEXT NOT NULL
);

CREATE INDEX ix_bot_processed_activity_at ON bot_processed_activity (processed_at);

-- reference_key is a hash of (channel_id, user_id).
CREATE TABLE bot_conversation_reference (
    reference_key     TEXT NOT NULL PRIMARY KEY,
    channel_id        TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    conversation_id   TEXT NOT NULL,
    service_url       TEXT NOT NULL,
    bot_account_json  TEXT NOT NULL,
    user_account_json TEXT NOT NULL,
    locale            TEXT NULL,
    updated_at        TEXT NOT NULL
);
