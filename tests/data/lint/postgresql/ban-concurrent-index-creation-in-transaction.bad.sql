-- index units by rent
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: ban-concurrent-index-creation-in-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS units_rent_idx ON units (rent);

-- migrate:downgrade
-- expect: ban-concurrent-index-creation-in-transaction
DROP INDEX CONCURRENTLY IF EXISTS units_rent_idx;
