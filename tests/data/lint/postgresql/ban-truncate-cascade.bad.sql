-- forget old unit events
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- migrator:destructive
-- expect: ban-truncate-cascade
TRUNCATE unit_events CASCADE;

-- migrate:downgrade
SELECT 1;
