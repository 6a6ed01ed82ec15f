-- A message was given up after a day of 429s counted from its enqueue: one a day old (a sender down for a day, a turn
-- behind a conversation's retrying head, a requeued dead letter) was dead-lettered at its first 429. The outbox now keeps
-- when the throttling of a message began, and clears it on any other outcome.
ALTER TABLE bot_outbox ADD COLUMN throttled_since TEXT NULL;
-- Any message put off to a later moment was taken for one whose moment a host's schedule gave (and counted) it, so
-- retries after a 5xx and requeued dead letters left together, unpaced. Now only a message a sender put off for the pace
-- is, and the row keeps which sender: its own schedule counted it, another's did not.
ALTER TABLE bot_outbox ADD COLUMN paced_by TEXT NULL;
