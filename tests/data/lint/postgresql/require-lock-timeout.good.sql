-- add notes to units, giving up when the lock does not come
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units ADD COLUMN notes text;

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units DROP COLUMN notes;
