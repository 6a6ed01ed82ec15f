-- The processed-activity record was found by its key, a hash: every chat turn put the key into its index at a random
-- place, one page of the index per turn in every commit, about 30% of all the pages the chat's commits wrote (and the
-- longest of the writer's commits; docs/benchmarks.md, thirteenth session). Records are now stored in the order they
-- were made (seq) and found through an index of their keys in the memory of each instance (ProcessedActivityIndex),
-- which every write transaction first brings up to date with the records made since (by other instances too). The
-- index on the time they were made carries each key, so that an instance reads every key at start from it alone, and
-- purging by age keeps its use.
CREATE TABLE bot_processed_activity_in_order (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT, -- each committed record higher than any before, also after a purge: instances read on from the last seq they saw
    activity_key    TEXT NOT NULL,
    channel_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id     TEXT NOT NULL,
    replies_json    TEXT NOT NULL,
    processed_at    TEXT NOT NULL
);
INSERT INTO bot_processed_activity_in_order (activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at)
SELECT activity_key, channel_id, conversation_id, activity_id, replies_json, processed_at
FROM bot_processed_activity ORDER BY processed_at;
DROP TABLE bot_processed_activity;
ALTER TABLE bot_processed_activity_in_order RENAME TO bot_processed_activity;
CREATE INDEX ix_bot_processed_activity_at ON bot_processed_activity (processed_at, activity_key);
