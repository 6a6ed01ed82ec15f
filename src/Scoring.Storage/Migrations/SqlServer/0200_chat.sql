-- Chat conversations: where each chat user stands in a guided report (the bot asks step by step,
-- the state survives a restart and is forgotten after 30 minutes idle) and when they were greeted;
-- the batching of "new items" notices to staff, and the hourly digests already sent.

-- dialog_key is a hash of (channel_id, user_id): channel user ids are long and both dialects keep one shape.
CREATE TABLE chat_dialogs (
    dialog_key  nvarchar(64)      NOT NULL CONSTRAINT pk_chat_dialogs PRIMARY KEY,
    channel_id  nvarchar(64)      NOT NULL,
    user_id     nvarchar(1024)    NOT NULL,
    verb        nvarchar(32)      NULL,
    step        nvarchar(32)      NULL,
    values_json nvarchar(max)     NULL,
    updated_at  datetimeoffset(3) NOT NULL,
    greeted_at  datetimeoffset(3) NOT NULL
);

-- The last pending item a staff member was told about (reported_at, event id), and when.
CREATE TABLE chat_staff_notices (
    staff_id         nvarchar(100)     NOT NULL CONSTRAINT pk_chat_staff_notices PRIMARY KEY,
    seen_reported_at datetimeoffset(3) NULL,
    seen_event_id    nvarchar(100)     NULL,
    notified_at      datetimeoffset(3) NULL
);

-- One row per digest sent: the hour key (local yyyy-MM-ddTHH) makes the digest idempotent per hour.
CREATE TABLE chat_digests (
    staff_id nvarchar(100)     NOT NULL,
    hour_key nvarchar(16)      NOT NULL,
    sent_at  datetimeoffset(3) NOT NULL,
    CONSTRAINT pk_chat_digests PRIMARY KEY (staff_id, hour_key)
);
CREATE INDEX ix_chat_digests_sent ON chat_digests (sent_at);
