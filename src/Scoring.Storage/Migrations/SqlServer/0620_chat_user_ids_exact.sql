-- A chat user's id as long as the bot answers (1024 characters) and compared exactly. chat_accounts and bind_failures
-- held 100 characters: binding from a longer id (some channels' ids run past it), or failing to, was refused on SQL
-- Server alone. And the database's collation (case-insensitive by default) took two ids differing only in case for one
-- user, the second acting as the first's person; SQLite compares them exactly. Each table now finds an id by user_key,
-- the SHA-256 the server computes of the exact id: 32 bytes, where the id itself (2048) would not fit an index key.
-- Who used an enrolment code ("channel:user", 64 + 1 + 1024 characters) was refused past 100 the same way, failing the bind.
CREATE TABLE chat_accounts_keyed (
    channel_id NVARCHAR(100) NOT NULL,
    user_id NVARCHAR(1024) NOT NULL,
    user_key AS CONVERT(BINARY(32), HASHBYTES('SHA2_256', user_id)) PERSISTED NOT NULL,
    person_kind NVARCHAR(100) NOT NULL,
    person_id NVARCHAR(100) NOT NULL,
    bound_at DATETIMEOFFSET NOT NULL,
    CONSTRAINT pk_chat_accounts PRIMARY KEY (channel_id, user_key)
);
GO
INSERT INTO chat_accounts_keyed (channel_id, user_id, person_kind, person_id, bound_at)
    SELECT channel_id, user_id, person_kind, person_id, bound_at FROM chat_accounts;
DROP TABLE chat_accounts;
EXEC sp_rename 'chat_accounts_keyed', 'chat_accounts';
GO
CREATE INDEX ix_chat_accounts_person ON chat_accounts(person_id);

DROP INDEX ix_bind_failures ON bind_failures;
ALTER TABLE bind_failures ALTER COLUMN user_id NVARCHAR(1024) NOT NULL;
ALTER TABLE bind_failures ADD user_key AS CONVERT(BINARY(32), HASHBYTES('SHA2_256', user_id)) PERSISTED NOT NULL;
GO
CREATE INDEX ix_bind_failures ON bind_failures(channel_id, user_key, failed_at);

ALTER TABLE enrolment_codes ALTER COLUMN used_by NVARCHAR(1089) NULL;
