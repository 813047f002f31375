-- index units by rent
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
SET LOCAL lock_timeout = '2s';
-- expect: require-concurrent-index-creation
CREATE INDEX units_rent_idx ON units (rent);

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
DROP INDEX units_rent_idx;
