-- drop the old tables
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: destructive-without-marker
DROP TABLE old_notes;
-- expect: destructive-without-marker
ALTER TABLE notes DROP COLUMN legacy;
-- expect: destructive-without-marker
DELETE FROM audit;

-- migrate:downgrade
CREATE TABLE old_notes (id integer PRIMARY KEY);
