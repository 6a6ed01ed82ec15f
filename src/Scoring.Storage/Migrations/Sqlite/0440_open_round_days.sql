-- The days on which the clockwork saw a street before its daily deadline: shop heads could report their round, so a
-- missed round is charged. Each is checked once by the first run after its deadline (however late that comes: a
-- restart, the office PC switched on the next morning) and then deleted. A day the service was not running before its
-- deadline never gets a row: nobody could have reported a round on it.
CREATE TABLE open_round_days (
    street_id TEXT NOT NULL REFERENCES streets(id),
    day TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (street_id, day)
);
