-- unit codes are unique, through an index built concurrently
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade transaction=false
SET lock_timeout = '2s';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS units_code_key
    ON units (code);
ALTER TABLE units ADD CONSTRAINT units_code_key
    UNIQUE USING INDEX units_code_key;

-- migrate:downgrade
SET LOCAL lock_timeout = '2s';
ALTER TABLE units DROP CONSTRAINT units_code_key;
