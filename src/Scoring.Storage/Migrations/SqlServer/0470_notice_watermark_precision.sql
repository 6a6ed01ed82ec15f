-- The pending item a staff member was last told about is compared with score_events.reported_at (precision 7); kept
-- to the millisecond, the mark fell just before the item it names, which then looked new again at every batch.
ALTER TABLE chat_staff_notices ALTER COLUMN seen_reported_at datetimeoffset(7) NULL;
