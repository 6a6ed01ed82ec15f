-- The grids a grid worker reports on (DESIGN: a grid worker's scope is grids): their ids, separated by spaces. None
-- (as for everyone until now) means the whole community.
ALTER TABLE staff ADD COLUMN grid_ids TEXT NULL;
