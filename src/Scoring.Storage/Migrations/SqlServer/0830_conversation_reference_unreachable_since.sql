-- Someone who removed or blocked the bot (Teams' installationUpdate remove; a send refused as blocked, not in the roster
-- or no such conversation) kept being told: every notice was enqueued, refused and dead-lettered, and counted as told.
-- The reference now keeps since when it reaches nobody; notices skip it, and the person's next activity clears it.
ALTER TABLE bot_conversation_reference ADD unreachable_since datetimeoffset(3) NULL;
