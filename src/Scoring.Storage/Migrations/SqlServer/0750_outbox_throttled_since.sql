-- A message was given up after a day of 429s counted from its enqueue: one a day old (a sender down for a day, a turn
-- behind a conversation's retrying head, a requeued dead letter) was dead-lettered at its first 429. The outbox now keeps
-- when the throttling of a message began, and clears it on any other outcome.
ALTER TABLE bot_outbox ADD throttled_since datetimeoffset(3) NULL;
