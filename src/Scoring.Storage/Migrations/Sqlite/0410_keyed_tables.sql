-- Tables read by their whole primary key on every chat turn (who writes, their dialog) or every balance (cycle totals)
-- are stored in primary-key order (WITHOUT ROWID): one b-tree lookup instead of the key's index and then the table.
-- A reader's page cache is emptied by every commit, so each lookup saved is several page reads saved.
CREATE TABLE chat_accounts_keyed (
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    person_kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    bound_at TEXT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
) WITHOUT ROWID;
INSERT INTO chat_accounts_keyed (channel_id, user_id, person_kind, person_id, bound_at)
    SELECT channel_id, user_id, person_kind, person_id, bound_at FROM chat_accounts;
DROP TABLE chat_accounts;
ALTER TABLE chat_accounts_keyed RENAME TO chat_accounts;
CREATE INDEX ix_chat_accounts_person ON chat_accounts(person_id);

CREATE TABLE chat_dialogs_keyed (
    dialog_key  TEXT NOT NULL PRIMARY KEY,
    channel_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    verb        TEXT NULL,
    step        TEXT NULL,
    values_json TEXT NULL,
    updated_at  TEXT NOT NULL,
    greeted_at  TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO chat_dialogs_keyed (dialog_key, channel_id, user_id, verb, step, values_json, updated_at, greeted_at)
    SELECT dialog_key, channel_id, user_id, verb, step, values_json, updated_at, greeted_at FROM chat_dialogs;
DROP TABLE chat_dialogs;
ALTER TABLE chat_dialogs_keyed RENAME TO chat_dialogs;

CREATE TABLE subject_cycle_totals_keyed (
    subject_id TEXT NOT NULL,
    cycle TEXT NOT NULL,
    total INTEGER NOT NULL,
    deductions INTEGER NOT NULL,
    PRIMARY KEY (subject_id, cycle)
) WITHOUT ROWID;
INSERT INTO subject_cycle_totals_keyed (subject_id, cycle, total, deductions)
    SELECT subject_id, cycle, total, deductions FROM subject_cycle_totals;
DROP TABLE subject_cycle_totals;
ALTER TABLE subject_cycle_totals_keyed RENAME TO subject_cycle_totals;
