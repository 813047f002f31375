-- give units a public id, default for new rows only
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units ADD COLUMN public_id uuid;
ALTER TABLE units ALTER COLUMN public_id SET DEFAULT gen_random_uuid();

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units DROP COLUMN public_id;
