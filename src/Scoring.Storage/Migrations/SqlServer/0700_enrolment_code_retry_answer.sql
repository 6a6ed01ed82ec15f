-- A code asked for again without an Idempotency-Key (the first answer lost) is answered with the same code for a few
-- minutes, instead of a new one that voids the first: the code is kept for that, sealed with the caller's token, so the
-- database alone cannot read it (codes are otherwise kept only as hashes). Cleared once the code is used or replaced.
ALTER TABLE enrolment_codes ADD retry_answer NVARCHAR(200) NULL;
