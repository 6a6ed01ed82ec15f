-- Chat bot plumbing: the outbox of replies and notices, the activities already answered, and
-- where each chat user can be reached later.

-- seq orders messages (per conversation they leave in this order); id is the public handle.
CREATE TABLE bot_outbox (
    seq              bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_bot_outbox PRIMARY KEY,
    id               nvarchar(64)    NOT NULL CONSTRAINT uq_bot_outbox_id UNIQUE,
    conversation_key nvarchar(64)    NOT NULL,
    service_url      nvarchar(2048)  NOT NULL,
    channel_id       nvarchar(64)    NOT NULL,
    conversation_id  nvarchar(1024)  NOT NULL,
    reply_to_id      nvarchar(1024)  NULL,
    activity_json    nvarchar(max)   NOT NULL,
    created_at       datetimeoffset(3) NOT NULL,
    attempts         int             NOT NULL CONSTRAINT df_bot_outbox_attempts DEFAULT 0,
    next_attempt_at  datetimeoffset(3) NOT NULL,
    lease_owner      nvarchar(128)   NULL,
    lease_until      datetimeoffset(3) NULL,
    sent_at          datetimeoffset(3) NULL,
    dead_lettered_at datetimeoffset(3) NULL,
    last_error       nvarchar(2000)  NULL
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
-- for one index key, and both dialects keep the same shape.
CREATE TABLE bot_processed_activity (
    activity_key    nvarchar(64)   NOT NULL CONSTRAINT pk_bot_processed_activity PRIMARY KEY,
    channel_id      nvarchar(64)   NOT NULL,
    conversation_id nvarchar(1024) NOT NULL,
    activity_id     nvarchar(1024) NOT NULL,
    replies_json    nvarchar(max)  NOT NULL,
    processed_at    datetimeoffset(3) NOT NULL
);

CREATE INDEX ix_bot_processed_activity_at ON bot_processed_activity (processed_at);

-- reference_key is a hash of (channel_id, user_id).
CREATE TABLE bot_conversation_reference (
    reference_key     nvarchar(64)   NOT NULL CONSTRAINT pk_bot_conversation_reference PRIMARY KEY,
    channel_id        nvarchar(64)   NOT NULL,
    user_id           nvarchar(1024) NOT NULL,
    conversation_id   nvarchar(1024) NOT NULL,
    service_url       nvarchar(2048) NOT NULL,
    bot_account_json  nvarchar(max)  NOT NULL,
    user_account_json nvarchar(max)  NOT NULL,
    locale            nvarchar(32)   NULL,
    updated_at        datetimeoffset(3) NOT NULL
);
