-- When each return fell due, as judged when it was reported: a message replayed after the street changed its late
-- window is answered as it was the first time. Returns recorded before have none; they are judged by the window now.
ALTER TABLE tenant_returns ADD COLUMN due_at TEXT NULL;
