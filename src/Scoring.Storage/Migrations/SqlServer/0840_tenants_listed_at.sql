-- A tenant the office registers (or puts back) after they arrived could not be reported before: the bot refused the
-- landlord. Their late-return window counts from when they were (back) on the landlord's list, so the tenant keeps when
-- that was. Rows from before this have none and are judged from the arrival, as they were.
ALTER TABLE tenants ADD listed_at DATETIMEOFFSET NULL;
