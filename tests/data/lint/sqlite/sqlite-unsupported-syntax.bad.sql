-- index units by rent
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- expect: sqlite-unsupported-syntax
CREATE INDEX CONCURRENTLY ix_units_rent ON units (rent);
-- expect: sqlite-unsupported-syntax
COMMENT ON COLUMN units.rent IS 'monthly, in cents';

-- migrate:downgrade
-- expect: sqlite-unsupported-syntax
DROP INDEX CONCURRENTLY ix_units_rent;
