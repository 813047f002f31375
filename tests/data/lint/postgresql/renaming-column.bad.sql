-- call rent monthly_rent
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- expect: renaming-column
ALTER TABLE units RENAME COLUMN rent TO monthly_rent;

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
-- expect: renaming-column
ALTER TABLE units RENAME COLUMN monthly_rent TO rent;
