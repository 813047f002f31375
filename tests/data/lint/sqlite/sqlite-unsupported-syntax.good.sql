-- index units by rent
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-12-05 10:00:00.000000

-- migrate:upgrade
-- monthly rent, in cents
CREATE INDEX ix_units_rent ON units (rent);

-- migrate:downgrade
DROP INDEX ix_units_rent;
