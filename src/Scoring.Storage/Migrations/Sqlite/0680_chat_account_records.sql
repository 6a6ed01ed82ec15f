-- One chat account may speak for several landlord/shop-head records: in Yiwu a landlord is often a shop head too, in one
-- street or in two, with one WeChat account. chat_accounts keeps one row per account (its first record), read by every
-- chat turn as before; more_records says how many further records the account speaks for, each a row of
-- chat_account_records. An account with none (nearly all) is read with no other statement than before.
ALTER TABLE chat_accounts ADD COLUMN more_records INTEGER NOT NULL DEFAULT 0;
CREATE TABLE chat_account_records (
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    person_kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    bound_at TEXT NOT NULL,
    PRIMARY KEY (channel_id, user_id, person_kind, person_id)
) WITHOUT ROWID;
-- Notices find a record's accounts by the record, in either table.
CREATE INDEX ix_chat_account_records_person ON chat_account_records(person_id);
