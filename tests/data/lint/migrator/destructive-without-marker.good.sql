-- drop the old tables, meant
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- migrator:destructive
DROP TABLE old_notes;
ALTER TABLE notes DROP COLUMN legacy; -- migrator:destructive
DELETE FROM audit WHERE at < '2020-01-01';
-- a table rebuild keeps the data
CREATE TABLE notes_new (id integer PRIMARY KEY);
INSERT INTO notes_new SELECT id FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;

-- migrate:downgrade
CREATE TABLE old_notes (id integer PRIMARY KEY);
