-- One chat account may speak for several landlord/shop-head records: in Yiwu a landlord is often a shop head too, in one
-- street or in two, with one WeChat account. chat_accounts keeps one row per account (its first record), read by every
-- chat turn as before; more_records says how many further records the account speaks for, each a row of
-- chat_account_records, found like chat_accounts by user_key (0620). An account with none (nearly all) is read with no
-- other statement than before.
ALTER TABLE chat_accounts ADD more_records INT NOT NULL CONSTRAINT df_chat_accounts_more_records DEFAULT 0;
CREATE TABLE chat_account_records (
    channel_id NVARCHAR(100) NOT NULL,
    user_id NVARCHAR(1024) NOT NULL,
    user_key AS CONVERT(BINARY(32), HASHBYTES('SHA2_256', user_id)) PERSISTED NOT NULL,
    person_kind NVARCHAR(100) NOT NULL,
    person_id NVARCHAR(100) NOT NULL,
    bound_at DATETIMEOFFSET NOT NULL,
    CONSTRAINT pk_chat_account_records PRIMARY KEY (channel_id, user_key, person_kind, person_id)
);
-- Notices find a record's accounts by the record, in either table.
CREATE INDEX ix_chat_account_records_person ON chat_account_records(person_id);
