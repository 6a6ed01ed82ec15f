-- An Idempotency-Key's request marks its row in the same transaction as its first write (claim_token says whose claim
-- it is), so a retry after the first request's process died can tell "nothing happened, run it" from "it took effect,
-- the answer was lost" and never runs an effect twice.
ALTER TABLE idempotency_keys ADD claim_token NVARCHAR(64) NULL, took_effect INT NOT NULL CONSTRAINT df_idempotency_keys_took_effect DEFAULT 0;
