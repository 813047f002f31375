-- index units by rent without blocking writes
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
CREATE INDEX CONCURRENTLY IF NOT EXISTS units_rent_idx ON units (rent);

-- migrate:downgrade transaction=false
DROP INDEX CONCURRENTLY IF EXISTS units_rent_idx;
