-- A redemption recorded in error (the wrong points, the wrong person, a payout the fund did not make) is reversed, never
-- edited or deleted: who reversed it, when and why stand beside it, and the reward account and the payout sheet no longer
-- count it. One reversal per redemption.
CREATE TABLE redemption_reversals (
    redemption_id NVARCHAR(100) NOT NULL PRIMARY KEY REFERENCES redemptions(id),
    reversed_at DATETIMEOFFSET NOT NULL,
    reversed_by NVARCHAR(100) NOT NULL,
    reason NVARCHAR(MAX) NOT NULL
);
