-- The deadline a day was seen open with: a deadline moved during the day takes effect that day only when it is later,
-- so a round reported before the deadline the shop heads were given is never charged as missed. Null for days opened
-- before this column (they use the deadline of the settings).
ALTER TABLE open_round_days ADD COLUMN deadline TEXT NULL;
