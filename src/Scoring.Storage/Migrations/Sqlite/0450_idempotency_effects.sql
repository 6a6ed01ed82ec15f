-- An Idempotency-Key's request marks its row in the same transaction as its first write (claim_token says whose claim
-- it is), so a retry after the first request's process died can tell "nothing happened, run it" from "it took effect,
-- the answer was lost" and never runs an effect twice.
ALTER TABLE idempotency_keys ADD COLUMN claim_token TEXT NULL;
ALTER TABLE idempotency_keys ADD COLUMN took_effect INTEGER NOT NULL DEFAULT 0;
