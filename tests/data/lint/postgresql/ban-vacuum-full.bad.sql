-- reclaim the space of units
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
SET lock_timeout = '2s';
-- expect: ban-vacuum-full
VACUUM FULL units;

-- migrate:downgrade
SELECT 1;
