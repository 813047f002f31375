-- unit codes are unique
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
-- expect: unique-index-on-existing-table
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS units_code_key
    ON units (code);

-- migrate:downgrade transaction=false
DROP INDEX CONCURRENTLY IF EXISTS units_code_key;
